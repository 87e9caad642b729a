"""The shape every modal form shares: Esc cancels, ctrl+s records, a line for what is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from engine.drill.session import Drill
    from engine.tui.app import DrillApp

T = TypeVar("T")


def field(label: str, widget: Input | Static) -> Horizontal:
    """One line of a form: a label, then the field."""
    return Horizontal(Static(Content.styled(label, "bold"), classes="field-name"), widget, classes="field-row")


class FormScreen(ModalScreen[T]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Record"),
    ]

    @property
    def drill_app(self) -> DrillApp:
        return self.app  # type: ignore[return-value]

    @property
    def drill(self) -> Drill:
        drill = self.drill_app.drill
        assert drill is not None
        return drill

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.drill_app.blink

    def problem(self, message: str) -> None:
        """Say what keeps the form from being recorded, in the form itself."""
        line = self.query_one("#problem", Static)
        line.update(message)
        line.display = bool(message)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:  # each form records its own event
        raise NotImplementedError

    def record(self, action: Any) -> bool:
        """Run the drill action; close the form once it is in the log."""
        if self.drill_app.perform(action, report=self.problem):
            self.dismiss(None)
            return True
        return False
