"""Text that is redrawn every second but seldom changes: skip identical updates, and ask for a new
layout only when the shape of the text (its lines and their lengths) has changed, so a ticking
countdown does not re-lay out the whole screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class PaneText(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._shown: Content | None = None
        self._shape: tuple[int, ...] = ()

    def show(self, content: Content) -> None:
        if self._shown is not None and content.is_same(self._shown):
            return
        shape = tuple(line.cell_length for line in content.split("\n"))
        self.update(content, layout=shape != self._shape)
        self._shown, self._shape = content, shape

    def remeasure(self) -> None:
        """Lay the text out again. Text set while its pane was hidden, or in the very first layout,
        can keep the height it had when empty; the console calls this when panes appear."""
        if self._shown is not None:
            self.update(self._shown, layout=True)
