"""The top line: exercise clock, running or paused, countdown to the next inject, scenario title.

Ordered by what the facilitator needs first, so a narrow terminal cuts the title, never the clock.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

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
        line = Content.assemble(
            (f" {display.clock(now_t)} ", "bold reverse"), " ", (mode, style), "  ",
            next_inject(state, now_t), "  │  ", display.content(title, one_line=True),
        )
        if self._shown is None or not line.is_same(self._shown):
            self.update(line, layout=False)  # always one line
            self._shown = line
