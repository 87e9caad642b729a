"""Coverage: which runbook items each scenario can exercise, and when each was last drilled.

An item is a step, a decision option, a fallback (the fallback of one step
opening) or an event branch (an `on:` step opening). For every scenario and
item the answer is one of four cells:

- `reached`: the drill explorer (engine.drill.explore) reached it on at least
  one path of decisions, played through the real fold in virtual time;
- `coverable`: the static analysis says a team could reach it with this
  scenario, but no explored path did (the explorer's timings, or a truncated
  exploration, left it out);
- `not-coverable`: the scenario drills the item's runbook but can never reach
  the item (no inject brings its event, no inject takes its service down, a
  branch nothing opens);
- `outside`: the scenario does not drill the item's runbook.

The static part is a fixed point over the plan: a main step is reachable; a
decision's option is reachable when its decision step is; a branch step when
an opener is (a chosen option, an event some reachable inject carries, a
fallback whose step some reachable inject can block). A contingency inject is
reachable when the step or decision it waits for is.

Drill logs add the wall time each item was last drilled: a step done, an
option chosen, a fallback or event branch opened, found by folding each log
(engine.drill.replay) against the plan of the scenario it names. An event
branch counts when an inject carrying its event opened it (a scenario inject
or one written ad hoc); if that inject is withdrawn later, it never really
came, and the branch does not count unless the event comes again.
Only live drills count by default: a log whose drill.started `mode` is a
rehearsal (REHEARSAL_MODES: `headless` from play, `explore`) is read but left
out. With include_headless it counts, but apart: its wall times are the
play's made-up clock, so they go to `rehearsed`, never to `last`, the
latest live drill.
Nothing here reads a clock; progress is reported through a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.drill.plan import Plan, PlanStep
from engine.drill.state import StepStatus
from engine.plans import RunbookInfo, load_inputs

COVERAGE_VERSION = 1
REACHED, COVERABLE, NOT_COVERABLE, OUTSIDE = "reached", "coverable", "not-coverable", "outside"
KINDS = ("step", "option", "fallback", "event")
DEFAULT_LOGS = "exports/drills"
REHEARSAL_MODES = ("headless", "explore")  # drill.started modes that are rehearsals, not drills
PROGRESS_EVERY = 64  # paths explored between two progress calls

Progress = Callable[[int, int, str, int], None]  # (scenario number from 1, scenarios, scenario id, paths so far)


@dataclass(frozen=True)
class Item:
    """One thing a drill can exercise in a runbook."""

    key: str  # step:rb/s, option:rb/s=option, fallback:rb/s, event:rb/s (see docs/coverage-json.md)
    kind: str  # step | option | fallback | event
    runbook: str
    step: str  # the step's id in its runbook
    title: str  # the step's title
    option: str | None = None
    label: str | None = None  # the option's label
    fallback: str | None = None  # the fallback step's id
    event: str | None = None

    @property
    def step_key(self) -> str:
        return f"{self.runbook}/{self.step}"


@dataclass
class ScenarioCoverage:
    id: str
    title: str
    path: str
    abbrev: str  # S1, S2, ... in the order the scenarios were found
    runbooks: list[str]
    paths: int = 0  # paths explored
    truncated: bool = False
    unexplored: int = 0  # branches the search left unfollowed at the limit
    covering: int = 0  # paths played past the limit so each option met is played once
    limit: int = 0
    cells: dict[str, str] = field(default_factory=dict)  # item key -> cell


@dataclass(frozen=True)
class Drilled:
    """When an item was last drilled, and in which log."""

    wall: str  # as the log wrote it
    when: datetime
    log: str  # the log's file name


@dataclass
class LogInfo:
    name: str
    path: str
    scenario: str | None  # the scenario id the log names
    events: int = 0  # good events read
    applied: int = 0  # events folded against the plan
    used: bool = False  # matched a scenario of the set and counted
    problems: list[str] = field(default_factory=list)  # why it is flagged (does not verify, files changed)
    reason: str | None = None  # why it was not used
    mode: str | None = None  # drill.started's mode: live, headless, explore (None: not written)

    @property
    def rehearsal(self) -> bool:
        """A headless play or explore run: its wall times are a made-up clock, not when anyone drilled."""
        return self.mode in REHEARSAL_MODES

    @property
    def left_out(self) -> bool:
        """A rehearsal not counted (no --include-headless)."""
        return self.rehearsal and not self.used and self.reason == REHEARSAL_LEFT_OUT

    @property
    def flagged(self) -> bool:
        return bool(self.problems)


@dataclass
class Coverage:
    paths: list[str]
    runbooks: list[RunbookInfo]
    items: list[Item]
    scenarios: list[ScenarioCoverage]
    logs: list[LogInfo]
    logs_folder: str | None
    last: dict[str, tuple[Drilled, LogInfo]]  # item key -> the latest live drill of it
    rehearsed: dict[str, tuple[Drilled, LogInfo]] = field(default_factory=dict)  # item key -> latest rehearsal
    include_headless: bool = False  # rehearsals counted (they fill `rehearsed`)

    def drilled(self, item: Item) -> bool:
        """Drilled in a counted log: a live drill, or a rehearsal when rehearsals count."""
        return item.key in self.last or item.key in self.rehearsed

    def left_out(self) -> list[LogInfo]:
        """The rehearsal logs not counted."""
        return [log for log in self.logs if log.left_out]

    def coverable(self, item: Item) -> bool:
        return any(s.cells.get(item.key) in (REACHED, COVERABLE) for s in self.scenarios)

    def reached(self, item: Item) -> bool:
        return any(s.cells.get(item.key) == REACHED for s in self.scenarios)

    def totals(self) -> dict[str, Any]:
        """Counts and percentages over all items, and per kind."""
        out: dict[str, Any] = _counts(self, self.items)
        out["by_kind"] = {kind: _counts(self, [i for i in self.items if i.kind == kind]) for kind in KINDS}
        return out

    def scenario_totals(self, scenario: ScenarioCoverage) -> dict[str, int]:
        cells = [scenario.cells.get(i.key, OUTSIDE) for i in self.items]
        inside = [c for c in cells if c != OUTSIDE]
        return {"items": len(inside), "coverable": sum(1 for c in inside if c in (REACHED, COVERABLE)),
                "reached": sum(1 for c in inside if c == REACHED)}


def percent(part: int, whole: int) -> float:
    """A percentage to one decimal; 0 of 0 is 0 (nothing to cover covers nothing)."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def _counts(coverage: Coverage, items: list[Item]) -> dict[str, Any]:
    coverable = sum(1 for i in items if coverage.coverable(i))
    reached = sum(1 for i in items if coverage.reached(i))
    drilled = sum(1 for i in items if coverage.drilled(i))
    rehearsed = sum(1 for i in items if i.key in coverage.rehearsed and i.key not in coverage.last)
    return {"items": len(items), "coverable": coverable, "coverable_percent": percent(coverable, len(items)),
            "reached": reached, "reached_percent": percent(reached, len(items)),
            "drilled": drilled, "drilled_percent": percent(drilled, len(items)), "rehearsed_only": rehearsed}


