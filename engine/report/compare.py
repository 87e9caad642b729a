"""Two drills of one scenario side by side (`tabletop report --compare A B`): where they part, and how.

`compare(a, b)` reads both logs, folds each with the one replay against the
plan of the files it names (or a plan made from the log alone), and returns a
Comparison: the first event that differs and the decision behind it; the
decisions; the steps done, skipped or blocked in one drill and not the other;
when each runbook finished and each service came back; the injects fired in
only one; the objectives whose evidence (the status of the steps that serve
them, and the rating) differs; and the drill time each used. Scenario times
are seconds from T+0. Nothing here writes or prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from engine.drill import events as ev
from engine.drill.state import StepStatus

SHOWN = (StepStatus.DONE, StepStatus.SKIPPED, StepStatus.BLOCKED)


class CompareError(ValueError):
    """Two logs that cannot be compared (another scenario, not a drill log); the message is one line."""


@dataclass
class Side:
    """What one drill did, as compared: the log's path, fork (its drill.started's fork, or None), the
    decisions (step key -> option), step statuses (key -> done|skipped|blocked|...), when each runbook
    finished and each service came back (scenario seconds; None: never), injects fired, objective evidence
    (key -> [rating or "", [step, status] ...]), and the drill time used (seconds)."""

    log: str
    fork: dict[str, str] | None
    decisions: dict[str, str]
    statuses: dict[str, str]
    finished: dict[str, float | None]
    back: dict[str, float | None]
    fired: list[str]
    evidence: dict[str, list[Any]]
    used: float


@dataclass
class Parting:
    """The first event that differs: its seq, and each log's event there (`type`, `t`, `data`; None past the
    end); `decision`: the step whose decision lies behind it (None: the drills part on something else)."""

    seq: int | None
    a: dict[str, Any] | None
    b: dict[str, Any] | None
    decision: str | None = None
    options: tuple[str | None, str | None] = (None, None)


@dataclass
class Comparison:
    scenario: str
    a: Side
    b: Side
    parting: Parting
    decisions: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # key, in A, in B
    steps: list[tuple[str, str, str]] = field(default_factory=list)  # key, status in A, in B (one of SHOWN)
    runbooks: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    services: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    injects: list[tuple[str, str]] = field(default_factory=list)  # inject id, "A" or "B": fired only there
    objectives: list[tuple[str, list[Any], list[Any]]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return self.parting.seq is None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def compare(a_path: str, b_path: str) -> Comparison:
    """Compare two drill logs. Raises CompareError when they are drills of different scenarios, and
    engine.drill.log.LogError when either cannot be read or does not start with drill.started."""
    a_read, a_start = _read(a_path)
    b_read, b_start = _read(b_path)
    a_id = a_start.scenario.id if a_start.scenario else None
    b_id = b_start.scenario.id if b_start.scenario else None
    if a_id != b_id:
        raise CompareError(f"{b_path} is a drill of scenario {b_id!r}, not {a_id!r} as {a_path} is; "
                           "compare two drills of the same scenario")
    a_played, b_played = _fold(a_read, a_start), _fold(b_read, b_start)
    a_side, b_side = _side(a_path, a_start, a_played), _side(b_path, b_start, b_played)
    out = Comparison(a_id or "", a_side, b_side, _parting(a_read.events, b_read.events, a_side, b_side))
    _differences(out)
    return out


def _read(path: str) -> tuple[Any, ev.Started]:
    from engine.drill.log import LogError, read_log
    from engine.drill.session import logged_start

    read = read_log(path)
    if read.problem and not read.torn:
        raise LogError(f"{path}:{read.problem.line}: {read.problem.message} "
                       f"(`tabletop log verify {path}` shows the details)")
    return read, logged_start(read)


def _fold(read: Any, start: ev.Started) -> Any:
    from engine.drill.log_plan import plan_from_log
    from engine.drill.replay import fold_log
    from engine.logged_plan import plan_for_log

    found = plan_for_log(read.path, start)
    return fold_log(found.plan or plan_from_log(read.events), read.events)


def _side(path: str, start: ev.Started, played: Any) -> Side:
    state = played.state
    plan = state.plan
    statuses = {key: str(status) for key, status in state.statuses().items()}
    back: dict[str, float | None] = {}
    for change in played.services:
        if change.after != "up":
            back[change.service] = None
        elif change.service in back:
            back[change.service] = change.t
    evidence: dict[str, list[Any]] = {}
    for key, step in plan.steps.items():
        for objective in step.objectives:
            evidence.setdefault(objective, ["", []])[1].append([key, statuses[key]])
    for objective, rated in state.ratings.items():
        evidence.setdefault(objective, ["", []])[0] = rated.rating
    return Side(path, start.fork.to_dict() if start.fork else None,
                {key: d.option for key, d in state.decisions.items()}, statuses,
                _finished(state), back, list(state.fired), evidence, state.t)


def _finished(state: Any) -> dict[str, float | None]:
    """When each runbook's last step was done or skipped (None: a step of it is not resolved)."""
    out: dict[str, float | None] = {}
    for key, step in state.plan.steps.items():
        record = state.steps[key]
        if step.runbook in out and out[step.runbook] is None:
            continue
        if not state.resolved(key) and state.status(key) is not StepStatus.DORMANT:
            out[step.runbook] = None
            continue
        times = [t for t in (record.done_t, record.skipped_t) if t is not None]
        out[step.runbook] = max([out.get(step.runbook) or 0.0, *times])
    return out


