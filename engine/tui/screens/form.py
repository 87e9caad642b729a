"""The shape every modal form shares: Enter walks the fields, only ctrl+s or the Record button records,
Esc cancels, and a line says what is wrong.

Enter moves to the next field in the order they are on screen (a choice list, a select, an input);
on the last field it stays and says how to record. So a facilitator who presses Enter once per
field, or once too often, never records a half-filled form, and what they type next still lands in
the form rather than on the console.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

if TYPE_CHECKING:
    from engine.drill.session import Drill
    from engine.tui.app import DrillApp

T = TypeVar("T")
LAST_FIELD = "That was the last field. ctrl+s (or the Record button) records; Esc cancels."


def field(label: str, widget: Widget) -> Horizontal:
    """One line of a form: a label, then the field."""
    return Horizontal(Static(Content.styled(label, "bold"), classes="field-name"), widget, classes="field-row")


def buttons(record: str) -> ComposeResult:
    """The form's two buttons: record (named for what it records) and cancel."""
    with Horizontal(classes="buttons"):
        yield Button(Content(f"{record} (ctrl+s)"), id="record", variant="primary", compact=True)
        yield Button(Content("Cancel (Esc)"), id="cancel", compact=True)


def field_kinds() -> tuple[type[Widget], ...]:
    """The widgets a person fills in or chooses (imported here, not at start: the start screen's first frame
    needs only Input, and TextArea alone costs more than the rest of the form)."""
    from textual.widgets import Checkbox, OptionList, Switch, TextArea

    return (Input, Select, OptionList, TextArea, Checkbox, Switch)


def form_fields(screen: Screen[Any]) -> list[Widget]:
    """The fields a person can type or choose in, in the order they are on screen.

    Read from the widgets' own display flags rather than Textual's focus chain, which follows the
    last layout: fields just shown (the improvement-plan columns, once "area for improvement" is
    chosen) count at once, even when the next key arrives before the screen is laid out again.
    """
    out: list[Widget] = []
    kinds = field_kinds()
    for widget in screen.walk_children(Widget):
        if not isinstance(widget, kinds) or not widget.can_focus or widget.disabled:
            continue
        if all(each.display for each in widget.ancestors_with_self if isinstance(each, Widget)):
            out.append(widget)
    return out


def enter_moves_on(screen: Screen[Any]) -> bool:
    """Enter on an input or a closed select: focus the next field on screen (buttons are not fields).

    Called from a priority binding, so it runs before the focused field sees the key and before any
    key typed after it is delivered: a fast typist's next letter lands in the next field. Raises
    SkipAction when the focus is elsewhere (an open select's list, a choice list, a button handle
    their own Enter); returns True when focus moved, False on the last field (focus stays).
    """
    focused = screen.focused
    if not isinstance(focused, (Input, Select)):
        raise SkipAction()
    fields = form_fields(screen)
    index = fields.index(focused) if focused in fields else len(fields)
    if index + 1 >= len(fields):
        return False
    screen.set_focus(fields[index + 1])  # at once, not after the next frame: the next key goes to it
    return True


class FormScreen(ModalScreen[T]):
    # Priority: handled in the order typed, before the focused field gets the keys that follow.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Record", priority=True),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
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
        for each in self.query(Input):
            each.cursor_blink = self.drill_app.blink

    def action_next_field(self) -> None:
        if not enter_moves_on(self):
            self.problem(LAST_FIELD)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "record":
            self.action_submit()
        elif event.button.id == "cancel":
            self.action_cancel()

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