# ----- loading the set -----

def runbook_items(runbook: Any) -> list[Item]:
    """The items of one runbook, in step order: each step, then its options, fallback and event branch."""
    out = []
    rb = runbook.runbook
    for sid, step in runbook.steps.items():
        out.append(Item(f"step:{rb}/{sid}", "step", rb, sid, step.title))
        for option, choice in (step.decision.options.items() if step.decision else ()):
            out.append(Item(f"option:{rb}/{sid}={option}", "option", rb, sid, step.title, option=option,
                            label=choice.label or option))
        if step.fallback:
            out.append(Item(f"fallback:{rb}/{sid}", "fallback", rb, sid, step.title, fallback=step.fallback))
        if step.on:
            out.append(Item(f"event:{rb}/{sid}", "event", rb, sid, step.title, event=step.on))
    return out


# ----- static: what a scenario can reach -----

@dataclass
class Reach:
    """What a scenario can reach at all, whatever the team does and however long it takes."""

    steps: set[str]  # step keys
    injects: set[str]  # inject ids
    down: set[str]  # services some reachable inject takes down
    events: set[str]  # events some reachable inject carries

    def blockable(self, step: PlanStep) -> bool:
        return step.key in self.steps and bool(set(step.requires) & self.down)


def static_reach(plan: Plan) -> Reach:
    """The fixed point of what opens what (see the module's docstring)."""
    reach = Reach(set(), set(), set(), set())
    changed = True
    while changed:
        changed = False
        for inject in plan.injects:
            if inject.id not in reach.injects and (not inject.contingent or inject.after_step in reach.steps):
                reach.injects.add(inject.id)
                reach.down |= {s for s, health in inject.services.items() if health == "down"}
                if inject.event:
                    reach.events.add(inject.event)
                changed = True
        for key, step in plan.steps.items():
            if key not in reach.steps and (not step.openers or any(_opens(plan, reach, o) for o in step.openers)):
                reach.steps.add(key)
                changed = True
    return reach


