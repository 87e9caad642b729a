"""Skip a step: the reason is required, because the after-action report has to explain it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from engine.drill.plan import PlanStep
from engine.tui import display
from engine.tui.screens.form import FormScreen, buttons, field


class SkipScreen(FormScreen[None]):
    def __init__(self, step: PlanStep) -> None:
        super().__init__()
        self.step = step

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Skip ", "bold"), (display.literal(self.step.id), "bold")),
                         classes="dialog-title")
            yield Static(display.content(self.step.title), markup=False)
            yield field("Reason", Input(placeholder="required, e.g. not in scope for this exercise", id="reason",
                                        compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("ctrl+s: skip it · Esc: cancel", "dim"))
            yield from buttons("Skip the step")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.set_focus(self.query_one("#reason", Input))

    def action_submit(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.problem("A skip needs a reason.")
            return
        drill, key = self.drill, self.step.key
        self.record(lambda: drill.skip_step(key, reason))
