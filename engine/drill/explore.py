"""Explore every path of a drill: each combination of decision options, played against the scenario.

The static walk of engine.paths looks at one runbook with every service up
and no events. This one plays the whole plan (every runbook of a scenario,
with its injects) through the real fold, DrillState, in virtual time, so it
sees what only a drill sees: a service that goes down and never comes back,
a join held up by a branch whose event never comes, a contingency inject
that comes on one path only.

The driver is small and deterministic, so a path is fully named by the
options it takes. At each moment of scenario time it, in this order:

1. fires the injects that are due, soonest first;
2. finishes the started steps whose time is up (their `target`, or
   DEFAULT_STEP_SECONDS without one); a step that was blocked while at work
   starts its time again when its service comes back;
3. at a decision step whose time is up, forks: one path per option, depth
   first, options in the order written;
4. starts every step that is ready.

When nothing is left to happen (no step at work, no inject still to come)
the path has come to rest; past the horizon (the scenario's duration plus
GRACE_SECONDS) it is cut off. A resting path either finished
(DrillState.finished) or is stuck, and the stuck steps say why.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.drill import events as ev
from engine.drill.clock import format_wall, parse_wall
from engine.drill.frontier import Frontier, Links, touched
from engine.drill.pace import due_injects, ready_steps, step_seconds, time_is_up
from engine.drill.plan import Plan
from engine.drill.session import fired, started
from engine.drill.state import DrillState, StepStatus

PATH_LIMIT = 512
GRACE_SECONDS = 24 * 3600  # how long past the scenario's duration a path may run


@dataclass
class _Run:
    """One path in progress: the fold, the events that made it, and the driver's own bookkeeping."""

    state: DrillState
    events: list[ev.Event]
    t: float
    finish: dict[str, float]  # started step -> when its work is done
    held: set[str]  # started steps that were blocked while at work
    choices: list[tuple[str, str]]  # (decision step, option), in the order made
    cut_off: bool = False  # stopped at the horizon
    frontier: Frontier | None = None  # the ready and active steps, kept up to date event by event


@dataclass(frozen=True)
class PathEnd:
    """Where one path came to rest."""

    choices: tuple[tuple[str, str], ...]
    t: float  # scenario time of the last thing that happened
    statuses: dict[str, StepStatus]
    finished: bool
    cut_off: bool  # stopped at the horizon with work left
    blocked: tuple[str, ...]  # blocked, and neither back nor covered by a done fallback
    waiting: tuple[str, ...]  # opened, but what they need never resolved
    roots: tuple[str, ...]  # the waiting steps that are stuck for a reason of their own
    unfinished: tuple[str, ...]  # at a cut-off: every step not finished
    reasons: dict[str, str] = field(default_factory=dict)  # stuck step -> why, in words

    @property
    def stuck(self) -> bool:
        return not self.finished and not self.cut_off

    def signature(self) -> tuple[str, ...]:
        """The end state: what every step ended as."""
        return tuple(self.statuses.values())


# Two ways to fork a path at a decision. Folding the path's events again into a fresh state is the
# default: bench/drill_bench.py measures it 1.2 to 1.5 times faster than copy.deepcopy of the state,
# on the shipped scenario and on a generated runbook of 2^9 paths, and it leans on nothing but the fold.
Fork = Callable[[_Run], _Run]


def fork_by_deepcopy(run: _Run) -> _Run:
    """A copy of a path in progress, copying the fold's objects (the plan is shared)."""
    memo: dict[int, Any] = {id(run.state.plan): run.state.plan}
    for inject in run.state.plan.injects:
        memo[id(inject)] = inject
    state = copy.deepcopy(run.state, memo)
    return _Run(state, list(run.events), run.t, dict(run.finish), set(run.held), list(run.choices),
                frontier=run.frontier.copy(state) if run.frontier else None)


def fork_by_refold(run: _Run) -> _Run:
    """A copy of a path in progress, made by folding its events again into a fresh state."""
    state = DrillState(run.state.plan)
    for event in run.events:
        state.apply(event)
    return _Run(state, list(run.events), run.t, dict(run.finish), set(run.held), list(run.choices),
                frontier=run.frontier.copy(state) if run.frontier else None)