def _opens(plan: Plan, reach: Reach, opener: Any) -> bool:
    if opener.kind == "event":
        return opener.source in reach.events
    if opener.kind == "fallback":
        return reach.blockable(plan.steps[opener.source])
    return opener.source in reach.steps  # a decision's option: reachable when the decision is


def static_cells(plan: Plan, items: list[Item], reach: Reach) -> dict[str, str]:
    """COVERABLE or NOT_COVERABLE for every item of the plan's runbooks."""
    out = {}
    for item in items:
        step = plan.steps.get(item.step_key)
        if step is None:
            continue
        if item.kind in ("step", "option"):
            yes = item.step_key in reach.steps
        elif item.kind == "fallback":
            yes = reach.blockable(step)
        else:
            yes = item.event in reach.events
        out[item.key] = COVERABLE if yes else NOT_COVERABLE
    return out


# ----- dynamic: what the explorer reaches -----

def explored_keys(plan: Plan, items: list[Item], reach: Reach, statuses: dict[str, Any],
                  choices: Iterable[tuple[str, str]]) -> set[str]:
    """The items one explored path reached, from where it came to rest.

    A path ends with each step's status and the options chosen. A step is
    reached when it is active or done (a step still blocked at the end counts
    as not reached: the end state cannot say whether it had started). A
    branch step was opened when it is neither dormant nor skipped (the
    explorer skips nothing itself, and only unopened branches are skipped by
    the fold). A fallback counts when its step was opened and could be
    blocked and the fallback step was opened; an event branch when its step
    was opened and some inject carries its event. Where a step is the
    fallback of several steps, or also opens another way, this credits each.
    """
    chosen = set(choices)
    closed = (StepStatus.DORMANT, StepStatus.SKIPPED)
    out = set()
    for item in items:
        key = item.step_key
        status = statuses.get(key)
        if status is None:
            continue
        if item.kind == "step":
            hit = status in (StepStatus.ACTIVE, StepStatus.DONE)
        elif item.kind == "option":
            hit = (key, item.option) in chosen
        elif item.kind == "fallback":
            fallback = plan.steps[key].fallback
            hit = (status not in closed and reach.blockable(plan.steps[key]) and fallback is not None
                   and statuses.get(fallback) not in (None, *closed))
        else:
            hit = status not in closed and item.event in reach.events
        if hit:
            out.add(item.key)
    return out


