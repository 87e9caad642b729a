"""Walk a runbook statically along its paths of decisions.

This is the model of docs/format.md ("How steps move") made exact for one
situation: every service stays up and no event ever comes. The rules
themselves (what opens a step, when an opener closes, which steps a
change reaches) are engine.step_rules', the same the drill's fold reads. It answers two
questions the validator asks, "can the runbook get stuck on some path?"
(dead-end) and "can a join go ahead with all its work skipped?"
(join-all-skippable). A drill engine that replays real logs may replace it;
it depends only on the model and the graph.

One walk, for a given option at every decision step:

- Main steps (no opener: not a `next` target, not a `fallback`, no `on:`)
  are opened at the start. They are never skipped.
- An opened step whose existing `needs` are all done or skipped becomes
  done. When a decision step becomes done with option O, the targets of O's
  `next` are opened.
- A branch step that is not opened becomes skipped once every one of its
  openers is closed:
    * a `next` opener (decision D, option O) closes when D is done with
      another option, or when D is skipped;
    * a `fallback` opener (backed-up step S) closes when S is done or
      skipped (with every service up, S never needs its fallback);
    * an event opener (`on:`) never closes, so event branches stay dormant.
  Skipping is transitive: a skipped decision step closes all its options,
  a skipped step closes the fallback opener it provides.
- This goes on until nothing changes. At that fixpoint an opened step that
  is not done is *stuck*: the runbook can never finish on that path.

The end state does not depend on the order in which steps are settled (a
step is opened only by an opener that fired, skipped only when all its
openers closed, and a fired opener never closes), so `explore` settles
everything it can before making a decision, and makes each decision only
when its step is ready. Its paths are therefore the distinct sets of
decisions a drill can actually make; combinations that differ only at
decisions never reached are one path.

References to steps that do not exist are ignored (a need on a missing
step counts as met); they are other rules' findings. On a runbook with a
cycle a walk still ends, with the steps of the cycle stuck.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine import step_rules
from engine.graph import RunbookGraph

if TYPE_CHECKING:
    from engine.model import Runbook

PATH_LIMIT = 4096  # paths explore() walks at most


class State(enum.StrEnum):
    DORMANT = "dormant"  # a branch step nothing has opened or closed yet
    OPEN = "open"  # opened, its needs not all met (at the end of a walk: stuck)
    DONE = "done"
    SKIPPED = "skipped"


# what `needs` waits for, in the static world: the step rules' answer for each state, worked out once
_RESOLVED = tuple(s for s in State if step_rules.settled(s is State.DONE, s is State.SKIPPED))


@dataclass(frozen=True)
class PathOutcome:
    """Where every step ends up on one path."""

    choices: dict[str, str]  # the option taken at each decision actually made, in file order
    states: dict[str, State]  # every step
    needs: dict[str, list[str]]  # each step's needs that exist, in the order written

    def stuck(self) -> list[str]:
        """Steps opened but never done, in file order: on this path the runbook cannot finish."""
        return [sid for sid in self.needs if self.states[sid] is State.OPEN]

    def unmet(self, step_id: str) -> list[str]:
        """The needs of a step that are neither done nor skipped."""
        return [n for n in self.needs[step_id] if self.states[n] not in _RESOLVED]

    def describe(self) -> str:
        """`the path d=o, e=p`, or `every path` when no decision was made."""
        if not self.choices:
            return "every path"
        return "the path " + ", ".join(f"{d}={o}" for d, o in self.choices.items())


def walk(runbook: Runbook, choices: Mapping[str, str]) -> PathOutcome:
    """Walk the runbook taking `choices[decision step] = option`.

    A decision step missing from `choices` takes its first option. An option
    that the decision does not have is a ValueError.
    """
    for sid, option in choices.items():
        step = runbook.steps.get(sid)
        if step is None or step.decision is None or option not in step.decision.options:
            raise ValueError(f"`{sid}` has no decision option `{option}`")
    engine = _Engine(runbook)
    run = engine.start()
    while True:
        engine.settle(run)
        if not run.ready:
            return engine.outcome(run)
        decision = engine.first(run.ready)
        engine.decide(run, decision, choices.get(decision) or engine.options[decision][0])


class Exploration:
    """The paths of a runbook, walked lazily one by one as you iterate (iterate once).

    Decisions are made depth first: the first ready decision step in file
    order, its options in the order written. After iterating, `paths` is how
    many paths were walked and `truncated` whether more were left unwalked
    because of the limit.
    """

    def __init__(self, runbook: Runbook, limit: int = PATH_LIMIT, graph: RunbookGraph | None = None) -> None:
        self.runbook = runbook
        self.graph = graph
        self.limit = limit
        self.paths = 0
        self.truncated = False

    def __iter__(self) -> Iterator[PathOutcome]:
        engine = _Engine(self.runbook, self.graph)
        root = engine.start()
        engine.settle(root)
        pending: list[tuple[_Run, str | None, str | None]] = [(root, None, None)]  # (run, decision, option)
        while pending:
            if self.paths >= self.limit:
                self.truncated = True
                return
            run, decision, option = pending.pop()
            if decision is not None and option is not None:
                run = run.copy()  # the parent is shared by its other options
                engine.decide(run, decision, option)
                engine.settle(run)
            if not run.ready:
                self.paths += 1
                yield engine.outcome(run)
                continue
            decision = engine.first(run.ready)
            pending.extend((run, decision, o) for o in reversed(engine.options[decision]))


def explore(runbook: Runbook, limit: int = PATH_LIMIT, graph: RunbookGraph | None = None) -> Exploration:
    """The paths of the runbook, at most `limit` of them (see Exploration); pass its graph if built."""
    return Exploration(runbook, limit, graph)


def waiting_on_events(outcome: PathOutcome, step_id: str, runbook: Runbook, graph: RunbookGraph) -> list[str]:
    """The event branches (`on:` steps) that hold up an unfinished step on this path, in file order.

    Follows what keeps each step from finishing: the unmet needs of an
    opened step, the sources of the openers of a dormant step that are still
    not closed; it ends at dormant steps with `on:`.
    """
    found: set[str] = set()
    seen: set[str] = set()
    todo = [step_id]
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        state = outcome.states[sid]
        if state is State.OPEN:
            todo.extend(outcome.unmet(sid))
        elif state is State.DORMANT:
            if runbook.steps[sid].on:
                found.add(sid)
            for opener in graph.openers[sid]:
                if opener.kind != "event" and outcome.states[opener.source] not in _RESOLVED:
                    todo.append(opener.source)
    return [sid for sid in runbook.steps if sid in found]


@dataclass
class _Run:
    """The state of one walk in progress."""

    state: dict[str, State]
    made: dict[str, str]  # decision step -> option taken
    ready: set[str]  # decision steps whose needs are met, waiting for their option
    queue: list[str]  # steps to look at again

    def copy(self) -> _Run:
        return _Run(dict(self.state), dict(self.made), set(self.ready), list(self.queue))

    # what the step rules read of a path (engine.step_rules.World)
    def is_done(self, sid: str) -> bool:
        return self.state[sid] is State.DONE

    def is_skipped(self, sid: str) -> bool:
        return self.state[sid] is State.SKIPPED

    def chosen(self, sid: str) -> str | None:
        return self.made.get(sid)


class _Engine:
    """What every walk of one runbook shares: the graph, each step's needs, who to wake on a change."""

    def __init__(self, runbook: Runbook, graph: RunbookGraph | None = None) -> None:
        steps = runbook.steps
        self.graph = graph or RunbookGraph(runbook)
        self.index = self.graph.index
        ties = self.graph.ties
        self.needs = ties.needs
        deciding = {sid: step.decision for sid, step in steps.items() if step.decision and step.decision.options}
        self.options = {sid: list(decision.options) for sid, decision in deciding.items()}
        self.targets = {
            sid: {o: [t for t in option.next if t in steps] for o, option in decision.options.items()}
            for sid, decision in deciding.items()
        }
        # a change of a step's state can settle the steps that need it and the branches it opens
        self.wakes = ties.wakes

    def start(self) -> _Run:
        state = {sid: State.DORMANT if self.graph.is_branch(sid) else State.OPEN for sid in self.needs}
        return _Run(state, {}, set(), list(reversed(self.needs)))

    def first(self, decisions: set[str]) -> str:
        return min(decisions, key=self.index.__getitem__)

    def settle(self, run: _Run) -> None:
        """Settle every step that can be settled without making a decision."""
        state, queue, ready = run.state, run.queue, run.ready
        while queue:
            sid = queue.pop()
            current = state[sid]
            if current is State.OPEN:
                if sid in ready or not all(state[n] in _RESOLVED for n in self.needs[sid]):
                    continue
                if sid in self.options:
                    ready.add(sid)  # done once an option is taken
                    continue
                state[sid] = State.DONE
            elif current is State.DORMANT and step_rules.not_taken(self.graph.openers[sid], run):
                state[sid] = State.SKIPPED
            else:
                continue
            queue.extend(self.wakes[sid])

    def decide(self, run: _Run, decision: str, option: str) -> None:
        run.ready.discard(decision)
        run.state[decision] = State.DONE
        run.made[decision] = option
        for target in self.targets[decision][option]:
            if run.state[target] is State.DORMANT:
                run.state[target] = State.OPEN
                run.queue.append(target)
        run.queue.extend(self.wakes[decision])

    def outcome(self, run: _Run) -> PathOutcome:
        choices = {sid: run.made[sid] for sid in sorted(run.made, key=self.index.__getitem__)}
        return PathOutcome(choices, run.state, self.needs)


