"""One drill log -> a `DrillSummary`: what the readiness view and the improvement plan need from it.

This is the one place that reads drill logs for them. It folds the log with
the one replay (engine.drill.replay.fold_log) against the plan of the files
the log names when they are at hand and unchanged, else against a plan made
from the log alone (engine.drill.log_plan), reading each event through its
typed payload (engine.drill.events). Either plan takes every event the drill
recorded (a decision revised to any option, an ad hoc inject, a withdrawal),
and the summary reads only the payloads, so it depends on the log's bytes and
nothing else and can be cached by the log's hash (engine.readiness.cache).

A summary is plain JSON-able data:
- `mode`: `live` (the console), `headless` (`tabletop play`), or None for a log
  that does not say (written before the mode was recorded): only `live` drills
  verify improvement items and count as drilled; a what-if fork (`play --from`,
  drill.started's `fork`) is `headless` whatever its mode says;
- `started`: the wall time of drill.started (UTC, `2026-01-22T19:33:00.000Z`);
- `runbooks`: runbook id -> SHA-256 of the file the drill ran with;
- `ratings`: objective key `runbook/objective` -> [rating P|S|M|U, 1-based line];
- `steps`: step key -> [scenario seconds from step.started to step.done or
  decision.made (None when it was done without being started), 1-based line of that event];
- `improvements`: the areas for improvement, each with its 1-based `line`;
- `attendance`: who took a seat in the drill room, each stay in the order joined:
  {"name", "role": str, "joined": scenario seconds, "left": scenario seconds or None (still in)};
- `facilitator`, `participants`: who drill.started names: the facilitator (a name or None) and role id -> name
  (the console's start screen, or a team file's);
- `plan_from`: `files` (the runbooks and scenario the log names, unchanged) or
  `log` (the log's own ids: `plan_why` says why the files were not used).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

SUMMARY_VERSION = 5  # 2: plan_from, plan_why, a revision to any option counts; 3: a decision made is its step done;
# 4: attendance; 5: facilitator and participants


@dataclass
class DrillSummary:
    name: str  # the log's file name
    sha256: str  # of the whole file
    drill_id: str = ""  # SHA-256 of the first line: the same drill however long its log grows
    problem: str | None = None  # why the log does not verify or fold, from the first bad line on
    mode: str | None = None
    scenario: str | None = None
    scenario_sha256: str | None = None
    runbooks: dict[str, str] = field(default_factory=dict)
    started: str | None = None
    last: str | None = None  # wall time of the last good event
    ended: bool = False
    events: int = 0
    ratings: dict[str, list[Any]] = field(default_factory=dict)
    steps: dict[str, list[Any]] = field(default_factory=dict)
    improvements: list[dict[str, Any]] = field(default_factory=list)
    plan_from: str = "log"
    plan_why: str | None = None
    attendance: list[dict[str, Any]] = field(default_factory=list)
    facilitator: str | None = None
    participants: dict[str, str] = field(default_factory=dict)

    @property
    def live(self) -> bool:
        return self.mode == "live"

    @property
    def date(self) -> str:
        return (self.started or "")[:10]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DrillSummary:
        """Raises TypeError or ValueError when `data` is not a summary's shape."""
        summary = cls(**data)
        if not (isinstance(summary.name, str) and isinstance(summary.sha256, str)
                and isinstance(summary.ratings, dict) and isinstance(summary.steps, dict)
                and isinstance(summary.improvements, list) and isinstance(summary.runbooks, dict)):
            raise ValueError("not a drill summary")
        return summary


def one_log_a_drill(pairs: list[tuple[str, DrillSummary]], order: list[str]) -> dict[str, str]:
    """drill id (SHA-256 of drill.started's line) -> the path of the one log that stands for the drill, of
    (path, summary) `pairs`: of the logs that hold the same drill (a copy, a link, a snapshot taken part-way),
    one that verifies, then the longest, then the first in `order` (the paths as given)."""
    given = {path: n for n, path in enumerate(order)}
    best: dict[str, tuple[tuple[bool, int, int], str]] = {}
    for path, summary in pairs:
        if not summary.started:
            continue
        rank = (summary.problem is None, summary.events, -given.get(path, len(order)))
        if summary.drill_id not in best or rank > best[summary.drill_id][0]:
            best[summary.drill_id] = (rank, path)
    return {drill_id: path for drill_id, (_, path) in best.items()}


def each_drill_once(drills: list[DrillSummary]) -> tuple[list[DrillSummary], list[tuple[str, str]]]:
    """`drills` (logs of one folder) with each drill once (see one_log_a_drill; of equals, the shortest name, as
    `a.jsonl` beside `a (copy).jsonl`), and (log name, the name of the log kept) for each left out: a copy of a
    drill is not a second drill."""
    pairs = [(d.name, d) for d in drills]
    kept = one_log_a_drill(pairs, sorted((d.name for d in drills), key=lambda name: (len(name), name)))
    out, repeats = [], []
    for drill in drills:
        first = kept.get(drill.drill_id, drill.name) if drill.started else drill.name
        if first == drill.name:
            out.append(drill)
        else:
            repeats.append((drill.name, first))
    return out, repeats


