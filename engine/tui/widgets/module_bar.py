"""The module line of a discussion-based exercise: the module under way, time in it, and the next one.

Shown only for scenarios with `modules:`; one line under the clock. When the
whole line does not fit the terminal it gives way in this order: the key hint
goes, then a title's leading "Module 2:" (the bar numbers the modules itself),
then the next title is cut after a whole word with an ellipsis, then both,
each keeping half the room (a short one leaves the rest to the other); the
numbers, the time in the module and the next start time always stay.
"""

from __future__ import annotations

import re

from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from engine.drill.modules import ModuleView
from engine.tui import display

HINT = "  m: next module, M: questions"
MIN_TITLE = 12  # cells a cut title keeps (with its ellipsis)


def bare_title(title: str, number: int) -> str:
    """The title without a leading `Module 2:` (or `Module 2 -`) when it repeats the module's number."""
    match = re.match(rf"\s*module\s+{number}\s*[:.\-–—]\s*", title, flags=re.IGNORECASE)
    rest = title[match.end():] if match else ""
    return rest if rest.strip() else title


def _title(text: str, style: str, width: int | None) -> Content:
    """The title in at most `width` cells: cut after a whole word where one ends late enough, then `…`."""
    shown = display.content(text, style, one_line=True)
    if width is None or shown.cell_length <= width:
        return shown
    cut = shown.truncate(max(width - 1, 1)).plain
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return Content.styled(cut.rstrip(" ,;:-–—") + "…", style)


def _line(view: ModuleView, now_t: float, *, hint: bool, bare: bool, cut_now: int | None,
          cut_next: int | None) -> Content:
    if view.current is None or view.index is None:
        head = Content.assemble(("before the first module", "bold"))
    else:
        title = bare_title(view.current.title, view.index + 1) if bare else view.current.title
        head = Content.assemble((f" {view.index + 1}/{view.total} ", "bold reverse"), " ",
                                _title(title, "bold", cut_now),
                                f" · {display.elapsed(now_t - (view.started_t or 0))} in")
    if view.following is None:
        return Content.assemble(head, " · the last module")
    number = (view.index + 2) if view.index is not None else 1
    title = bare_title(view.following.title, number) if bare else view.following.title
    when = f" at {display.clock(view.following_t)[:-3]}" if view.following_t is not None else ""
    label = f" · next {number}/{view.total}: " if bare else " · next: "
    return Content.assemble(head, label, _title(title, "", cut_next), when, (HINT, "dim") if hint else "")


def describe(view: ModuleView, now_t: float, width: int | None = None) -> Content:
    """`Module 1/3 The mail stops · 42m 10s in · next: Module 2 at T+1:30 (m)`, fitted to `width` cells
    (None: the whole line)."""
    full = _line(view, now_t, hint=True, bare=False, cut_now=None, cut_next=None)
    if width is None or full.cell_length <= width:
        return full
    for bare in (False, True):
        line = _line(view, now_t, hint=False, bare=bare, cut_now=None, cut_next=None)
        if line.cell_length <= width:
            return line
    now_cells, next_cells = _title_cells(view)
    room = width - (line.cell_length - now_cells - next_cells)  # cells left for the two titles
    fair = max(MIN_TITLE, room // 2)  # each title its half; a short one leaves the rest to the other
    if room - now_cells >= MIN_TITLE:  # the current title whole, the next one cut
        cut_now, cut_next = now_cells, room - now_cells
    elif now_cells <= fair:
        cut_now, cut_next = now_cells, max(MIN_TITLE, room - now_cells)
    elif next_cells <= fair:
        cut_now, cut_next = max(MIN_TITLE, room - next_cells), next_cells
    else:
        cut_now, cut_next = max(MIN_TITLE, room - fair), fair
    return _line(view, now_t, hint=False, bare=True, cut_now=cut_now, cut_next=cut_next)


def _title_cells(view: ModuleView) -> tuple[int, int]:
    """The cells of the current and the next module's titles as the fitted line shows them (bare)."""
    now = bare_title(view.current.title, (view.index or 0) + 1) if view.current is not None else ""
    following = bare_title(view.following.title, (view.index + 2) if view.index is not None else 1) \
        if view.following is not None else ""
    return (display.content(now, one_line=True).cell_length if view.current is not None else 0,
            display.content(following, one_line=True).cell_length)


class ModuleBar(Static):
    """One line, rebuilt with the clock and fitted to the bar's width: repainted when its text changes, never
    laid out again (its height is fixed at one line), so a key press or a tick does not re-lay out the screen."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: Content | None = None
        self._last: tuple[ModuleView, float] | None = None

    def show(self, view: ModuleView | None, now_t: float) -> None:
        self.display = view is not None
        if view is None:
            return
        self._last = (view, now_t)
        self._paint(describe(view, now_t, self._width()))

    def _paint(self, line: Content) -> None:
        if self._shown is None or not line.is_same(self._shown):
            self.update(line, layout=False)
            self._shown = line

    def _width(self) -> int | None:
        width = self.content_region.width or self.app.size.width
        return width if width > 0 else None

    def on_resize(self, event: Resize) -> None:
        if self._last is not None:
            self._paint(describe(*self._last, self._width()))