@dataclass(frozen=True)
class JoinSkip:
    """Whether, and under which choices, every need of a join is skipped while the join is not."""

    example: dict[str, str] | None  # the first such choices (decision step -> option), in file order
    always: bool  # on every combination of the decisions that matter
    truncated: bool  # the combinations were more than the limit; only the first were looked at


def join_skip(runbook: Runbook, graph: RunbookGraph, join: str, needs: list[str],
              limit: int = PATH_LIMIT) -> JoinSkip:
    """Decide join-all-skippable for one join without walking the whole runbook.

    In the static world (services up, no events) whether a step ends up
    skipped depends only on its openers, so only the decisions that open,
    directly or through other branches, the join or its needs matter; the
    combinations of their options are few even in a runbook with hundreds of
    decisions. For each combination, with the rules of the walk above:
    opened(s) = some `next` opener (D, O) has O chosen and D reached;
    reached(D) = D is a main step or opened; closed(D, O) = D skipped, or D
    reached with another option chosen; a fallback opener closes when its
    step is reached or skipped; an
    event opener never does; skipped(s) = s is a branch step, not opened, and
    every opener closed. Stuck steps are dead-end's business and are ignored.
    """
    relevant = _deciding(graph, [join, *needs])
    options = [list(runbook.steps[d].decision.options) for d in relevant]  # type: ignore[union-attr]
    example: dict[str, str] | None = None
    seen = hits = 0
    truncated = False
    for combo in itertools.product(*options):
        if seen >= limit:
            truncated = True
            break
        seen += 1
        skipped = _Skipping(graph, dict(zip(relevant, combo, strict=True)))
        if all(skipped(n) for n in needs) and not skipped(join):
            hits += 1
            if example is None:
                example = dict(zip(relevant, combo, strict=True))
    return JoinSkip(example, example is not None and hits == seen and not truncated, truncated)


