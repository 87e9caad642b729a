"""The top line: exercise clock, running or paused, countdown to the next inject, the countdown of the
timed decision due soonest (engine.drill.timed), scenario title.

Ordered by what the facilitator needs first, so a narrow terminal cuts the title, never the clock.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from engine.drill import timed
from engine.drill.state import DrillState
from engine.tui import display


def next_inject(state: DrillState, now_t: float) -> Content:
    """`next inject in 2:26: gateway-backlog`, `inject due`, or `no inject scheduled`."""
    upcoming = state.upcoming()
    if not upcoming:
        contingent = sum(1 for i in state.plan.injects if i.id not in state.fired)
        return Content(f"{contingent} contingency inject(s) waiting on the team" if contingent
                       else "every inject has fired")
    t, inject = upcoming[0]
    if t <= now_t:
        return Content.assemble(("inject due: ", "bold"), display.literal(inject.id))
    return Content.assemble("next inject in ", (display.countdown(t - now_t), "bold"), ": ",
                            display.literal(inject.id))


def next_default(state: DrillState, now_t: float) -> Content | None:
    """`⏱ failover-decision → hold in 12:30`: the timed decision whose time runs out soonest, and the option
    taken then; None when no countdown runs."""
    keys = timed.running(state)
    if not keys or state.ended:
        return None
    step = state.plan.steps[keys[0]]
    left = timed.left(state, step.key, now_t) or 0.0
    when = ("in ", (display.countdown(left), "bold")) if left > 0 else (("once unblocked", "bold"),)
    return Content.assemble(("⏱ ", "bold"), display.literal(step.id), " → ", display.literal(step.default or ""),
                            " ", *when)


class ClockBar(Static):
    """One line, rebuilt every second; repainted only when its text changes (a key press within the same
    second leaves it, and the top line of the screen, alone)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: Content | None = None

    def show(self, state: DrillState, now_t: float, title: str) -> None:
        if state.ended:
            mode, style = "■ ENDED", "bold"
        elif state.running:
            mode, style = "▶ RUNNING", "bold"
        else:
            mode, style = "‖ PAUSED", "bold reverse"
        deciding = next_default(state, now_t)
        line = Content.assemble(
            (f" {display.clock(now_t)} ", "bold reverse"), " ", (mode, style), "  ",
            next_inject(state, now_t), *(("  │  ", deciding) if deciding is not None else ()), "  │  ",
            display.content(title, one_line=True),
        )
        if self._shown is None or not line.is_same(self._shown):
            self.update(line, layout=False)  # always one line
            self._shown = line
