"""The module line of a discussion-based exercise: the module under way, time in it, and the next one.

Shown only for scenarios with `modules:`; one line under the clock, cut at the
right on a narrow terminal so the current module's name stays readable.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from engine.drill.modules import ModuleView
from engine.tui import display


def describe(view: ModuleView, now_t: float) -> Content:
    """`Module 1/3 The mail stops · 0:42:10 in · next: Module 2 at T+1:30 (m)`."""
    if view.current is None or view.index is None:
        head = Content.assemble(("before the first module", "bold"))
    else:
        head = Content.assemble((f" {view.index + 1}/{view.total} ", "bold reverse"), " ",
                                display.content(view.current.title, "bold", one_line=True),
                                f" · {display.countdown(now_t - (view.started_t or 0))} in")
    if view.following is None:
        tail = Content(" · the last module")
    else:
        when = f" at {display.clock(view.following_t)[:-3]}" if view.following_t is not None else ""
        tail = Content.assemble(" · next: ", display.content(view.following.title, one_line=True), when,
                                ("  m: next module, M: questions", "dim"))
    return Content.assemble(head, tail)


class ModuleBar(Static):
    """One line, rebuilt with the clock: repainted when its text changes, never laid out again (its height
    is fixed at one line), so a key press or a tick does not re-lay out the screen."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: Content | None = None

    def show(self, view: ModuleView | None, now_t: float) -> None:
        self.display = view is not None
        if view is None:
            return
        line = describe(view, now_t)
        if self._shown is None or not line.is_same(self._shown):
            self.update(line, layout=False)
            self._shown = line
