"""The focused step's `do` list: Enter, space or a click ticks (or unticks) the highlighted item."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.tui import display


class Checklist(OptionList):
    BINDINGS = [Binding("space", "select", "Tick", show=False)]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[str | None, tuple[str, ...], frozenset[int]] | None = None

    def show(self, step_key: str | None, items: list[str], ticks: set[int]) -> None:
        """Render the items with [x] or [ ]; keeps the highlight when only the ticks changed."""
        shown = (step_key, tuple(items), frozenset(ticks))
        if shown == self._shown:
            return
        same_step = self._shown is not None and self._shown[0] == step_key
        keep = self.highlighted if same_step else None
        self._shown = shown
        self.set_options([
            Option(Content.assemble(("[x] " if i in ticks else "[ ] ", "bold"), display.literal(text, one_line=True)),
                   id=f"item-{i}")
            for i, text in enumerate(items)
        ])
        self.display = bool(items)
        if items:
            self.highlighted = keep if keep is not None and keep < len(items) else self._first_open(ticks, len(items))

    @staticmethod
    def _first_open(ticks: set[int], count: int) -> int:
        return next((i for i in range(count) if i not in ticks), 0)
