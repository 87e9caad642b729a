"""What-if forks: a played drill's log, repeated up to a moment, in a new log that headless play then finishes.

`fork_point(read, at)` says how many of the parent's events the fork repeats;
`start_fork(plan, read, at, path)` writes them (one write, one fsync) behind a
drill.started that names the parent (`Started.fork`: its path, its head, the
fork point), and returns the Drill to hand to engine.drill.play.Player with
`inherited(...)`: the parent's decisions and the time its steps took, which the
fork keeps where it can. Nothing here knows the command line.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, replace

from engine.drill import events as ev
from engine.drill.clock import FakeClock, format_t, parse_wall
from engine.drill.log import DrillLog, LogRead
from engine.drill.pace import BlockWatch
from engine.drill.plan import Plan
from engine.drill.replay import fold_log, replay_events, worked
from engine.drill.session import Drill, logged_start, started
from engine.drill.state import DrillState
from engine.drill.team import Choice
from engine.duration import DurationError, parse_offset


class ForkError(ValueError):
    """A fork point that does not name a moment of the drill (message in words, no location)."""


@dataclass(frozen=True)
class Point:
    """The fork point: `count` events of the parent repeated (drill.started is the first), `label` as given."""

    count: int
    label: str


def fork_point(read: LogRead, at: str) -> Point:
    """The events of `read` up to `at`: `seq:N` repeats events 0..N; a scenario time (`T+1:00`, `T+20m`)
    repeats every event whose scenario time is at or before it. Events from drill.ended on are never
    repeated (the fork plays on from there). Raises ForkError for text that is neither, or a moment past the
    drill's end (its drill.ended, or its last event)."""
    events = read.events
    end = next((i for i, e in enumerate(events) if e.type == ev.ENDED), len(events))
    text = at.strip()
    if text.lower().startswith("seq:"):
        raw = text[4:].strip()
        if not raw.isdigit():
            raise ForkError(f"--at {at!r}: write seq:N with N an event number, e.g. seq:12")
        number = int(raw)
        if number >= end:
            raise ForkError(f"--at {at!r} is past the end of the drill (its last event before the end is "
                            f"seq:{end - 1})")
        return Point(number + 1, text)
    try:
        kind, seconds = parse_offset(text)
    except DurationError as exc:
        raise ForkError(f"--at {at!r}: {exc}; or give seq:N") from None
    if kind != "absolute":
        raise ForkError(f"--at {at!r}: give a scenario time from T+0 (like T+1:00), or seq:N")
    last_t = events[end].t if end < len(events) else events[-1].t
    if seconds > last_t + 1e-6:
        raise ForkError(f"--at {at!r} is past the end of the drill (it ended at {format_t(last_t)})")
    count = 1
    while count < end and events[count].t <= seconds + 1e-6:
        count += 1
    return Point(count, text)


def inherited(plan: Plan, read: LogRead) -> tuple[dict[str, Choice], dict[str, float]]:
    """What the parent drill did that a fork keeps where it can: each decision as it stood at the end
    (option, rationale, by, and the poll it cited: its id and the seq of its poll.opened), and for each step
    done after a step.started, the scenario seconds from its last start (or the end of an outage that blocked
    it at work, when play starts its time again) to done; infinity for a decision that fell to its default (no
    one decided in time: Player lets it fall again, unless --decide names it)."""
    played = fold_log(plan, read.events)
    polls = played.state.polls
    choices = {key: Choice(d.option, d.rationale, d.by,
                           cites=(d.poll, polls[d.poll].seq) if d.poll in polls else None)
               for key, d in played.state.decisions.items()}
    took = {}
    for key, record in played.state.steps.items():
        decision = played.state.decisions.get(key)
        if decision is not None and decision.fell_to_default:
            took[key] = math.inf  # the clock cut it off at its limit: in the fork it runs out of time again
            continue
        spans = worked(record, played.tracks[key])
        if record.done_t is None or not spans or spans[-1][1] is None:
            continue
        begin, done = spans[-1]
        assert done is not None
        for _, back in played.tracks[key].blocked:
            if back is not None and begin < back <= done:
                begin = back
        took[key] = done - begin
    return choices, took


def start_fork(plan: Plan, read: LogRead, point: Point, path: str,
               parent_name: str) -> tuple[Drill, FakeClock, BlockWatch]:
    """Create the fork's log at `path` (never over a file): drill.started of this tool for `plan`, naming
    the parent (`parent_name`, its head, the point), then the parent's events 1..count-1 as they were
    (seq, wall, scenario time, data), chained anew. Returns the drill, its state folded, a fake clock at
    the last repeated event's wall time, and the steps at work an outage blocked (for Player's `blocks`).
    Raises LogError (cannot write; the parent's events refused)."""
    first = read.events[0]
    parent = logged_start(read)
    payload = replace(started(plan, "headless", parent.facilitator, parent.participants),
                      fork=ev.ForkOf(parent_name, read.last_hash, point.label))
    head = ev.Event.of(0, first.wall, first.t, payload)
    events = [head, *read.events[1:point.count]]
    blocks = BlockWatch()
    state = replay_events(plan, path, events, lambda event, again: blocks.watch(again, event.t))
    log = DrillLog.create(path)
    try:
        log.append_all(events)
    except BaseException:
        log.close()
        raise
    clock = FakeClock(parse_wall(events[-1].wall))
    return Drill(plan, state, log, clock), clock, blocks



def what_if(state: DrillState, path: str) -> tuple[str, str] | None:
    """The commands (shell-quoted) that fork the drill of the log at `path` when its first decision with
    another option was opened (the other option taken) and compare the two; None when no such decision."""
    for key, decision in state.decisions.items():
        started_t = state.steps[key].started_t
        others = [o for o in state.plan.steps[key].options or {} if o != decision.option]
        if not others or started_t is None:
            continue
        whole = int(started_t)
        at = f"T+{whole // 3600}:{whole % 3600 // 60:02d}" + (f":{whole % 60:02d}" if whole % 60 else "")
        fork_log = path.removesuffix(".jsonl") + "-what-if.jsonl"
        q = shlex.quote
        return (f"tabletop play --from {q(path)} --at {at} --decide {q(f'{key}={others[0]}')} --log {q(fork_log)}",
                f"tabletop report --compare {q(path)} {q(fork_log)} --format md -o -")
    return None
