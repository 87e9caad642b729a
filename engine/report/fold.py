"""Fold a log event by event, keeping what the final state forgets: when each step changed status.

`DrillState` knows where every step ended up; a report also needs the road:
when a step became ready, when it was blocked and unblocked, which service
changed when. Statuses are compared only after events that can move steps,
so a log of thousands of notes and ticks folds in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.drill import events as ev
from engine.drill.plan import Plan
from engine.drill.state import DrillState, EventError, StepStatus

# Only these events can change a step's status; notes, ticks, ratings and the clock cannot.
_MOVING = frozenset({ev.STARTED, ev.INJECT_FIRED, ev.SERVICE_CHANGED, ev.STEP_STARTED, ev.STEP_DONE,
                     ev.STEP_SKIPPED, ev.DECISION_MADE})


@dataclass
class Transition:
    seq: int
    t: float
    wall: str
    key: str
    before: StepStatus
    after: StepStatus
    down: tuple[str, ...] = ()  # for a step becoming blocked: the services it requires that are down


@dataclass
class ServiceChange:
    seq: int
    t: float
    wall: str
    service: str
    before: str
    after: str


@dataclass
class StepTrack:
    ready_t: float | None = None
    started_by_event: bool = False  # a step.started event; done or decided without one is not timed
    blocked: list[list[float | None]] = field(default_factory=list)
    # Blocked while it could otherwise have been worked on (started, or everything it needs resolved):
    # the outage, not the plan, was holding the team up.
    held: list[list[float | None]] = field(default_factory=list)


@dataclass
class Played:
    state: DrillState
    events: list[ev.Event]  # the events applied, in order
    transitions: list[Transition]
    services: list[ServiceChange]
    tracks: dict[str, StepTrack]
    problem: str | None = None  # the first event that could not be applied, and why


def fold_log(plan: Plan, events: list[ev.Event]) -> Played:
    """Apply events in order until one cannot be applied; record every step and service change."""
    state = DrillState(plan)
    played = Played(state, [], [], [], {key: StepTrack() for key in plan.steps})
    before = {key: StepStatus.DORMANT for key in plan.steps}
    for event in events:
        health = dict(state.services)
        try:
            state.apply(event)
        except EventError as exc:
            played.problem = f"event {event.seq} ({event.type}) at line {event.seq + 1}: {exc}"
            break
        played.events.append(event)
        if event.type == ev.STEP_STARTED:
            played.tracks[event.data["step"]].started_by_event = True
        if event.type not in _MOVING:
            continue
        for service, now in state.services.items():
            if health.get(service) != now:
                played.services.append(ServiceChange(event.seq, event.t, event.wall, service,
                                                     health.get(service, "up"), now))
        for key in plan.steps:
            status = state.status(key)
            if status is not before[key]:
                _track(played, event, key, before[key], status)
                before[key] = status
            track = played.tracks[key]
            if status is StepStatus.BLOCKED or (track.held and track.held[-1][1] is None):
                _hold(track, state, event, key, status)
    return played


def _hold(track: StepTrack, state: DrillState, event: ev.Event, key: str, status: StepStatus) -> None:
    record, held = state.steps[key], track.held
    holding = status is StepStatus.BLOCKED and (
        record.started_t is not None or all(state.resolved(n) for n in state.plan.steps[key].needs))
    open_span = bool(held) and held[-1][1] is None
    if holding and not open_span:
        held.append([event.t, None])
    elif not holding and open_span:
        held[-1][1] = event.t


def _track(played: Played, event: ev.Event, key: str, was: StepStatus, now: StepStatus) -> None:
    state = played.state
    down = tuple(s for s in state.plan.steps[key].requires if state.services.get(s) == "down") \
        if now is StepStatus.BLOCKED else ()
    played.transitions.append(Transition(event.seq, event.t, event.wall, key, was, now, down))
    track = played.tracks[key]
    if now is StepStatus.READY and track.ready_t is None:
        track.ready_t = event.t
    if now is StepStatus.BLOCKED:
        track.blocked.append([event.t, None])
    if was is StepStatus.BLOCKED and track.blocked:
        track.blocked[-1][1] = event.t
