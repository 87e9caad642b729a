"""Revise a decision already made: the new option, why (required), who. Before recording, a confirmation
names what follows: the old branch's steps not started are skipped, those started stay, the new branch opens.

Both choices stay in the log; the report shows each with its time, reason and who.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.drill import events as ev
from engine.drill.foresight import foresee
from engine.drill.state import EventError
from engine.tui import display
from engine.tui.correction_actions import by_default, effect_lines
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.form import buttons, field
from engine.tui.screens.option_pick import OptionPick


class ReviseScreen(OptionPick):
    CHOICE_LISTS = {"options": "the new option (1-9 or ↑↓)"}

    def compose(self) -> ComposeResult:
        step, state = self.step, self.drill.state
        decision = state.decisions[step.key]
        by = f" by {decision.by}" if decision.by else ""
        why = f": {decision.rationale}" if decision.rationale else ""
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Revise decision ", "bold"), (display.literal(step.id), "bold")),
                         classes="dialog-title")
            yield Static(display.content(step.question or step.title), markup=False)
            yield Static(display.content(f"Now: {decision.option}, decided at {display.clock(decision.t)}{by}{why}",
                                         "dim"), markup=False)
            yield OptionList(*(Option(self._prompt(n, option), id=option, disabled=option == decision.option)
                               for n, option in enumerate(step.options or {}, 1)), id="options")
            yield field("Why", Input(placeholder="required: what changed since the decision", id="reason",
                                     compact=True))
            yield field("Revised by", Input(value=by_default(state, step), placeholder="name or role", id="by",
                                            compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("1-9 or ↑↓: the new option · Enter: next field · ctrl+s: review "
                                        "and record · Esc: cancel", "dim"))
            yield from buttons("Revise")

    def aside(self, option: str) -> str:
        return "  (the decision now)" if option == self.drill.state.decisions[self.step.key].option else ""

    def refusal(self, option: str) -> str | None:
        if option == self.drill.state.decisions[self.step.key].option:
            return f"`{option}` is the decision now: choose another option."
        return None

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        options = self.query_one("#options", OptionList)
        self.set_focus(options)
        options.action_first()  # the first option that is not the decision now

    def action_submit(self) -> None:
        option, reason = self.chosen, self.query_one("#reason", Input).value.strip()
        if option is None:
            self.problem("Choose the new option first (1-9 or ↑↓).")
            self.query_one("#options", OptionList).focus()
            return
        if not reason:
            self.problem("A revision needs a reason: what changed since the decision.")
            self.set_focus(self.query_one("#reason", Input))
            return
        by = self.query_one("#by", Input).value.strip()
        drill, key = self.drill, self.step.key
        payload = ev.DecisionRevised(key, option, reason, by)
        try:
            effects = foresee(drill.state, payload, drill.now_t())
        except EventError as exc:
            self.problem(str(exc))
            return
        old = drill.state.decisions[key].option
        lines = [f"{self.step.id}: `{old}` becomes `{option}` at {display.clock(drill.now_t())}.",
                 *effect_lines(effects, revision=True),
                 "Both choices stay in the log; the report shows each with its time and reason."]

        def done(yes: bool | None) -> None:
            if yes:
                self.record(lambda: drill.revise(key, option, reason, by))

        self.app.push_screen(ConfirmScreen(f"Revise {display.literal(self.step.id, one_line=True)}?",
                                           "\n".join(lines), "Revise"), done)
