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
count its repaints, a dialog tints afresh on every repaint, as Textual does. It tints
the lower screen's lines directly, one style at a time (`tinted`), not through
Rich's console as Textual's `BackgroundScreen` does: the same segments and
styles (a test compares the two), some 10 ms instead of 14 at 200x50.

A dialog focuses its first field with `self.set_focus(widget)` in `on_mount`
(or `AUTO_FOCUS`), not `widget.focus()`: the latter waits for the message
queue, so focus would move after the first frame and repaint the dialog again.

This leans on two private methods of Textual's Screen and Widget
(`_compositor_refresh`, `_render_content`), on `_screen_resized`, and on the
compositor's `render_strips` and the `visible_screen_stack` context; Textual is pinned exactly in
pyproject.toml, and the snapshot tests draw every dialog.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual._context import visible_screen_stack
from textual.color import Color
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
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
        if not self._tint_below():
            super()._render_content()
        self._tinted = None if key is None else (key, self._render_cache)

    def _tint_below(self) -> bool:
        """Draw the screen below, tinted, as this screen's content, the way Textual's `Screen.render` (a
        `BackgroundScreen`) and `Widget.post_render` draw it, from the lower screen's lines rather than through
        Rich's console (at 200x50 about 10 ms instead of 14); whether it did (False: Textual draws it)."""
        color = self.styles.background
        stack = visible_screen_stack.get(None)
        if not stack or stack[-1] is self or color.a >= 1:
            return False
        below = stack.pop()  # as Screen.render takes it: a screen further down is for the one below to take
        height = self.size.height
        lines = tinted(below._compositor.render_strips(), color, self.visual_style.rich_style)
        self._render_cache = _RenderCache(self.size, lines[:height])
        self._dirty_regions.clear()
        return True

    def _tint_key(self) -> tuple[Any, ...] | None:
        """What the tinted background depends on, or None when it cannot be known (draw it afresh)."""
        stack = self.app.screen_stack
        if self not in stack or stack.index(self) == 0:
            return None
        below = stack[stack.index(self) - 1]
        if not isinstance(below, Repaints):
            return None
        return (self.size, str(self.styles.background), id(below), below.repaints, below.size)


def tinted(lines: list[Strip], color: Color, base: Style) -> list[Strip]:
    """`lines` with `color` laid over them and `base` under each style, links and meta dropped: what Textual's
    BackgroundScreen and a widget's post_render make of a lower screen's lines, one style at a time (a screen
    has a few dozen styles in thousands of segments)."""
    memo: dict[Style | None, Style] = {}

    def restyle(style: Style | None) -> Style:
        plain = Style() if style is None else style.clear_meta_and_links()
        if color.a != 0:
            fg = None if plain.color is None else (Color.from_rich_color(plain.color) + color).rich_color
            bg = None if plain.bgcolor is None else (Color.from_rich_color(plain.bgcolor) + color).rich_color
            plain = plain + Style.from_color(fg, bg)
        return base + plain if base else plain

    out = []
    for line in lines:
        segments = []
        for text, style, control in line:
            if control:  # BackgroundScreen passes these on untinted; post_render still lays the base under them
                segments.append(Segment(text, (base + style if style else base) if base else style,
                                        None if base else control))
                continue
            new = memo.get(style)
            if new is None:
                new = memo[style] = restyle(style)
            segments.append(Segment(text, new, None if base else control))
        out.append(Strip(segments, line.cell_length))
    return out