def fork_by_copy(run: _Run) -> _Run:
    """A copy of a path in progress: the fold's containers and the records in them copied, the plan shared.

    Linear in the steps, not in the events so far: on long paths much cheaper
    than folding the events again (bench/side_by_side.py, coverage and explore).
    """
    state = _copied(run.state, run.state.plan, 3)
    return _Run(state, list(run.events), run.t, dict(run.finish), set(run.held), list(run.choices),
                frontier=run.frontier.copy(state) if run.frontier else None)


def _copied(value: Any, plan: Plan, depth: int) -> Any:
    """`value` with its mutable parts copied `depth` levels down (dicts, lists, sets, records).

    DrillState's underscored attributes are indexes built once from the plan
    and never changed afterwards: they are shared, like the plan.
    """
    if depth == 0 or value is plan:
        return value
    kind = type(value)
    if kind is dict:
        return {k: _copied(v, plan, depth - 1) for k, v in value.items()}
    if kind is list:
        return [_copied(v, plan, depth - 1) for v in value]
    if kind is set:
        return set(value)
    if hasattr(value, "__dataclass_fields__") or kind is DrillState:
        other = object.__new__(kind)
        fields = other.__dict__
        fields.update(value.__dict__)
        for name, item in fields.items():
            if type(item) in (dict, list, set) or hasattr(item, "__dataclass_fields__"):
                if not (kind is DrillState and name.startswith("_")):
                    fields[name] = _copied(item, plan, depth - 1)
        return other
    return value


