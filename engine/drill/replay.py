"""The one replay of a drill log: fold its events into a DrillState, and, for those who need the road
as well as the end, record every step and service transition on the way.

- `replay(plan, read, watch)`: the state after every event of a log read by
  read_log; resume (Drill.resume, play --resume and its blocked steps), the
  room's catch-up, explore's forks and `log verify` use it, each with `watch`
  to see the state as it stood after each event. It stops at the first event
  the fold refuses, with a LogError naming the line.
- `fold_log(plan, events, watch)`: the state and the transitions (when a
  step became ready, was blocked and unblocked, which service changed when),
  stopping quietly at the first refused event (`Played.problem`); the
  after-action report and coverage use it, coverage with `watch` to see
  each event applied. Statuses are compared only after events whose type
  can move steps (its MOVES_STEPS flag), so a log of thousands of notes and ticks folds in one pass.

`tabletop log show` and play's progress lines read the same events through
engine.drill.narrate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from engine.drill import events as ev
from engine.drill.log import LogError, LogRead
from engine.drill.plan import Plan
from engine.drill.state import DrillState, StepRecord, StepStatus


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



def worked(record: StepRecord, track: StepTrack) -> list[tuple[float, float | None]]:
    """When a step was at work, in scenario seconds: every (start, done) interval, a reopened step's each
    (StepRecord.intervals); a step done or decided without a step.started event is not timed, so its first
    interval is left out."""
    spans = record.intervals()
    return spans if track.started_by_event else spans[1:]


def time_at_work(record: StepRecord, track: StepTrack) -> float | None:
    """Scenario seconds a done step took: the sum of its intervals at work, less any time a service outage
    blocked it (the scenario's doing, not the team's), never the time between a done and a reopening.
    None for a step not done, or done without being started. The report and plan status both read it."""
    spans = worked(record, track)
    if record.done_t is None or not spans:
        return None
    return sum(stop - begin - _overlap(track.blocked, begin, stop) for begin, stop in spans if stop is not None)


def _overlap(spans: list[list[float | None]], start: float, stop: float) -> float:
    total = 0.0
    for begin, end in spans:
        begin, end = max(begin or 0.0, start), min(stop if end is None else end, stop)
        total += max(0.0, end - begin)
    return total


Seen = Callable[[ev.Event, DrillState], None]  # an event just applied, and the state right after it


def replay(plan: Plan, read: LogRead, watch: Seen | None = None) -> DrillState:
    """The state after every good event of a log (`read.events`, from read_log); `watch(event, state)` is
    called after each event is applied (the state is the live one: read it, do not keep it).

    Raises LogError `<log>:<line>: <why>` at the first event the fold refuses
    (EventError: an unknown type, data of the wrong shape, an event the
    runbooks do not allow in that state; ValueError: a wall time that is not
    one). Nothing is written.
    """
    return replay_events(plan, read.path, read.events, watch)


Decoded = Callable[[ev.Event, int], "ev.Payload | None"]  # an event's payload known by a log version, or None


def replay_events(plan: Plan, path: str, events: Iterable[ev.Event], watch: Seen | None = None,
                  decoded: Decoded | None = None) -> DrillState:
    """replay over events as they come (a LogStream from open_log, or any iterable of a log's events in
    order, the first on line 1), taking each only when the one before is applied: the events are not held.
    `decoded(event, version)`: a payload the reader decoded already (LogStream.payload_of), else None.
    Raises LogError `<path>:<line>: <why>` as replay does, having taken nothing after that event."""
    state = DrillState(plan)
    for number, event in enumerate(events, start=1):
        try:
            state.apply(event, decoded(event, state.version) if decoded is not None else None)
        except ValueError as exc:  # EventError is one
            raise LogError(f"{path}:{number}: {exc}") from None
        if watch is not None:
            watch(event, state)
    return state


@dataclass
class Played:
    """A log folded with its transitions: the state, and the road to it."""

    state: DrillState
    events: list[ev.Event]  # the events applied, in order (but for the types fold_log was told to skip)
    transitions: list[Transition]
    services: list[ServiceChange]
    tracks: dict[str, StepTrack]
    problem: str | None = None  # the first event that could not be applied, and why
    problem_line: int | None = None  # its line in the log, 1-based
    error: ValueError | None = None  # what the fold raised for it (EventError, or ValueError for a bad wall time)
    count: int = 0  # the events applied, skipped types included
    first: ev.Event | None = None  # the first event applied
    last: ev.Event | None = None  # the last event applied
    walls: dict[int, str] = field(default_factory=dict)  # wall time of each note and decision, by seq

    def payload(self, event: ev.Event) -> ev.Payload:
        """The typed payload of an event the fold applied, decoded by the log's version (it decoded before)."""
        return event.payload(self.state.version)

    def wall_of(self, seq: int) -> str:
        """The wall time of the note or decision (made or revised) at `seq`; "" for any other event."""
        return self.walls.get(seq, "")


Watch = Callable[[ev.Event, ev.Payload, DrillState], None]  # called after each event is applied


def fold_log(plan: Plan, events: Iterable[ev.Event], watch: Watch | None = None,
             skip: frozenset[str] = frozenset(), decoded: Decoded | None = None) -> Played:
    """Apply events in order until one cannot be applied; record every step and service change.

    `events` is taken one at a time (a LogStream from open_log is read as the
    fold goes), and nothing after a refused event is taken. `Played.events`
    keeps the events applied but for the types in `skip` (the after-action
    report skips ticks, notes and service changes, which it reads from the
    state, the transitions and `Played.services`); `count`, `first`, `last`
    and `walls` count them all. `watch(event, payload, state)` is called after
    each event is applied. The first refused event stops the fold and is
    described in `problem`. `decoded` as for replay_events.
    """
    state = DrillState(plan)
    played = Played(state, [], [], [], {key: StepTrack() for key in plan.steps})
    before = {key: StepStatus.DORMANT for key in plan.steps}
    tracks, status_of, blocked = played.tracks, state.status, StepStatus.BLOCKED
    for number, event in enumerate(events, start=1):
        health = dict(state.services)
        try:
            payload = state.apply(event, decoded(event, state.version) if decoded is not None else None)
        except ValueError as exc:  # EventError is one; a wall time that cannot be read is another
            played.problem = f"event {event.seq} ({event.type}) at line {event.seq + 1}: {exc}"
            played.problem_line, played.error = number, exc
            break
        _count(played, event, skip)
        if watch is not None:
            watch(event, payload, state)
        if not payload.MOVES_STEPS:  # notes, ticks, ratings and the clock change no step's status
            continue
        if isinstance(payload, ev.StepStarted):
            tracks[payload.step].started_by_event = True
        for service, now in state.services.items():
            if health.get(service) != now:
                played.services.append(ServiceChange(event.seq, event.t, event.wall, service,
                                                     health.get(service, "up"), now))
        for key, track in tracks.items():  # every step of the plan, in its order
            status = status_of(key)
            if status is not before[key]:
                _track(played, event, key, before[key], status)
                before[key] = status
            if status is blocked or (track.held and track.held[-1][1] is None):
                _hold(track, state, event, key, status)
    return played


_WALLED = frozenset({ev.NOTE, ev.DECISION_MADE, ev.DECISION_REVISED})  # Played.wall_of answers for these


def _count(played: Played, event: ev.Event, skip: frozenset[str]) -> None:
    played.count += 1
    played.first = played.first or event
    played.last = event
    if event.type not in skip:
        played.events.append(event)
    if event.type in _WALLED:
        played.walls[event.seq] = event.wall


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