def cover_scenario(plan: Plan, items: list[Item], abbrev: str, limit: int,
                   progress: Callable[[int], None] | None = None, merge: bool = True) -> ScenarioCoverage:
    """The cells of one scenario: static reach, then every explored path (`merge`: a fork met in a state
    played before is not played again, see engine.drill.explore.Exploration; the cells are the same)."""
    from engine.drill.explore import explore

    scenario = plan.scenario
    mine = [i for i in items if i.step_key in plan.steps]
    reach = static_reach(plan)
    cells = {i.key: OUTSIDE for i in items}
    cells.update(static_cells(plan, mine, reach))
    exploration = explore(plan, limit, merge=merge)
    reached: set[str] = set()
    todo = mine  # the items no path has reached yet: each path looks only at those

    def restart() -> None:  # a cut-off path made explore start again over every combination
        nonlocal todo
        reached.clear()
        todo = mine

    exploration.on_restart.append(restart)
    for n, end in enumerate(exploration, start=1):
        # a merged fork: its paths end as paths played before, but for the steps settled before it
        look = [i for i in todo if i.step_key in end.settled] if end.merged else todo
        new = explored_keys(plan, look, reach, end.statuses, end.choices)
        if new:
            reached |= new
            todo = [i for i in todo if i.key not in reached]
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    for key in reached:
        cells[key] = REACHED  # a reached item is coverable whatever the static part said
    return ScenarioCoverage(
        id=scenario.scenario, title=scenario.title, path=plan.scenario_file.path, abbrev=abbrev,
        runbooks=list(scenario.runbooks), paths=exploration.paths, truncated=exploration.truncated,
        unexplored=exploration.unexplored, covering=exploration.covering, limit=limit, cells=cells,
    )


# ----- logs: when each item was last drilled -----

def find_logs(folder: str) -> list[str]:
    """The *.jsonl files in a folder (not below it), by name."""
    return sorted(str(p) for p in Path(folder).glob("*.jsonl") if p.is_file())


Latest = dict[str, tuple[Drilled, LogInfo]]  # item key -> its latest drill and the log of it


def read_drills(log_paths: list[str], plans: list[Plan], items: list[Item],
                include_headless: bool = False) -> tuple[list[LogInfo], Latest, Latest]:
    """Each log's standing, the latest live drill of every item, and its latest rehearsal.

    Rehearsal logs (LogInfo.rehearsal) are left out, unused with reason
    REHEARSAL_LEFT_OUT, unless include_headless; then they fill the third
    mapping only, so a made-up date never stands as a live drill's.
    """
    by_scenario = {p.scenario.scenario: p for p in plans}
    last: Latest = {}
    rehearsed: Latest = {}
    infos = []
    for path in log_paths:
        info, drilled = _read_one(path, by_scenario, items, include_headless)
        infos.append(info)
        into = rehearsed if info.rehearsal else last
        for key, when in drilled.items():
            if key not in into or when.when > into[key][0].when:
                into[key] = (when, info)
    return infos, last, rehearsed


REHEARSAL_LEFT_OUT = "a headless rehearsal, not a live drill: --include-headless counts it"


