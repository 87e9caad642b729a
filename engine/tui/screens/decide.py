"""Record a decision: the option chosen, the rationale, and who decided (the owner's name to start with)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.tui import display
from engine.tui.screens.form import buttons, field
from engine.tui.screens.option_pick import OptionPick


class DecideScreen(OptionPick):
    NEXT_FIELD = "rationale"

    def compose(self) -> ComposeResult:
        step = self.step
        state = self.drill.state
        by = (state.participants.get(step.owner or "") or "") if step.owner else ""
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Decision ", "bold"), (display.literal(step.id), "bold")),
                         classes="dialog-title")
            yield Static(display.content(step.question or step.title), markup=False)
            yield OptionList(*(Option(self._prompt(n, option), id=option)
                               for n, option in enumerate(step.options or {}, 1)), id="options")
            yield field("Why", Input(placeholder="the rationale: what the team weighed", id="rationale", compact=True))
            yield field("Decided by", Input(value=by, placeholder="name or role", id="by", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("1-9 or ↑↓ Enter: choose · Enter: next field · ctrl+s: record · "
                                        "Esc: cancel", "dim"))
            yield from buttons("Record the decision")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.query_one("#options", OptionList).focus()

    def action_submit(self) -> None:
        option = self.chosen
        if option is None:
            self.problem("Choose the option the team decided on first (1-9, or ↑↓ and Enter).")
            self.query_one("#options", OptionList).focus()
            return
        rationale = self.query_one("#rationale", Input).value.strip()
        by = self.query_one("#by", Input).value.strip()
        drill, key = self.drill, self.step.key
        self.record(lambda: drill.decide(key, option, rationale, by))
