"""Where a discussion-based exercise stands: the module under way, the time in it, and the next one.

A module is under way once one of its injects has fired or its scheduled start
has come; the latest such module is the current one. Nothing here is stored:
it is read off the drill state (the fired injects and the clock), so resume and
the report see the same modules as the console did. Moving on to the next
module is a clock jump to its start, after which its injects come due and
fire as usual; for a module without a scheduled start, its own injects fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.drill.state import DrillState

if TYPE_CHECKING:  # a pydantic model or its engine.quick_check record: only fields are read
    from engine.model import Module


@dataclass(frozen=True)
class ModuleView:
    """The current module (None before the first has started) and the next one."""

    index: int | None  # into scenario.modules
    total: int
    current: Module | None
    started_t: float | None  # scenario seconds when it began
    following: Module | None
    following_t: int | None  # its scheduled start, or None for a branch module


def scheduled_start(module: Module) -> int | None:
    """Seconds after T+0 at which the module starts on the exercise clock; None for a branch module."""
    if module.at is None or module.after is not None or module.at[0] != "absolute":
        return None
    return module.at[1]


def view(state: DrillState, now_t: float) -> ModuleView | None:
    """Where the exercise stands; None for a scenario without modules."""
    modules = state.plan.scenario.modules
    if not modules:
        return None
    reached: list[tuple[int, float]] = []
    for index, module in enumerate(modules):
        fired = [state.fired[i].t for i in module.injects if i in state.fired]
        start = scheduled_start(module)
        if start is not None and start <= now_t:
            fired.append(start)
        if fired:
            reached.append((index, min(fired)))
    current: int | None = reached[-1][0] if reached else None
    started: float | None = reached[-1][1] if reached else None
    after = current + 1 if current is not None else 0
    following = modules[after] if after < len(modules) else None
    return ModuleView(current, len(modules), modules[current] if current is not None else None, started,
                      following, scheduled_start(following) if following else None)


def opening_injects(state: DrillState, module: Module) -> list[str]:
    """The module's injects that have not fired and are not waiting for a decision or a step."""
    by_id = {i.id: i for i in state.plan.injects}
    return [i for i in module.injects if i not in state.fired and i in by_id and not by_id[i].contingent]