def _read_one(path: str, plans: dict[str, Plan], items: list[Item],
              include_headless: bool) -> tuple[LogInfo, dict[str, Drilled]]:
    from engine.drill import events as ev
    from engine.drill.log import LogError, read_log
    from engine.drill.session import check_versions, logged_start

    name = Path(path).name
    info = LogInfo(name, path, None)
    try:
        read = read_log(path)
    except LogError as exc:
        info.reason = str(exc).removeprefix(f"{path}: ")
        return info, {}
    info.events = len(read.events)
    first = read.events[0] if read.events else None
    if first is None or first.type != ev.STARTED:
        where = f": line {read.problem.line}: {read.problem.message}" if first is None and read.problem else ""
        info.reason = f"not a drill log{where}"
        return info, {}
    try:
        start = logged_start(read)
    except LogError as exc:
        info.reason = f"not a drill log: {str(exc).removeprefix(f'{path}:')}"
        return info, {}
    info.scenario = start.scenario.id if start.scenario and start.scenario.id else None
    plan = plans.get(info.scenario or "")
    if plan is None:
        info.reason = (f"its scenario {info.scenario} is not among the scenarios given" if info.scenario
                       else "it names no scenario")
        return info, {}
    info.mode = start.mode if start.fork is None else "headless"  # a what-if fork is a rehearsal, whatever it says
    if info.rehearsal and not include_headless:
        info.reason = REHEARSAL_LEFT_OUT
        return info, {}
    info.used = True
    if read.problem:
        torn = " (torn by a crash)" if read.torn else ""
        info.problems.append(f"does not verify{torn}: line {read.problem.line}: {read.problem.message}")
    changed = check_versions(plan, read)
    info.problems += changed
    return info, _fold(plan, read.events, items, info, changed=bool(changed))


def _fold(plan: Plan, events: list[Any], items: list[Item], info: LogInfo, *,
          changed: bool = False) -> dict[str, Drilled]:
    """Fold the events (engine.drill.replay.fold_log), noting the wall time of each item as it is drilled.

    A log whose files `changed` since the drill is folded against the plan made
    from the log alone (engine.drill.log_plan), so every event it records
    counts: the steps done and the options chosen or revised to, by their keys;
    fallbacks and event branches, which need the runbooks' shape, are not
    counted from it. The log is flagged (its problems say the files changed).
    """
    from engine.drill import events as ev
    from engine.drill.log_plan import plan_from_log
    from engine.drill.replay import fold_log
    from engine.drill.state import DrillState

    mine = [i for i in items if i.step_key in plan.steps]
    watched = {} if changed else {i.key: i for i in mine if i.kind in ("fallback", "event")}
    out: dict[str, Drilled] = {}
    brought: dict[str, str] = {}  # event item key -> the inject whose event opened it
    bad_wall = False

    def drilled(event: ev.Event, payload: ev.Payload, state: DrillState) -> None:
        nonlocal bad_wall
        info.applied += 1
        when = _wall(event.wall)
        if when is None:
            bad_wall = True
            return
        if isinstance(payload, ev.InjectWithdrawn):  # it never really came: what it alone opened is not drilled
            for key in [k for k, inject in brought.items() if inject == payload.inject]:
                out.pop(key, None)
                watched[key] = next(i for i in mine if i.key == key)
                del brought[key]
        hit = []
        if isinstance(payload, (ev.StepDone, ev.DecisionMade)):
            hit.append(f"step:{payload.step}")
            if isinstance(payload, ev.DecisionMade):
                hit.append(f"option:{payload.step}={payload.option}")
        elif isinstance(payload, ev.StepReopened):  # done by mistake: drilled only once it is done again
            out.pop(f"step:{payload.step}", None)
        elif isinstance(payload, ev.DecisionRevised):  # the option that stands is the one the team took
            for key in [k for k in out if k.startswith(f"option:{payload.step}=")]:
                del out[key]
            hit.append(f"option:{payload.step}={payload.option}")
        for key, item in list(watched.items()):
            step = plan.steps[item.step_key]
            if item.kind == "fallback":
                opened = step.fallback is not None and state.steps[step.fallback].opened_t is not None
                if opened and state.status(step.key) is StepStatus.BLOCKED:
                    hit.append(key)
                    del watched[key]
            elif state.steps[step.key].opened_t is not None:
                if isinstance(payload, (ev.InjectFired, ev.InjectAdhoc)) and payload.event == item.event:
                    hit.append(key)
                    brought[key] = payload.inject
                del watched[key]  # opened some other way: this log does not drill the event branch
        for key in hit:
            out[key] = Drilled(str(event.wall), when, info.name)

    played = fold_log(plan_from_log(events) if changed else plan, events, drilled)
    if played.error is not None:
        info.problems.append(f"line {played.problem_line} does not fit the runbooks: {played.error}")
    if bad_wall:
        info.problems.append("some events have a wall time that cannot be read; they are not counted")
    return out


