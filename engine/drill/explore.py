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

Decisions that cannot influence each other (engine.drill.independence) are
not multiplied out: the search forks at a decision only while the path has
left the first option of no other group, so it plays, for each group, every
combination of that group's options with every other decision at its first
option. Those paths stand for every path of decisions: each step ends on a
combination as it ends on the path that varies only its own group (see
engine.explore_findings and engine.drill.tally, which count them so). A
path cut off at the horizon ties every group together (whether a path is
cut off decides what every stuck step is reported as), so on meeting one the
search starts again and plays every combination, as `independent=False`.

When nothing is left to happen (no step at work, no inject still to come)
the path has come to rest; past the horizon (the scenario's duration plus
GRACE_SECONDS) it is cut off. A resting path either finished
(DrillState.finished) or is stuck, and the stuck steps say why.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.drill import events as ev
from engine.drill.clock import format_wall, parse_wall
from engine.drill.frontier import Frontier, InjectQueue, Links, touched
from engine.drill.independence import Groups, decision_groups
from engine.drill.pace import due_injects, ready_steps, step_seconds, time_is_up
from engine.drill.plan import Plan
from engine.drill.session import fired, started
from engine.drill.state import DrillState, StepRecord, StepStatus

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
    deviated: int | None = None  # the group whose decisions left their first option (None: none yet)
    when: dict[int | None, float] = field(default_factory=dict)  # group (None: no group) -> its last event's t
    injects: InjectQueue | None = None  # the injects still to fire, soonest first (without one: ask the state)

    def copy(self, state: DrillState) -> _Run:
        """This path with `state` (a copy of its own) and copies of the driver's bookkeeping."""
        return _Run(state, list(self.events), self.t, dict(self.finish), set(self.held), list(self.choices),
                    frontier=self.frontier.copy(state) if self.frontier else None, deviated=self.deviated,
                    when=dict(self.when), injects=self.injects.copy(state) if self.injects else None)


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
    group: int | None = None  # the only group of decisions not all at their first option (grouped search)
    times: dict[int | None, float] = field(default_factory=dict)  # group -> t of its last event (grouped search)
    past_horizon: bool = False  # something was still to come past the horizon (finished or not)
    merged: int = 0  # with `merge`: not a played path, but a fork met in a state already played from (see
    # Exploration): it stands for this many paths, which end as the earlier ones did in every step outside
    # `settled`; statuses are as at the fork, final for the steps in `settled`
    settled: frozenset[str] = frozenset()

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
    return run.copy(copy.deepcopy(run.state, memo))


def fork_by_refold(run: _Run) -> _Run:
    """A copy of a path in progress, made by folding its events again into a fresh state."""
    from engine.drill.replay import replay_events

    return run.copy(replay_events(run.state.plan, "<the path explored>", run.events))


def fork_by_copy(run: _Run) -> _Run:
    """A copy of a path in progress: the fold's containers and step records copied, the plan shared.

    Linear in the steps, not in the events so far: on long paths much cheaper
    than folding the events again (bench/side_by_side.py, coverage and explore).
    """
    return run.copy(copy_state(run.state))


# DrillState's indexes, built once from the plan and never changed afterwards: shared by every copy.
_PLAN_INDEXES = frozenset({"_requiring", "_listening", "_arms", "_order", "_backed_by", "_opens", "_timed"})


def copy_state(state: DrillState) -> DrillState:
    """A copy of a fold that moves on apart from it: every dict, list and set of the state is copied, and
    each StepRecord (the only records the fold changes in place; the others are frozen); the plan and
    the plan's indexes are shared."""
    other = object.__new__(DrillState)
    fields = other.__dict__
    fields.update(state.__dict__)
    for name, value in fields.items():
        kind = type(value)
        if (kind is dict or kind is list or kind is set) and name not in _PLAN_INDEXES and name != "steps":
            fields[name] = value.copy()
    new = object.__new__
    steps = {}
    for key, record in state.steps.items():
        twin = new(StepRecord)
        copied = record.__dict__.copy()
        copied["ticks"] = set(copied["ticks"])
        copied["worked"] = list(copied["worked"])  # a reopening in one fork must not show in the other
        twin.__dict__ = copied
        steps[key] = twin
    other.steps = steps
    return other


