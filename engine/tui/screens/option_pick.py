"""The part a decision form and a revision form share: a list of a decision step's options, one of which
is marked as chosen (1-9 or ↑↓ mark it; the focus stays on the list until Enter goes on to the next field)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList

from engine.drill.plan import PlanStep
from engine.tui import display
from engine.tui.screens.form import FormScreen


class OptionPick(FormScreen[None]):
    """A form over `step`'s options (an OptionList `#options`, a choice list); `chosen` is the marked option."""

    CHOICE_LISTS = {"options": "an option (1-9 or ↑↓)"}

    def __init__(self, step: PlanStep) -> None:
        super().__init__()
        self.step = step
        self.chosen: str | None = None

    def refusal(self, option: str) -> str | None:
        """Why `option` cannot be chosen here, or None."""
        return None

    def aside(self, option: str) -> str:
        """A dim note after `option`'s line (empty: none)."""
        return ""

    def _prompt(self, n: int, option: str) -> Content:
        opens = ", ".join(t.partition("/")[2] for t in (self.step.options or {})[option])
        mark = "(•)" if option == self.chosen else "( )"  # the choice reads without colour
        return Content.assemble((f"{mark} {n}. ", "bold"), (display.literal(option), "bold"), "  ",
                                display.literal(self.step.labels.get(option, option)),
                                (f"  → {display.literal(opens)}{self.aside(option)}", "dim"))

    def choose(self, index: int) -> None:
        """Mark the option at `index` as chosen, unless `refusal` names a reason not to."""
        names = list(self.step.options or {})
        refused = self.refusal(names[index])
        if refused:
            self.problem(refused)
            return
        self.chosen = names[index]
        options = self.query_one("#options", OptionList)
        for n, name in enumerate(names):
            options.replace_option_prompt_at_index(n, self._prompt(n + 1, name))
        options.highlighted = index
        self.problem("")

    def mark(self, list_id: str, index: int) -> None:
        self.choose(index)

    def marked(self, list_id: str) -> bool:
        return self.chosen is not None

    def shortcut(self, list_id: str, key: str) -> int | None:
        count = self.query_one("#options", OptionList).option_count
        return int(key) - 1 if key.isdigit() and 0 < int(key) <= count else None