def _deciding(graph: RunbookGraph, start: list[str]) -> list[str]:
    """Decision steps whose options open any of `start`, directly or through other branches, in file order."""
    found: set[str] = set()
    todo = list(start)
    seen: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        for opener in graph.openers.get(sid, []):
            if opener.kind == "next":
                found.add(opener.source)
                todo.append(opener.source)
    return sorted(found, key=graph.index.__getitem__)


class _Skipping:
    """skipped(step) under fixed choices, by the rules in join_skip's docstring (memoised).

    It is the step rules' World (engine.step_rules.closed) for one combination: a step counts as done
    when reached (every service is up), and a decision outside the combination as having taken an
    option none of the steps looked at follows.
    """

    def __init__(self, graph: RunbookGraph, choices: dict[str, str]) -> None:
        self.graph = graph
        self.choices = choices
        self.memo: dict[str, bool] = {}

    def __call__(self, sid: str) -> bool:
        if sid not in self.memo:
            openers = self.graph.openers.get(sid, [])
            self.memo[sid] = bool(openers) and not self.opened(sid) and step_rules.not_taken(openers, self)
        return self.memo[sid]

    def reached(self, sid: str) -> bool:
        return not self.graph.is_branch(sid) or self.opened(sid)

    def opened(self, sid: str) -> bool:
        return any(o.kind == step_rules.NEXT and self.choices.get(o.source) == o.option and self.reached(o.source)
                   for o in self.graph.openers.get(sid, []))

    # what the step rules read of a combination (engine.step_rules.World)
    def is_done(self, sid: str) -> bool:
        return self.reached(sid)

    def is_skipped(self, sid: str) -> bool:
        return self(sid)

    def chosen(self, sid: str) -> str | None:
        if not self.reached(sid):
            return None
        return self.choices.get(sid, _OUTSIDE)


_OUTSIDE = "\x00outside"  # the option of a decision outside the combination: no step looked at follows it
