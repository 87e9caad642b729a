"""The console's dialogs, with the console dimmed behind them and dimmed once.

A Textual modal screen with a translucent background draws the screen below
it, tinted, as its own background, and it draws that again on every repaint
of the dialog, not only when the screen below changed. Opening one dialog
repaints it three or four times (mounting, the first layout, focus moving to
its button), and at 200x50 each tinted copy of the console cost 30 to 40 ms
(bench/tui_bench.py, the "dialog" keys).

`Dialog` keeps the tinted lines it drew and draws them again only when they
can differ: the dialog's size or background changed, or the screen below
repainted something since (`Repaints.repaints`, counted where Textual hands a
lower screen's changes up to the screen on top). Below a screen that does not
count its repaints, a dialog draws as Textual does.

A dialog focuses its first field with `self.set_focus(widget)` in `on_mount`
(or `AUTO_FOCUS`), not `widget.focus()`: the latter waits for the message
queue, so focus would move after the first frame and repaint the dialog again.

This leans on two private methods of Textual's Screen and Widget
(`_compositor_refresh`, `_render_content`) and on `_screen_resized`; Textual is pinned exactly in
pyproject.toml, and the snapshot tests draw every dialog.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widget import _RenderCache

T = TypeVar("T")


class Repaints(Screen[Any]):
    """A screen that counts the times a change on it was handed up to a screen drawn over it."""

    repaints = 0

    def _compositor_refresh(self) -> None:
        if self is not self.app.screen and self._compositor._dirty_regions:
            self.repaints += 1  # a dialog over it must tint the new lines
        super()._compositor_refresh()

    def _screen_resized(self, size: Size) -> None:
        # A dialog opening over this screen is told its size, and Textual then lays out every screen below it
        # again (the console's 5,000-row table too) though their size has not changed. Skip that, unless a
        # layout is waiting (a widget mounted while it was covered). Its size is the app's, whatever it was laid
        # out at: compare the size of its last layout (a terminal resized while covered is a new size).
        if self is not self.app.screen and size == self._compositor.size and not self._layout_required:
            return
        super()._screen_resized(size)


class Dialog(ModalScreen[T], Repaints):
    """A modal screen that tints the screen below it once per change of that screen (see the module)."""

    _tinted: tuple[tuple[Any, ...], _RenderCache] | None = None

    def _render_content(self) -> None:
        key = self._tint_key()
        if key is not None and self._tinted is not None and self._tinted[0] == key:
            self._render_cache = self._tinted[1]
            self._dirty_regions.clear()
            return
        super()._render_content()
        self._tinted = None if key is None else (key, self._render_cache)

    def _tint_key(self) -> tuple[Any, ...] | None:
        """What the tinted background depends on, or None when it cannot be known (draw it afresh)."""
        stack = self.app.screen_stack
        if self not in stack or stack.index(self) == 0:
            return None
        below = stack[stack.index(self) - 1]
        if not isinstance(below, Repaints):
            return None
        return (self.size, str(self.styles.background), id(below), below.repaints, below.size)
