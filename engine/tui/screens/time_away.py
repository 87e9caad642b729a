"""On resume after a crash: when the last event was written, how long ago, and whether that time counts on
the exercise clock. The answer is a clock.gap event; either way the clock stays paused until p.

Like every question, it takes no key for a moment after it opens (the key guard), so a key typed as the
console came up answers nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from engine.drill.narrate import away_text
from engine.tui import display
from engine.tui.key_guard import KeyGuard
from engine.tui.screens.dialog import Dialog

if TYPE_CHECKING:
    from engine.drill.session import Drill
    from engine.tui.app import DrillApp


def ask_time_away(app: DrillApp) -> None:
    """Ask, over the console, whether the time away counts; record the answer (clock.gap)."""
    drill = app.drill
    if drill is None or drill.time_away() is None:
        return

    def answered(counted: bool | None) -> None:
        if counted is not None:
            app.perform(lambda: drill.settle_time_away(counted))

    app.push_screen(TimeAwayScreen(drill), answered)


class TimeAwayScreen(Dialog[bool]):
    BINDINGS = [Binding("c", "answer(True)", "Count it"), Binding("n", "answer(False)", "Don't count it")]

    def __init__(self, drill: Drill) -> None:
        super().__init__()
        self.drill = drill
        self.guard: KeyGuard | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled("The drill stopped without closing", "bold"), classes="dialog-title")
            yield Static(id="away", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(Content("Count it (c)"), id="count", compact=True)
                yield Button(Content("Don't count it (n)"), id="skip", compact=True)

    def on_mount(self) -> None:
        self.guard = KeyGuard.of(self.app)
        self.set_focus(self.query_one("#skip", Button))
        self.show()
        self.set_interval(1.0, self.show)  # "how long ago" keeps moving while the room decides

    def show(self) -> None:
        drill = self.drill
        away, since, t = drill.time_away() or 0.0, drill.stopped or "", drill.state.t
        when = since[:19].replace("T", " ") + " UTC" if len(since) >= 19 else display.literal(since)
        self.query_one("#away", Static).update(Content("\n").join([
            Content.assemble("The last event was written at ", (display.literal(when), "bold"), ", ",
                             (away_text(away), "bold"), " ago; the exercise clock read ", display.clock(t), " then."),
            Content(""),
            Content.styled("Count that time on the exercise clock?", "bold"),
            Content(f"Count it: the clock moves on to {display.clock(t + away)}, as if it had run all along "
                    "(injects due by then fire, marked late)."),
            Content(f"Don't count it: the clock stays at {display.clock(t)}."),
            Content.styled("Either way the answer goes in the log, and the clock stays paused until you press p.",
                           "dim"),
        ]))

    def on_key(self, event: events.Key) -> None:
        """Keys typed as the question opened answer nothing."""
        if self.guard is not None:
            self.guard.drop(event, self.app, "as this question opened")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "count")

    def action_answer(self, counted: bool) -> None:
        self.dismiss(counted)
