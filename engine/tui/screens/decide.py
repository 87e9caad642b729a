"""Record a decision: the option chosen, the rationale, and who decided (the owner's name to start with)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.drill.plan import PlanStep
from engine.tui import display
from engine.tui.screens.form import FormScreen, buttons, field


class DecideScreen(FormScreen[None]):
    def __init__(self, step: PlanStep) -> None:
        super().__init__()
        self.step = step
        self.chosen: str | None = None

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

    def _prompt(self, n: int, option: str) -> Content:
        step = self.step
        opens = ", ".join(t.partition("/")[2] for t in (step.options or {})[option])
        mark = "(•)" if option == self.chosen else "( )"  # the choice reads without colour
        return Content.assemble((f"{mark} {n}. ", "bold"), (display.literal(option), "bold"), "  ",
                                display.literal(step.labels.get(option, option)),
                                (f"  → {display.literal(opens)}", "dim"))

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.query_one("#options", OptionList).focus()

    def choose(self, index: int) -> None:
        """Mark an option as the team's choice (moving the list's cursor alone chooses nothing)."""
        options = self.query_one("#options", OptionList)
        names = list(self.step.options or {})
        self.chosen = names[index]
        for n, name in enumerate(names):
            options.replace_option_prompt_at_index(n, self._prompt(n + 1, name))
        options.highlighted = index
        self.problem("")
        self.set_focus(self.query_one("#rationale", Input))

    def on_key(self, event: events.Key) -> None:
        options = self.query_one("#options", OptionList)
        if options.has_focus and event.key.isdigit() and 0 < int(event.key) <= options.option_count:
            event.stop()
            self.choose(int(event.key) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option_index)

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