def summarize(path: str, raw: bytes | None = None) -> DrillSummary:
    """Read, verify and fold one log (`raw`: its bytes, when the caller has read them already).

    Raises engine.drill.log.LogError when it cannot be read at all (missing, a
    folder, binary, too big); a log that fails part-way is summarised up to the bad line.
    """
    from engine.drill import events as ev
    from engine.drill.log import read_log
    from engine.drill.log_plan import plan_from_log
    from engine.drill.replay import fold_log
    from engine.logged_plan import plan_for_log

    read = read_log(path)
    if raw is None:
        raw = Path(path).read_bytes()
    out = DrillSummary(name=Path(path).name, sha256=hashlib.sha256(raw).hexdigest(), events=len(read.events),
                       drill_id=hashlib.sha256(raw.split(b"\n", 1)[0]).hexdigest())
    if read.problem:
        out.problem = f"line {read.problem.line}: {read.problem.message}"
    try:
        start = read.events[0].payload() if read.events else None
    except ev.DecodeError as exc:
        start = None
        out.problem = out.problem or f"line 1: {exc}"
    if not isinstance(start, ev.Started):
        out.problem = out.problem or "not a drill log: it does not start with drill.started"
        return out
    _start(out, start, read.events[0].wall)
    if out.started is None:
        return out
    watcher = _Watcher(out)
    found = plan_for_log(path, start)
    out.plan_from, out.plan_why = ("files", None) if found.plan else ("log", found.why)
    try:
        played = fold_log(found.plan or plan_from_log(read.events), read.events, watcher)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:  # a hand-made log's oddities
        out.problem = out.problem or f"the log cannot be replayed: {exc}"
        return out
    if played.problem:
        out.problem = out.problem or played.problem
    watcher.timed(played)
    out.ended = played.state.ended
    out.attendance = [{"name": a.name, "role": a.role, "joined": a.joined_t, "left": a.left_t}
                      for a in played.state.attendance]
    out.last = played.events[-1].wall if played.events else None
    return out


def _start(out: DrillSummary, start: Any, wall: Any) -> None:
    """What drill.started (an engine.drill.events.Started) says: mode, files, and when."""
    out.mode = start.mode if start.fork is None else "headless"  # a what-if fork is never a drill, whatever it says
    if start.scenario is not None:
        out.scenario = start.scenario.id or None
        out.scenario_sha256 = start.scenario.sha256 or None
    out.facilitator = start.facilitator or None
    out.participants = {str(role): str(name) for role, name in start.participants.items() if name}
    for logged in start.runbooks:
        if logged.id:
            out.runbooks[logged.id] = logged.sha256 or ""
    out.started = wall if _readable_wall(wall) else None
    if out.started is None:
        out.problem = out.problem or "drill.started has no wall time between the years 1900 and 2999"


def _readable_wall(wall: Any) -> bool:
    from engine.bounds import OutOfBounds, check_wall
    from engine.drill.clock import parse_wall

    try:
        when = parse_wall(wall)
        check_wall(when if when.tzinfo else when.replace(tzinfo=UTC), "the drill's start")
    except (TypeError, ValueError, AttributeError, OutOfBounds):
        return False
    return True


class _Watcher:
    """Called by the fold after each event it applies, with the event's typed payload: keeps the ratings,
    the steps done with their time, and the areas for improvement, each with its line."""

    def __init__(self, out: DrillSummary) -> None:
        self.out = out
        self.done: dict[str, int] = {}  # step key -> 1-based line of its last step.done or decision.made

    def __call__(self, event: Any, payload: Any, state: Any) -> None:
        from engine.drill import events as ev

        out, line = self.out, event.seq + 1
        match payload:
            case ev.Rating(objective=objective, rating=rating):
                out.ratings[objective] = [rating, line]
            case ev.StepDone(step=step) | ev.DecisionMade(step=step):  # a decision made is its step done
                self.done[step] = line
            case ev.Note(kind="improvement"):
                out.improvements.append({
                    "line": line, "wall": event.wall, "text": payload.text, "step": payload.step,
                    **{name: getattr(payload, name) or "" for name in ("action", "element", "owner", "due", "by")},
                })

    def timed(self, played: Any) -> None:
        """The steps done as the fold ends (a step reopened and not done again is not), each with the time it
        was at work as the report counts it (engine.drill.replay.time_at_work) and the line that did it."""
        from engine.drill.replay import time_at_work

        state = played.state
        for step, line in self.done.items():
            record = state.steps.get(step)
            if record is not None and record.done_t is not None:
                self.out.steps[step] = [time_at_work(record, played.tracks[step]), line]
