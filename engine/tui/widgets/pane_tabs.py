"""One line naming the side panes, the one on screen marked; a click (or 1-4) switches.

Used instead of Textual's Tabs, whose sliding underline costs extra frames and a second row.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.content import Content
from textual.widgets import Static


class PaneTabs(Static):
    def __init__(self, panes: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.panes = panes
        self.chosen: Callable[[str], None] | None = None  # called with the pane clicked
        self._spans: list[tuple[int, int, str]] = []

    def show(self, current: str) -> None:
        parts: list[str | tuple[str, str]] = []
        self._spans = []
        x = 0
        for n, pane in enumerate(self.panes, 1):
            label = f" {n} {pane.title()} "
            marked = f"[{label.strip()}]" if pane == current else label  # brackets: readable without colour
            parts.append((f"{marked:^{len(label) + 2}}", "bold reverse" if pane == current else "dim"))
            self._spans.append((x, x + len(label) + 2, pane))
            x += len(label) + 2
        self.update(Content.assemble(*parts), layout=False)

    def on_click(self, event: events.Click) -> None:
        for start, end, pane in self._spans:
            if start <= event.x < end and self.chosen is not None:
                self.chosen(pane)
                return