def _key(event: ev.Event) -> tuple[Any, ...]:
    return event.t, event.type, event.data


def _parting(a: list[ev.Event], b: list[ev.Event], a_side: Side, b_side: Side) -> Parting:
    """The first event after drill.started that differs (scenario time, type or data); the decision behind
    it: that event's own when it is a decision, else the first decision (in A's order) the two differ on."""
    number = next((i for i in range(1, max(len(a), len(b)))
                   if i >= len(a) or i >= len(b) or _key(a[i]) != _key(b[i])), None)
    if number is None:
        return Parting(None, None, None)
    shown = [None if number >= len(log) else {"type": log[number].type, "t": log[number].t,
                                               "data": log[number].data} for log in (a, b)]
    out = Parting(number, shown[0], shown[1])
    decided = (ev.DECISION_MADE, ev.DECISION_REVISED)
    here = [log[number] for log in (a, b) if number < len(log) and log[number].type in decided]
    differ = [e.data.get("step") for e in here] + [
        e.data.get("step") for e in a if e.type == ev.DECISION_MADE
        and a_side.decisions.get(e.data.get("step", "")) != b_side.decisions.get(e.data.get("step", ""))] + [
        key for key in b_side.decisions if a_side.decisions.get(key) != b_side.decisions[key]]
    if differ and differ[0]:
        out.decision = str(differ[0])
        out.options = (a_side.decisions.get(out.decision), b_side.decisions.get(out.decision))
    return out


def _differences(out: Comparison) -> None:
    a, b = out.a, out.b
    out.decisions = [(k, a.decisions.get(k), b.decisions.get(k)) for k in _union(a.decisions, b.decisions)]
    shown = {str(s) for s in SHOWN}
    out.steps = [(k, a.statuses.get(k, ""), b.statuses.get(k, "")) for k in _union(a.statuses, b.statuses)
                 if a.statuses.get(k) != b.statuses.get(k) and ({a.statuses.get(k), b.statuses.get(k)} & shown)]
    out.runbooks = [(k, a.finished.get(k), b.finished.get(k)) for k in _union(a.finished, b.finished)]
    out.services = [(k, a.back.get(k), b.back.get(k)) for k in _union(a.back, b.back)]
    out.injects = [(i, "A") for i in a.fired if i not in b.fired] + [(i, "B") for i in b.fired if i not in a.fired]
    out.objectives = [(k, a.evidence.get(k, ["", []]), b.evidence.get(k, ["", []]))
                      for k in _union(a.evidence, b.evidence) if a.evidence.get(k) != b.evidence.get(k)]


def _union(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    return list(first) + [k for k in second if k not in first]