def _wall(text: Any) -> datetime | None:
    from engine.drill.clock import parse_wall

    try:
        when = parse_wall(text)
    except (TypeError, ValueError, AttributeError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# ----- all together -----

def build_coverage(paths: list[str], *, logs_folder: str | None = DEFAULT_LOGS, limit: int | None = None,
                   config: Any = None, progress: Progress | None = None,
                   include_headless: bool = False) -> Coverage:
    """The coverage of the runbooks and scenarios under `paths`, with the logs in `logs_folder`.

    Headless rehearsals count (apart, in `rehearsed`) only with include_headless.

    Raises engine.validate.UsageError and CoverageInputError (see load_inputs).
    """
    from engine.drill.explore import PATH_LIMIT

    inputs = load_inputs(paths, config)
    items = [item for model in inputs.models for item in runbook_items(model)]
    scenarios = []
    count = len(inputs.plans)
    for number, plan in enumerate(inputs.plans, start=1):
        sid = plan.scenario.scenario
        if progress is not None:
            progress(number, count, sid, 0)
        tick = (lambda n, number=number, sid=sid: progress(number, count, sid, n)) if progress else None
        scenarios.append(cover_scenario(plan, items, f"S{number}", limit or PATH_LIMIT, tick))
    logs = find_logs(logs_folder) if logs_folder and Path(logs_folder).is_dir() else []
    infos, last, rehearsed = read_drills(logs, inputs.plans, items, include_headless)
    return Coverage(list(paths), inputs.runbooks, items, scenarios, infos, logs_folder, last, rehearsed,
                    include_headless)


# ----- JSON -----

def to_json(coverage: Coverage) -> dict[str, Any]:
    """The documented JSON shape (docs/coverage-json.md)."""
    def drilled(key: str, latest: Latest) -> dict[str, Any] | None:
        if key not in latest:
            return None
        when, log = latest[key]
        return {"wall": when.wall, "log": log.name, "flagged": log.flagged}

    return {
        "coverage_version": COVERAGE_VERSION,
        "paths": coverage.paths,
        "totals": coverage.totals(),
        "runbooks": [{"id": r.id, "title": r.title, "path": r.path} for r in coverage.runbooks],
        "scenarios": [{
            "id": s.id, "abbrev": s.abbrev, "title": s.title, "path": s.path, "runbooks": s.runbooks,
            "exploration": {"paths": s.paths, "truncated": s.truncated, "unexplored": s.unexplored,
                            "covering": s.covering, "limit": s.limit},
            "totals": coverage.scenario_totals(s),
        } for s in coverage.scenarios],
        "items": [{
            "key": i.key, "kind": i.kind, "runbook": i.runbook, "step": i.step, "title": i.title,
            "option": i.option, "label": i.label, "fallback": i.fallback, "event": i.event,
            "cells": {s.id: s.cells.get(i.key, OUTSIDE) for s in coverage.scenarios},
            "coverable": coverage.coverable(i), "reached": coverage.reached(i),
            "last_drilled": drilled(i.key, coverage.last),
            "last_rehearsed": drilled(i.key, coverage.rehearsed),
        } for i in coverage.items],
        "logs_folder": coverage.logs_folder,
        "include_headless": coverage.include_headless,
        "headless_left_out": len(coverage.left_out()),
        "logs": [{
            "name": log.name, "path": log.path, "scenario": log.scenario, "events": log.events,
            "applied": log.applied, "used": log.used, "flagged": log.flagged, "problems": log.problems,
            "reason": log.reason, "mode": log.mode, "rehearsal": log.rehearsal,
        } for log in coverage.logs],
    }