class Exploration:
    """The paths of a drill, played one by one as you iterate (iterate once).

    After iterating, `paths` is how many paths were played, `truncated`
    whether the limit stopped it, and `at_least` a lower bound on how many
    paths there are in all (the played ones plus the forks still waiting).
    """

    def __init__(self, plan: Plan, limit: int = PATH_LIMIT, fork: Fork | None = None) -> None:
        self.plan = plan
        self.limit = limit
        self.fork = fork or fork_by_copy
        self.paths = 0
        self.truncated = False
        self.at_least = 0  # the paths played plus the branches left (kept for old readers; see `unexplored`)
        self.unexplored = 0  # branches the depth-first search left unfollowed when the limit stopped it
        self.left_at: dict[str, int] = {}  # decision step -> branches left unfollowed there
        self.covering = 0  # paths played after the limit, so every option reached is played once
        self.played: dict[str, set[str]] = {}  # decision step -> the options played on some path
        self._reached: dict[str, tuple[tuple[str, str], ...]] = {}  # decision -> the choices that first led to it
        scenario = plan.scenario
        last = max((i.at or 0 for i in plan.injects if not i.contingent), default=0)
        self.horizon = float(max(scenario.duration or 0, last) + GRACE_SECONDS)
        self._base = parse_wall(scenario.anchor) if scenario.anchor else datetime(2026, 1, 1, tzinfo=UTC)
        self._durations = {key: step_seconds(plan, key) for key in plan.steps}
        self._links = Links(plan)

    def __iter__(self) -> Iterator[PathEnd]:
        """Depth first, every option in turn; past the limit, one more path for each option of a
        decision met so far that no path took yet (see `cover`)."""
        root = self._root()
        pending: list[tuple[_Run, str | None, str | None]] = [(root, None, None)]
        while pending:
            if self.paths >= self.limit:
                self.truncated = True
                self.at_least = self.paths + len(pending)
                self.unexplored = len(pending)
                for _, decision, _ in pending:
                    if decision is not None:
                        self.left_at[decision] = self.left_at.get(decision, 0) + 1
                pending.clear()  # let the forks go before playing on
                yield from self.cover()
                return
            run, decision, option = pending.pop()
            if decision is not None and option is not None:
                self._decide(run, decision, option)
            decision = self._play(run)
            if decision is None:
                self.paths += 1
                yield self._end(run)
                continue
            options = list(self.plan.steps[decision].options or {})
            # The first option goes on top (played next); the last reuses the run itself.
            forks = [self.fork(run) for _ in options[:-1]] + [run]
            pending.extend((f, decision, o) for f, o in reversed(list(zip(forks, options, strict=True))))
        self.at_least = self.paths

    def cover(self) -> Iterator[PathEnd]:
        """Paths that play the options no path took yet, one at least each (after a limit cut the search).

        A depth-first search cut short has varied only the last decisions. For
        each decision met on some path with an option still unplayed, this
        plays one more path: the choices that first led to the decision, that
        option, and after it the first unplayed option of each decision (else
        the first option). Options of decisions no explored path reached stay
        unplayed; `unplayed()` names them.
        """
        tried: set[tuple[str, str]] = set()
        while True:
            todo = [(d, o) for d in self._reached for o in (self.plan.steps[d].options or {})
                    if o not in self.played.get(d, set()) and (d, o) not in tried]
            if not todo:
                return
            decision, option = todo[0]
            tried.add((decision, option))
            end = self._guided(list(self._reached[decision]) + [(decision, option)])
            self.paths += 1
            self.covering += 1
            yield end

    def unplayed(self) -> list[tuple[str, str]]:
        """(decision, option) pairs that no explored path took, in plan order; decisions never reached included."""
        return [(key, option) for key, step in self.plan.steps.items() for option in (step.options or {})
                if option not in self.played.get(key, set())]

    def _root(self) -> _Run:
        root = _Run(DrillState(self.plan), [], 0.0, {}, set(), [])
        self._record(root, started(self.plan, "explore"))
        root.frontier = Frontier(root.state, self._links)
        return root

    def _decide(self, run: _Run, decision: str, option: str) -> None:
        self._record(run, ev.DecisionMade(decision, option, "", "explore"))
        run.finish.pop(decision, None)
        run.choices.append((decision, option))
        self.played.setdefault(decision, set()).add(option)

    def _guided(self, choices: list[tuple[str, str]]) -> PathEnd:
        """One path taking `choices` in turn, then the first unplayed option of each decision (else the first)."""
        run = self._root()
        while (decision := self._play(run)) is not None:
            made = len(run.choices)
            if made < len(choices) and choices[made][0] == decision:
                option = choices[made][1]
            else:
                options = list(self.plan.steps[decision].options or {})
                option = next((o for o in options if o not in self.played.get(decision, set())), options[0])
            self._decide(run, decision, option)
        return self._end(run)

    # ----- one path -----

    def _record(self, run: _Run, payload: ev.Payload) -> None:
        event = ev.Event.of(run.state.seq + 1, format_wall(self._base + timedelta(seconds=run.t)), run.t, payload)
        run.state.apply(event)
        if run.frontier is not None:
            run.frontier.update(touched(payload, self._links, self.plan))
        run.events.append(event)

    def _play(self, run: _Run) -> str | None:
        """Play on until a decision is due (its step key) or the path comes to rest (None)."""
        while True:
            decision = self._moment(run)
            if decision is not None:
                return decision
            later = [at for key, at in run.finish.items() if key not in run.held]
            later += [at for at, _ in run.state.upcoming()]
            if not later:
                return None
            next_t = min(later)
            if next_t > self.horizon:
                run.cut_off = True
                return None
            run.t = max(run.t, next_t)

    def _moment(self, run: _Run) -> str | None:
        """Do everything that happens at run.t; a decision step whose time is up stops it."""
        state, plan = run.state, self.plan
        while True:
            due = due_injects(state, run.t)
            if due:
                self._record(run, fired(due[0]))
                continue
            progressed = False
            for key in list(run.finish):
                status = state.status(key)
                if status is StepStatus.BLOCKED:
                    run.held.add(key)
                    continue
                if status is not StepStatus.ACTIVE:  # done or skipped after all: nothing left to finish
                    del run.finish[key]
                    continue
                if key in run.held:  # back at work after a block: its time starts again
                    run.held.discard(key)
                    run.finish[key] = run.t + self._durations[key]
                    continue
                if not time_is_up(run.finish[key], run.t):
                    continue
                if plan.steps[key].options:
                    self._reached.setdefault(key, tuple(run.choices))
                    return key
                del run.finish[key]
                self._record(run, ev.StepDone(key))
                progressed = True
                break
            if progressed:
                continue
            ready = ready_steps(state, run.finish, run.frontier)
            for key in ready:
                self._record(run, ev.StepStarted(key))
                run.finish[key] = run.t + self._durations[key]
            if not ready:
                return None

    def _end(self, run: _Run) -> PathEnd:
        state = run.state
        statuses = state.statuses()
        finished = state.finished()
        blocked = tuple(k for k, s in statuses.items() if s is StepStatus.BLOCKED and not state.resolved(k))
        waiting = tuple(k for k, s in statuses.items() if s is StepStatus.WAITING)
        cut_off = run.cut_off and not finished
        unfinished: tuple[str, ...] = ()
        roots: tuple[str, ...] = ()
        reasons: dict[str, str] = {}
        if cut_off:
            unfinished = tuple(k for k, s in statuses.items()
                               if s in (StepStatus.WAITING, StepStatus.READY, StepStatus.ACTIVE)
                               or (s is StepStatus.BLOCKED and not state.resolved(k)))
        elif not finished:
            roots = _roots(state, statuses, waiting, blocked)
            reasons = {k: _why_blocked(state, k) for k in blocked}
            reasons.update({k: _why_waiting(state, statuses, k) for k in roots})
        return PathEnd(tuple(run.choices), state.t, statuses, finished, cut_off, blocked, waiting, roots,
                       unfinished, reasons)


