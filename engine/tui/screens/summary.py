"""The end: what was recorded, where the log is, and the commands to check it and write the report."""

from __future__ import annotations

import shlex

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from engine.drill.state import StepStatus
from engine.tui import display, feedback_toggle
from engine.tui.key_guard import KeyGuard


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("q,enter", "app.quit", "Close the console"),
        Binding("b", "back", "Back to the hot wash"),
        Binding("N", "correct_note", "Fix a note"),
        Binding("F", "feedback", "Open or close the feedback form", show=False),
    ]
    guard: KeyGuard | None = None  # set when the note form closes: keys typed for it are dropped

    def compose(self) -> ComposeResult:
        drill = self.app.drill  # type: ignore[attr-defined]
        state = drill.state
        statuses = list(state.statuses().values())
        path = shlex.quote(drill.path)
        lines = [
            Content.styled("The drill is over. Everything is in the log.", "bold"),
            Content(""),
            Content(f"Ran to {display.clock(state.t)}. Steps: {statuses.count(StepStatus.DONE)} done, "
                    f"{statuses.count(StepStatus.SKIPPED)} skipped, "
                    f"{sum(s not in (StepStatus.DONE, StepStatus.SKIPPED) for s in statuses)} not finished."),
            Content(f"Injects fired: {state.planned_fired()} of {len(state.plan.injects)}"
                    + (f", and {len(state.adhoc)} written ad hoc" if state.adhoc else "") + ". "
                    f"Decisions: {len(state.decisions)}. Notes: {len(state.notes)}."),
            Content(f"Objectives rated: {len(state.ratings)} of {len(state.plan.objectives)}. "
                    f"Hot-wash points: {len(state.hotwash)}."),
            Content(""),
            Content.assemble(("Log     ", "bold"), display.literal(drill.path)),
            Content.assemble(("Check   ", "bold"), display.literal(f"tabletop log verify {path}")),
            Content.assemble(("Report  ", "bold"), display.literal(f"tabletop report {path}")),
            *_what_if(state, drill.path),
            Content(""),
            Content.styled("q or Enter closes the console (the commands are printed again); b goes back.", "dim"),
            Content.styled("N amends or withdraws a note (the original stays in the log).", "dim"),
        ]
        with Vertical(id="summary"):
            yield Static(Content.styled("Summary", "bold reverse"), classes="dialog-title")
            yield Static(Content("\n").join(lines))
            yield Static(id="feedback-line")
        yield Footer()

    def action_correct_note(self) -> None:
        """N: notes may still be amended or withdrawn once the drill has ended (note.amended, note.withdrawn)."""
        from engine.tui.correction_actions import correct_note

        state = self.app.drill.state  # type: ignore[attr-defined]
        if not state.notes or len(state.withdrawn_notes()) == len(state.notes):
            self.notify("no note to amend or withdraw", title="Not now", severity="warning", markup=False)
            return
        correct_note(self)

    def on_screen_resume(self) -> None:
        self.guard = KeyGuard.of(self.app)

    def on_key(self, event: events.Key) -> None:
        """Keys typed as the note form closed do not close the console."""
        if self.guard is not None:
            self.guard.drop(event, self.app, "as the note form closed")

    def on_mount(self) -> None:
        room_open = feedback_toggle.refusal(self.app) is None
        self.query_one("#feedback-line").display = room_open
        if room_open:  # participants keep sending forms while this screen is up
            self.show_feedback()
            self.set_interval(1.0, self.show_feedback)

    def show_feedback(self) -> None:
        state = self.app.drill.state  # type: ignore[attr-defined]
        self.query_one("#feedback-line", Static).update(Content.assemble("\n", feedback_toggle.line(state)))

    def action_feedback(self) -> None:
        if feedback_toggle.refusal(self.app) is None:
            feedback_toggle.toggle(self.app)
            self.show_feedback()

    def action_back(self) -> None:
        from engine.tui.screens.hotwash import HotwashScreen

        self.app.switch_screen(HotwashScreen())


def _what_if(state: object, path: str) -> list[Content]:
    """For the hot wash's "what if": fork the drill at its first decision, the other way, and compare."""
    from engine.drill.fork import what_if

    commands = what_if(state, path)  # type: ignore[arg-type]
    if commands is None:
        return []
    return [Content.assemble(("What if ", "bold"), display.literal(commands[0])),
            Content.assemble(("Compare ", "bold"), display.literal(commands[1]))]
