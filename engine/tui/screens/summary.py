"""The end: what was recorded, where the log is, and the commands to check it and write the report."""

from __future__ import annotations

import shlex

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from engine.drill.state import StepStatus
from engine.tui import display


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("q,enter", "app.quit", "Close the console"),
        Binding("b", "back", "Back to the hot wash"),
    ]

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
            Content(""),
            Content.styled("q or Enter closes the console (the commands are printed again); b goes back.", "dim"),
        ]
        with Vertical(id="summary"):
            yield Static(Content.styled("Summary", "bold reverse"), classes="dialog-title")
            yield Static(Content("\n").join(lines))
        yield Footer()

    def action_back(self) -> None:
        from engine.tui.screens.hotwash import HotwashScreen

        self.app.switch_screen(HotwashScreen())
