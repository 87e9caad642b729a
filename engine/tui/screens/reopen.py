"""Reopen a step marked done or skipped by mistake: the reason is required, and the form says what
reopening does before ctrl+s records it (the step goes back to active, or to waiting or ready)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from engine.drill import events as ev
from engine.drill.foresight import foresee
from engine.drill.plan import PlanStep
from engine.drill.state import EventError
from engine.tui import display
from engine.tui.correction_actions import by_default, effect_lines, status_word
from engine.tui.screens.form import FormScreen, buttons, field


class ReopenScreen(FormScreen[None]):
    def __init__(self, step: PlanStep) -> None:
        super().__init__()
        self.step = step

    def compose(self) -> ComposeResult:
        state, key = self.drill.state, self.step.key
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Reopen ", "bold"), (display.literal(self.step.id), "bold")),
                         classes="dialog-title")
            yield Static(display.content(self.step.title), markup=False)
            yield Static(display.content(f"Now: {status_word(state, key)}.", "dim"), markup=False)
            yield Static(display.content("\n".join(self._effects())), markup=False)
            yield field("Reason", Input(placeholder="required, e.g. marked done by mistake", id="reason",
                                        compact=True))
            yield field("By", Input(value=by_default(state), placeholder="name or role", id="by", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("Enter: next field · ctrl+s: reopen it · Esc: cancel", "dim"))
            yield from buttons("Reopen the step")

    def _effects(self) -> list[str]:
        """What reopening changes; the log keeps the done or skip it corrects."""
        drill = self.drill
        try:
            effects = foresee(drill.state, ev.StepReopened(self.step.key, "(preview)"), drill.now_t())
        except EventError as exc:
            return [f"It cannot be reopened: {exc}"]
        return [*effect_lines(effects), "The log keeps what it corrects; the report shows both."]

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.set_focus(self.query_one("#reason", Input))

    def action_submit(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.problem("Reopening needs a reason.")
            return
        by = self.query_one("#by", Input).value.strip()
        drill, key = self.drill, self.step.key
        self.record(lambda: drill.reopen(key, reason, by))
