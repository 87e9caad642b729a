"""Amend a decision: its rationale and who decided, as they should read, without changing the option
(decision.amended). Both fields start from the decision as it stands; the reason is required.

The log keeps the decision as first recorded and the amendment; the report shows both with their
times, the reason and who.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from engine.drill.plan import PlanStep
from engine.tui import display
from engine.tui.correction_actions import by_default
from engine.tui.literal import one_line
from engine.tui.screens.form import FormScreen, buttons, field


class AmendDecisionScreen(FormScreen[None]):
    def __init__(self, step: PlanStep) -> None:
        super().__init__()
        self.step = step

    def compose(self) -> ComposeResult:
        state, step = self.drill.state, self.step
        decision = state.decisions[step.key]
        label = step.labels.get(decision.option, decision.option)
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Amend decision ", "bold"), (display.literal(step.id), "bold")),
                         classes="dialog-title")
            yield Static(display.content(f"The option stays: {decision.option} ({label}), decided at "
                                         f"{display.clock(decision.t)}. D changes the option.", "dim"), markup=False)
            yield field("Why", Input(value=one_line(decision.rationale), placeholder="the rationale as it should read",
                                     id="rationale", compact=True))
            yield field("Decided by", Input(value=one_line(decision.by), placeholder="name or role", id="decided-by",
                                            compact=True))
            yield field("Reason", Input(placeholder="required: what was wrong", id="reason", compact=True))
            yield field("Amended by", Input(value=by_default(state), placeholder="name or role", id="by",
                                            compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("Enter: next field · ctrl+s: record · Esc: cancel", "dim"))
            yield from buttons("Amend")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.set_focus(self.query_one("#rationale", Input))

    def action_submit(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip()
                  for name in ("rationale", "decided-by", "reason", "by")}
        for name, why in (("rationale", "A decision needs its rationale: what the team weighed."),
                          ("decided-by", "A decision needs who decided it: a name or a role."),
                          ("reason", "An amendment needs a reason: what was wrong.")):
            if not values[name]:
                self.problem(why)
                self.set_focus(self.query_one(f"#{name}", Input))
                return
        decision = self.drill.state.decisions[self.step.key]
        if (values["rationale"], values["decided-by"]) == (one_line(decision.rationale), one_line(decision.by)):
            self.problem("The rationale and who decided read as they stand: change one, or Esc to cancel.")
            return
        drill, key = self.drill, self.step.key
        self.record(lambda: drill.amend_decision(key, values["rationale"], values["decided-by"], values["reason"],
                                                 values["by"]))
