"""Timed decisions: a decision step with `within` falls to its `default` when no one decides in time.

The countdown of a timed decision starts when its step becomes ready (the
fold keeps that time in `DrillState.ready_t`) and runs in scenario seconds,
so it stands still while the clock is paused. When it runs out and the step
is still ready or active, whoever drives the clock (the console's tick,
headless play) records `decision.made` with the default option and
`fell_to_default: true`; the fold refuses such an event before its time.
Nothing here reads a clock or writes a log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.drill.clock import format_t
from engine.drill.event_types.errors import EventError
from engine.duration import format_duration
from engine.step_rules import StepStatus

if TYPE_CHECKING:
    from engine.drill.event_types.steps import DecisionMade
    from engine.drill.state import DrillState

EPSILON = 1e-6  # scenario seconds: a deadline this close to now has come


def deadline(state: DrillState, key: str) -> float | None:
    """Scenario seconds at which timed decision `key` falls to its default: when it became ready plus its
    `within`. None when it has no time limit, is decided, or has not become ready."""
    step = state.plan.steps[key]
    ready = state.ready_t.get(key)
    if step.within is None or ready is None or key in state.decisions:
        return None
    return ready + step.within


def left(state: DrillState, key: str, now_t: float) -> float | None:
    """Seconds left before decision `key` falls to its default at scenario time `now_t` (0 once it has run
    out); None when no countdown runs for it (see deadline)."""
    due = deadline(state, key)
    return None if due is None else max(0.0, due - now_t)


def running(state: DrillState) -> list[str]:
    """The timed decisions whose countdown runs now (ready and not decided), soonest deadline first."""
    keys = [key for key in state.ready_t if deadline(state, key) is not None]
    return sorted(keys, key=lambda key: (deadline(state, key) or 0.0, key))


def due(state: DrillState, now_t: float) -> list[str]:
    """The timed decisions to take the default of at scenario time `now_t`, soonest deadline first: their time
    has run out and they are still ready or active (a blocked one waits until it is unblocked)."""
    if state.ended:
        return []
    return [key for key in running(state)
            if (deadline(state, key) or 0.0) <= now_t + EPSILON
            and state.status(key) in (StepStatus.READY, StepStatus.ACTIVE)]


def fall(state: DrillState, key: str) -> DecisionMade:
    """The decision.made payload that takes the default of timed decision `key` (ValueError if untimed)."""
    from engine.drill.event_types.steps import DecisionMade

    step = state.plan.steps[key]
    if step.within is None or step.default is None:
        raise ValueError(f"step {key} is not a timed decision")
    why = f"no decision within {format_duration(step.within)}; the default was taken"
    return DecisionMade(key, step.default, why, "", fell_to_default=True)


def check_fall(state: DrillState, key: str, option: str, t: float) -> None:
    """Raise EventError unless decision `key` can fall to `option` as its default at scenario time `t`."""
    step = state.plan.steps[key]
    if step.within is None or step.default is None:
        raise EventError(f"decision {key} has no time limit (`within` and `default`); it cannot fall to a default")
    if option != step.default:
        raise EventError(f"decision {key} falls to its default {step.default!r}, not {option!r}")
    when = deadline(state, key)
    if when is None or t + EPSILON < when:
        at = "it has not become ready" if when is None else f"its time runs out at {format_t(when)}"
        raise EventError(f"decision {key} cannot fall to its default at {format_t(t)}: {at}")