def explore(plan: Plan, limit: int = PATH_LIMIT, fork: Fork | None = None) -> Exploration:
    """The paths of the drill, at most `limit` of them (see Exploration)."""
    return Exploration(plan, limit, fork)


# ----- why a step is stuck -----

def _stuck(state: DrillState, statuses: dict[str, StepStatus], key: str) -> bool:
    status = statuses[key]
    return status is StepStatus.WAITING or (status is StepStatus.BLOCKED and not state.resolved(key))


def _roots(state: DrillState, statuses: dict[str, StepStatus], waiting: tuple[str, ...],
           blocked: tuple[str, ...]) -> tuple[str, ...]:
    """Waiting steps held up by something other than another stuck step: a branch nobody opens.

    A waiting step whose unmet needs are all stuck themselves (or dormant only
    because the step that would open them is stuck) follows from those; the
    findings name it among the stuck steps, not as a cause.
    """
    plan = state.plan
    out = []
    for key in waiting:
        for need in plan.steps[key].needs:
            if statuses.get(need) is not StepStatus.DORMANT:
                continue
            sources = [o.source for o in plan.steps[need].openers if o.kind != "event"]
            if not any(_stuck(state, statuses, s) for s in sources):
                out.append(key)
                break
    if not out and not blocked:
        return waiting  # waits in a ring: no cause outside it (validate's cycle rule stops this earlier)
    return tuple(out)


def _why_blocked(state: DrillState, key: str) -> str:
    step = state.plan.steps[key]
    down = [s for s in step.requires if state.services.get(s) == "down"]
    what = f"{_names(down)} {'is' if len(down) == 1 else 'are'} down and never comes back"
    if step.fallback is None:
        return f"{what}, and it has no fallback"
    return f"{what}, and its fallback `{state.plan.steps[step.fallback].id}` is {state.status(step.fallback)}"


def _why_waiting(state: DrillState, statuses: dict[str, StepStatus], key: str) -> str:
    plan = state.plan
    parts = [f"`{plan.steps[need].id}`, which never opens: {_dormant(state, statuses, need, 0)}"
             for need in plan.steps[key].needs if statuses.get(need) is StepStatus.DORMANT]
    return "waits for " + "; and for ".join(parts)


def _dormant(state: DrillState, statuses: dict[str, StepStatus], key: str, depth: int) -> str:
    """Why a dormant step never opened, following dormant openers a few steps back."""
    plan = state.plan
    reasons = []
    for opener in plan.steps[key].openers:
        if opener.kind == "event":
            reasons.append(f"it opens on event `{opener.source}`, which never comes on this path")
            continue
        source = plan.steps[opener.source].id
        what = (f"it follows option `{opener.option}` of `{source}`" if opener.kind == "next"
                else f"it backs up `{source}`")
        status = statuses[opener.source]
        if status is not StepStatus.DORMANT:
            reasons.append(f"{what}, which is {status}")
        elif depth < 2:
            reasons.append(f"{what}, which never opened ({_dormant(state, statuses, opener.source, depth + 1)})")
        else:
            reasons.append(f"{what}, which never opened")
    return "; ".join(reasons) or "nothing opens it"


def _names(services: list[str]) -> str:
    return ", ".join(f"`{s}`" for s in services) or "a service"
