"""How a drill moves on in virtual time, when no one is at the console: the policy shared by
headless play (engine.drill.play) and explore (engine.drill.explore).

At each moment of scenario time, until nothing more changes:

1. the injects that are due fire, soonest first (`due_injects`);
2. the started steps whose time is up finish (`time_is_up`): a step takes
   its `target`, or DEFAULT_STEP_SECONDS without one (play: or the team
   file's duration); a step blocked while at work starts its time again
   when its service comes back (`BlockWatch`); a decision step finishes by
   being decided;
3. every ready step starts, in plan order (`ready_steps`).

Nothing here reads a clock; times are scenario seconds. A driver that keeps
the incremental sets of engine.drill.frontier passes them in (`queue`,
`frontier`, the `keys` an event changed): the answers are the same as a full
scan of the state, in the same order, at a cost that does not grow with the
plan at every event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from engine.drill.plan import Plan, PlanInject
from engine.drill.state import DrillState, StepStatus

if TYPE_CHECKING:
    from engine.drill.frontier import Frontier, InjectQueue

DEFAULT_STEP_SECONDS = 600  # a step with no target (and no team duration) takes ten minutes
EPSILON = 1e-6  # scenario seconds: a finish time this close to now is now


def step_seconds(plan: Plan, key: str, durations: dict[str, int] | None = None) -> int:
    """How long a step takes once started: `durations[key]` if given, else its target, else the default."""
    if durations and key in durations:
        return durations[key]
    target = plan.steps[key].target
    return DEFAULT_STEP_SECONDS if target is None else target


def due_injects(state: DrillState, now: float, queue: InjectQueue | None = None) -> list[PlanInject]:
    """The injects to fire at scenario time `now`, soonest first (not fired yet, and their time has come).

    `queue`: the driver's InjectQueue of this state; the injects returned are taken off it."""
    due = state.due(now) if queue is None else queue.due(now)
    return [inject for inject in due if inject.id not in state.fired]


def ready_steps(state: DrillState, busy: set[str] | dict[str, float] | None = None,
                frontier: Frontier | None = None) -> list[str]:
    """The steps to start now: every ready step, in plan order, except those in `busy`.

    `frontier`: the driver's Frontier of this state, read instead of asking the state about every step."""
    keys: Iterable[str] = state.plan.steps if frontier is None else frontier.in_order(frontier.ready)
    return [key for key in keys if (not busy or key not in busy) and state.status(key) is StepStatus.READY]


def time_is_up(finish_t: float, now: float) -> bool:
    """A started step whose work ends at `finish_t` is finished at `now`."""
    return finish_t <= now + EPSILON


class BlockWatch:
    """Which started steps were blocked while at work, and when each went back to work (its time restarts)."""

    def __init__(self) -> None:
        self.held: set[str] = set()
        self.restarted: dict[str, float] = {}  # step key -> scenario seconds it went back to work

    def watch(self, state: DrillState, t: float, keys: Iterable[str] | None = None) -> None:
        """Look at the state after an event at scenario time `t`.

        `keys`: the steps whose status the event changed (None: look at every step)."""
        for key in state.steps if keys is None else keys:
            record = state.steps[key]
            if record.started_t is None or record.done_t is not None:
                continue
            status = state.status(key)
            if status is StepStatus.BLOCKED:
                self.held.add(key)
            elif key in self.held and status is StepStatus.ACTIVE:
                self.held.discard(key)
                self.restarted[key] = t
