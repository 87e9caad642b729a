"""What a correction would change, worked out before it is recorded, so the console can say so first.

The fold is the only place the rules of corrections live (docs/format.md, "Corrections"), so this
applies the correction to a copy of the state and compares the two: nothing is written, the state
given is not touched. Pure: the caller passes the scenario time.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from engine.drill import events as ev
from engine.drill.state import DrillState, StepStatus

OPEN = (StepStatus.WAITING, StepStatus.READY, StepStatus.ACTIVE, StepStatus.BLOCKED)


@dataclass(frozen=True)
class Effects:
    """What a correction changes, as step keys, inject ids and service names, each in plan order.

    closed: steps open now that go back (dormant, or skipped as "branch not taken");
    opened: steps dormant or skipped now that open; stays: started or done steps newly marked as on a
    branch no longer taken (they stay as they are); changed: every other step whose status moves, with
    its status before and after; services: (service, health now, health after) for each that changes;
    kept: (service, health) for each service the withdrawn inject set that keeps its health;
    disarmed / armed: contingency injects no longer / newly waiting to fire.
    """

    closed: tuple[str, ...] = ()
    opened: tuple[str, ...] = ()
    stays: tuple[str, ...] = ()
    changed: tuple[tuple[str, StepStatus, StepStatus], ...] = ()
    services: tuple[tuple[str, str, str], ...] = ()
    kept: tuple[tuple[str, str], ...] = ()
    disarmed: tuple[str, ...] = ()
    armed: tuple[str, ...] = ()


def foresee(state: DrillState, payload: ev.Payload, t: float) -> Effects:
    """What recording `payload` at scenario second `t` would change in `state` (left as it is).

    `t` earlier than the state's last event counts as that event's time. Raises EventError (from
    DrillState.check) when the state would refuse the event, with the message the console shows.
    """
    after = _copy(state)
    event = ev.Event.of(state.seq + 1, state.wall or "", max(t, state.t), payload)
    after.apply(event)
    return _compare(state, after, payload)


def _copy(state: DrillState) -> DrillState:
    """A copy of the fold's objects; the plan and its injects are shared (they never change)."""
    memo: dict[int, Any] = {id(state.plan): state.plan}
    for inject in state.plan.injects:
        memo[id(inject)] = inject
    return copy.deepcopy(state, memo)


def _compare(before: DrillState, after: DrillState, payload: ev.Payload) -> Effects:
    closed, opened, stays, changed = [], [], [], []
    for key in before.plan.steps:
        was, now = before.status(key), after.status(key)
        if after.steps[key].off_branch != before.steps[key].off_branch and after.steps[key].off_branch:
            stays.append(key)
        elif was in OPEN and now in (StepStatus.DORMANT, StepStatus.SKIPPED):
            closed.append(key)
        elif was in (StepStatus.DORMANT, StepStatus.SKIPPED) and now in OPEN:
            opened.append(key)
        elif was is not now:
            changed.append((key, was, now))
    services = tuple((s, h, after.services[s]) for s, h in before.services.items() if after.services[s] != h)
    kept: tuple[tuple[str, str], ...] = ()
    if isinstance(payload, ev.InjectWithdrawn):
        inject = before.inject(payload.inject)  # a scenario inject or one written ad hoc
        moved = {s for s, _, _ in services}
        kept = tuple((s, after.services[s]) for s in (inject.services if inject else {}) if s not in moved)
    order = {inject.id: i for i, inject in enumerate(before.plan.injects)}
    return Effects(tuple(closed), tuple(opened), tuple(stays), tuple(changed), services, kept,
                   tuple(sorted(set(before.armed) - set(after.armed), key=order.__getitem__)),
                   tuple(sorted(set(after.armed) - set(before.armed), key=order.__getitem__)))
