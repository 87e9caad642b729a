"""Jump the exercise clock forward: to a scenario time (`T+4h`, `T+1:30`, `1:30`) or by an amount
from now (`+30m`, `+2:26`). Injects that come due on the way fire, stamped with their own due time
and marked as fired late by the jump, and are announced when the jump is recorded."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from engine.bounds import MAX_CLOCK_SECONDS
from engine.duration import DurationError, parse_offset
from engine.tui import display
from engine.tui.screens.form import FormScreen, buttons, field

_COLON = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")
_SPAN = re.compile(r"^(\d+)h([0-5]\d)$")  # 1h05, as the console shows a time spent


def read_time(text: str) -> tuple[str, int]:
    """("absolute" | "relative", seconds) for every way the console prints a time.

    `T+0:12:05`, `T+0:35`, `1:30` (h:mm[:ss]) and `T+4h`, `4h`, `1h05` are scenario times;
    `+30m`, `+1h30m` and `+2:26` (m:ss, as in "next inject in 2:26") are amounts from now.
    Raises DurationError (from engine.duration) when the text reads as none of these.
    """
    s = text.strip().replace(" ", "")
    relative = s.startswith("+")
    body = s[1:] if relative else (s[2:] if s[:2].upper() == "T+" else s)
    kind = "relative" if relative else "absolute"
    if match := _COLON.match(body):
        a, b, c = int(match[1]), int(match[2]), match[3]
        if c is not None:
            return kind, a * 3600 + b * 60 + int(c)
        return kind, a * 60 + b if relative else a * 3600 + b * 60  # +m:ss like the countdown; h:mm like the clock
    if match := _SPAN.match(body):
        return kind, int(match[1]) * 3600 + int(match[2]) * 60
    try:
        return parse_offset(s)
    except DurationError:
        raise DurationError(f"{text.strip()!r} is not a time: write T+4h, T+1:30, 1:30 or +30m") from None


def jump_target(text: str, now_t: float) -> float:
    """Scenario seconds the clock jumps to; raises DurationError if it does not read or is not ahead."""
    kind, seconds = read_time(text)
    to = float(seconds) + (now_t if kind == "relative" else 0.0)
    if to > MAX_CLOCK_SECONDS:
        raise DurationError(f"the clock reads at most T+{MAX_CLOCK_SECONDS // 86400}d; jump to an earlier time")
    if to <= now_t:
        raise DurationError(f"the clock only jumps forward; it reads {display.clock(now_t)} now")
    return to


class JumpScreen(FormScreen[None]):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Jump the clock", "bold"), classes="dialog-title")
            yield Static(id="jump-now", markup=False)
            yield field("Jump to", Input(placeholder="T+4h, T+1:30 or 1:30 (scenario time); +30m (from now)",
                                         id="to", compact=True))
            yield Static(id="jump-preview", markup=False)
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("ctrl+s: jump · Esc: cancel", "dim"))
            yield from buttons("Jump")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.clock_moved()
        self.set_focus(self.query_one("#to", Input))

    def clock_moved(self) -> None:
        """The clock ticked (DrillApp.tick): the time and the arithmetic read at this moment."""
        self.query_one("#jump-now", Static).update(Content(f"The clock reads {display.clock(self.drill.now_t())}."))
        self.preview(self.query_one("#to", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.preview(event.value)

    def preview(self, value: str) -> None:
        """Where `value` takes the clock from now, and the injects that fire on the way."""
        preview = self.query_one("#jump-preview", Static)
        state, now_t = self.drill.state, self.drill.now_t()
        try:
            to = jump_target(value, now_t)
        except DurationError:
            preview.update("")
            return
        due = [i.id for t, i in state.upcoming() if t <= to]
        fires = (f"; {len(due)} inject(s) fire, late, each stamped with its own time: {', '.join(due)}" if due
                 else "; no inject comes due")
        preview.update(Content.styled(f"→ {display.clock(to)} (+{display.span(to - now_t)}){fires}", "dim"))

    def action_submit(self) -> None:
        drill = self.drill
        try:
            to = jump_target(self.query_one("#to", Input).value, drill.now_t())
        except DurationError as exc:
            self.problem(str(exc))
            return
        app = self.drill_app

        def jump() -> None:
            drill.jump(to)

        if self.record(jump):
            app.tick()  # fire what came due; the console announces it when this form has closed