class Exploration:
    """The paths of a drill, played one by one as you iterate (iterate once).

    After iterating, `paths` is how many paths were played, `truncated`
    whether the limit stopped it, and `at_least` a lower bound on how many
    paths there are in all (the played ones plus the forks still waiting).
    With `independent` (the default) and more than one group of decisions,
    `groups` holds them and, once the search is complete, `group_paths` how
    many paths each group has and `total` the paths of decisions the played
    ones stand for (their product). A consumer that sums up paths as they go
    by registers in `on_restart` what clears its sums: it is called when a
    cut-off path makes the search start again over every combination.

    With `merge`, a fork met in a state a fork already played from (every
    step alike but the settled ones, see `_fingerprint`) is not played
    again: its paths end as those did, but for steps settled before it. It
    comes as one PathEnd with `merged` the number of paths it stands for, so
    `paths` still counts every path (and `merged` those not played), while
    the limit counts the played ones. Only a reader of what a path reached
    can take it (coverage); one that needs each path's end cannot.
    """

    def __init__(self, plan: Plan, limit: int = PATH_LIMIT, fork: Fork | None = None,
                 independent: bool = True, merge: bool = False, prefix: list[ev.Event] | None = None) -> None:
        self.plan = plan
        self.prefix = prefix or []  # a played drill's events up to a fork point: every path starts from there
        independent = independent and not self.prefix  # groups are told apart from the start only
        self.limit = limit
        self.merge = merge
        self.fork = fork or fork_by_copy
        self.on_restart: list[Callable[[], None]] = []
        groups = decision_groups(plan) if independent else None
        self.groups: Groups | None = groups if groups is not None and len(groups) > 1 else None
        self._clear()
        scenario = plan.scenario
        last = max((i.at or 0 for i in plan.injects if not i.contingent), default=0)
        self.horizon = float(max(scenario.duration or 0, last) + GRACE_SECONDS)
        self._base = parse_wall(scenario.anchor) if scenario.anchor else datetime(2026, 1, 1, tzinfo=UTC)
        self._durations = {key: step_seconds(plan, key) for key in plan.steps}
        self._links = Links(plan)
        self._walls: dict[float, str] = {}  # scenario seconds -> the wall time written for it

    def _clear(self) -> None:
        self.paths = 0
        self.truncated = False
        self.at_least = 0  # the paths played plus the branches left (kept for old readers; see `unexplored`)
        self.unexplored = 0  # branches the depth-first search left unfollowed when the limit stopped it
        self.left_at: dict[str, int] = {}  # decision step -> branches left unfollowed there
        self.covering = 0  # paths played after the limit, so every option reached is played once
        self.played: dict[str, set[str]] = {}  # decision step -> the options played on some path
        self._reached: dict[str, tuple[tuple[str, str], ...]] = {}  # decision -> the choices that first led to it
        self._ended: dict[int | None, int] = {}  # group a path varied (None: none) -> paths played
        self.merged = 0  # paths stood for by a merged fork, not played (counted in `paths`)
        self._seen: dict[tuple[Any, ...], dict[int | None, int]] = {}  # fork fingerprint -> paths by group

    @property
    def group_paths(self) -> list[int]:
        """How many paths each group of decisions has (its own combinations, the rest at first options)."""
        if self.groups is None:
            return [self.paths]
        return [1 + self._ended.get(g, 0) for g in range(len(self.groups))]

    @property
    def total(self) -> int:
        """The paths of decisions the played ones stand for (meaningful once the search is complete)."""
        return math.prod(self.group_paths)

    def __iter__(self) -> Iterator[PathEnd]:
        """Depth first, every option in turn (grouped: see the module docstring); past the limit, one
        more path for each option of a decision met so far that no path took yet (see `cover`)."""
        if self.groups is None:
            yield from self._search()
            return
        for end in self._search():
            if end.past_horizon:  # ties every group together: play every combination instead
                self.groups = None
                self._clear()
                for clear in self.on_restart:
                    clear()
                yield from self._search()
                return
            yield end

    def _search(self) -> Iterator[PathEnd]:
        root = self._root()
        pending: list[tuple[_Run, str | None, str | None, _Fork | None]] = [(root, None, None, None)]
        while pending:
            if self.paths - self.merged >= self.limit:
                self.truncated = True
                self.at_least = self.paths + len(pending)
                self.unexplored = len(pending)
                for _, decision, _, _ in pending:
                    if decision is not None:
                        self.left_at[decision] = self.left_at.get(decision, 0) + 1
                pending.clear()  # let the forks go before playing on
                yield from self.cover()
                return
            run, decision, option, parent = pending.pop()
            if decision is not None and option is not None:
                self._decide(run, decision, option)
            decision = self._play(run)
            if decision is None:
                self.paths += 1
                self._ended[run.deviated] = self._ended.get(run.deviated, 0) + 1
                self._count(parent, {run.deviated: 1})
                yield self._end(run)
                continue
            node = None
            if self.merge:
                fingerprint, settled = self._fingerprint(run, decision)
                counts = self._seen.get(fingerprint)
                if counts is not None:  # played from this state before: its paths end as those did
                    yield self._merged(run, counts, settled)
                    self._count(parent, counts)
                    continue
                node = _Fork(fingerprint, parent)
            options = list(self.plan.steps[decision].options or {})
            group = self.groups.group_of[decision] if self.groups is not None else None
            if run.deviated is not None and run.deviated != group:
                options = options[:1]  # another group has left its first options: this one keeps its first
            if node is not None:
                node.left = len(options)
            # The first option goes on top (played next); the last reuses the run itself.
            forks = [self.fork(run) for _ in options[:-1]] + [run]
            for n, fork in enumerate(forks):
                if n:
                    fork.deviated = group
            pending.extend((f, decision, o, node) for f, o in reversed(list(zip(forks, options, strict=True))))
        self.at_least = self.paths

    # ----- merging forks met in a state already played from (with `merge`) -----

    def _count(self, node: _Fork | None, counts: dict[int | None, int]) -> None:
        """Add the paths of one finished branch to its fork and, as each fork is done, to the forks above."""
        while node is not None:
            for group, n in counts.items():
                node.paths[group] = node.paths.get(group, 0) + n
            node.left -= 1
            if node.left > 0:
                return
            self._seen[node.fingerprint] = node.paths
            counts, node = node.paths, node.parent

    def _fingerprint(self, run: _Run, decision: str) -> tuple[tuple[Any, ...], frozenset[str]]:
        """What the rest of a path depends on, at a fork; and the steps left out of it.

        A step that is done or skipped, and whose fallback, branches and the
        steps it backs up (as their fallback) are too, is left out: every
        rule reads it as resolved, nothing it could open or cover is left, so
        done or skipped, and when, change nothing ahead. Every other step counts with which of its times are set; so do
        the clock, the services, the injects fired and armed (with their
        times), the events come, the decisions whose branches are not all
        settled, the driver's work in progress and the group the path varies.
        """
        state = run.state
        records = state.steps
        linked = self._links.linked  # its fallback, its branches, the steps it backs up
        settled: set[str] = set()
        shapes: list[Any] = []
        for key, r in records.items():
            if (r.done_t is not None or r.skipped_t is not None) and all(
                    records[t].done_t is not None or records[t].skipped_t is not None for t in linked[key]):
                settled.add(key)
                shapes.append(None)
            else:
                shapes.append((r.opened_t is None, r.started_t is None, r.done_t is None, r.skipped_t is None,
                               r.covered_t is None, r.blocked_t is None, r.off_branch))
        fingerprint = (
            decision, run.deviated, run.t, tuple(shapes), tuple(sorted(state.services.items())),
            frozenset(state.fired), tuple(sorted(state.armed.items())), frozenset(state.arrived),
            tuple(sorted((k, d.option) for k, d in state.decisions.items() if k not in settled)),
            tuple(sorted((k, t) for k, t in run.finish.items() if k not in settled)), frozenset(run.held),
        )
        return fingerprint, frozenset(settled)

    def _merged(self, run: _Run, counts: dict[int | None, int], settled: frozenset[str]) -> PathEnd:
        stands_for = sum(counts.values())
        self.paths += stands_for
        self.merged += stands_for
        for group, n in counts.items():
            self._ended[group] = self._ended.get(group, 0) + n
        statuses = dict(run.frontier.status) if run.frontier is not None else run.state.statuses()
        return PathEnd(tuple(run.choices), run.state.t, statuses, False, False, (), (), (), (),
                       group=run.deviated, merged=stands_for, settled=settled)

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
        if self.prefix:
            return self._rooted()
        root = _Run(DrillState(self.plan), [], 0.0, {}, set(), [])
        self._record(root, started(self.plan, "explore"))
        root.frontier = Frontier(root.state, self._links)
        root.injects = InjectQueue(root.state)  # a heap: asking the state scans every inject at every moment
        return root

    def _rooted(self) -> _Run:
        """The drill as it stood after `prefix`: the steps at work finish their target after they started
        (a blocked one starts its time again when it is back at work), as on any path."""
        state = DrillState(self.plan)
        for event in self.prefix:
            state.apply(event)
        root = _Run(state, list(self.prefix), self.prefix[-1].t, {}, set(), [])
        for key, record in state.steps.items():
            status = state.status(key)
            if status is StepStatus.ACTIVE and record.started_t is not None:
                root.finish[key] = record.started_t + self._durations[key]
            elif status is StepStatus.BLOCKED and record.started_t is not None and record.done_t is None:
                root.finish[key] = record.started_t + self._durations[key]
                root.held.add(key)
        root.frontier = Frontier(state, self._links)
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
        wall = self._walls.get(run.t)
        if wall is None:  # many events share a moment, and every path the same moments
            wall = self._walls[run.t] = format_wall(self._base + timedelta(seconds=run.t))
        event = ev.Event.of(run.state.seq + 1, wall, run.t, payload)
        run.state.apply(event)
        if run.frontier is not None:
            run.frontier.update(touched(payload, self._links, self.plan))
        if run.injects is not None and isinstance(payload, (ev.StepDone, ev.DecisionMade)):
            run.injects.arm(payload.step)
        run.events.append(event)
        if self.groups is not None:
            run.when[self._group_of(payload)] = run.t

    def _group_of(self, payload: ev.Payload) -> int | None:
        """The group whose footprint an event belongs to (None: the same on every path)."""
        groups = self.groups
        assert groups is not None
        if isinstance(payload, (ev.StepStarted, ev.StepDone, ev.DecisionMade)):
            return groups.step_group.get(payload.step)
        if isinstance(payload, ev.InjectFired):
            return groups.inject_group.get(payload.inject)
        return None

    def _play(self, run: _Run) -> str | None:
        """Play on until a decision is due (its step key) or the path comes to rest (None)."""
        while True:
            decision = self._moment(run)
            if decision is not None:
                return decision
            later = [at for key, at in run.finish.items() if key not in run.held]
            if run.injects is not None:
                soonest = run.injects.soonest()
                later += [] if soonest is None else [soonest]
            else:
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
        # the frontier has every step's status as of the last event; without one, ask the state
        status_of = run.frontier.status.__getitem__ if run.frontier is not None else state.status
        while True:
            due = due_injects(state, run.t, run.injects)
            if due:  # firing an inject arms none (only a step done or decided does): fire them all, in order
                for inject in due:
                    self._record(run, fired(inject))
                continue
            progressed = False
            for key in list(run.finish):
                status = status_of(key)
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
            frontier = run.frontier
            if frontier is not None:  # its ready set is the state's, as of the last event
                ready = [key for key in frontier.in_order(frontier.ready) if key not in run.finish]
            else:
                ready = ready_steps(state, run.finish)
            for key in ready:
                self._record(run, ev.StepStarted(key))
                run.finish[key] = run.t + self._durations[key]
            if not ready:
                return None

    def _end(self, run: _Run) -> PathEnd:
        state, frontier = run.state, run.frontier
        if frontier is not None:  # up to date after every event, in plan order: no need to ask every step again
            statuses, finished = dict(frontier.status), frontier.finished
            blocked = tuple(k for k, s in statuses.items() if s is StepStatus.BLOCKED and not frontier.resolved[k])
        else:
            statuses, finished = state.statuses(), state.finished()
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
                       unfinished, reasons, run.deviated, dict(run.when), run.cut_off)


def explore(plan: Plan, limit: int = PATH_LIMIT, fork: Fork | None = None, independent: bool = True,
            merge: bool = False, prefix: list[ev.Event] | None = None) -> Exploration:
    """The paths of the drill, at most `limit` of them (see Exploration); `independent=False` multiplies
    every decision out, as the search did before it told groups apart; `merge` plays no fork twice from
    one state (for readers of what paths reach, see Exploration); `prefix`: a played drill's events (from
    drill.started, without drill.ended) that every path starts from (`explore --from LOG --at WHEN`)."""
    return Exploration(plan, limit, fork, independent, merge, prefix)


@dataclass
class _Fork:
    """A fork of the search with `merge`: what it stands for once every branch below it is played."""

    fingerprint: tuple[Any, ...]
    parent: _Fork | None
    left: int = 0  # branches not yet played to the end
    paths: dict[int | None, int] = field(default_factory=dict)  # group the path varied -> paths below


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
