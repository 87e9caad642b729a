"""Yes or no before something that cannot be undone (firing an inject, ending the drill) or that
closes the console.

The dialog opens with Cancel focused, and for a moment after it opens (the app's key guard) it
takes no answer at all: a facilitator still typing a name when it appears cannot confirm it
with a stray `y` or Enter.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from engine.tui import display
from engine.tui.key_guard import KeyGuard
from engine.tui.screens.dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    BINDINGS = [Binding("escape,n", "answer(False)", "Cancel"), Binding("y", "answer(True)", "Yes")]
    AUTO_FOCUS = "#no"  # focused as the dialog is composed, so its first frame is drawn with it

    def __init__(self, title: str, body: str, yes: str) -> None:
        super().__init__()
        self.title_text, self.body, self.yes = title, body, yes
        self.guard: KeyGuard | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            yield Static(display.content(self.body), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(Content(f"{self.yes} (y)"), id="yes", variant="error", compact=True)
                yield Button(Content("Cancel (Esc)"), id="no", compact=True)

    def on_mount(self) -> None:
        self.guard = KeyGuard.of(self.app)

    def on_key(self, event: events.Key) -> None:
        """Keys typed as the dialog opened answer nothing (Esc still cancels)."""
        if self.guard is not None and event.key != "escape":
            self.guard.drop(event, self.app, "as this question opened")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
