"""The step rules: how a step opens, waits, goes, blocks and is skipped (docs/format.md, "How steps move").

This module is their one owner. The fold (engine.drill.state), the static
walk of validate (engine.paths: `walk`, `explore`, `join_skip`), the
frontier (engine.drill.frontier) and explore's footprints
(engine.drill.independence) all ask it, so a new way to open or block a
step is one edit here. It imports nothing of the project: the static walk
runs on a runbook's own ids, the fold on `runbook/step` keys.

- `openers` says what can open each branch step (a decision option's
  `next`, a `fallback`, an `on:` event); a step with none is a main step,
  opened when the drill starts.
- `closed` says when an opener can no longer open its step; `not_taken`
  when every opener of a dormant step is closed, so the step is skipped
  as a road not taken.
- `blocked`, `covering`, `resolved`, `status` and `opens_fallback` say
  what a step is now and what `needs` waits for.
- `Ties` lists the ways one step's state reaches another's: who needs a
  step, what its settling opens or closes, which steps require a service
  or listen for an event. Whoever updates states incrementally follows
  these and nothing else.

The facts a rule reads about other steps come through a `World` (done,
skipped, the option a decision took), so the fold reads its step records
and the walk its path in progress, by the same rule.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

NEXT = "next"  # a decision option's `next` opens the step
FALLBACK = "fallback"  # the step backs up another one whose required service is down
EVENT = "event"  # the step carries `on:` and opens when an inject brings that event


class StepStatus(enum.StrEnum):
    DORMANT = "dormant"  # a branch step nothing has opened yet
    WAITING = "waiting"  # opened; something it needs is not done or skipped
    READY = "ready"
    ACTIVE = "active"
    DONE = "done"
    SKIPPED = "skipped"
    BLOCKED = "blocked"  # a service it requires is down


UNFINISHED = (StepStatus.WAITING, StepStatus.READY, StepStatus.ACTIVE)


@dataclass(frozen=True)
class Opener:
    """One way a branch step can be opened."""

    kind: str  # NEXT (a decision option), FALLBACK (a required service down), EVENT (`on:`)
    source: str  # the deciding or backed-up step, or the event id
    option: str | None = None  # the decision option, for kind NEXT


class Shape(Protocol):
    """What the rules read of one step's definition (a PlanStep, or a `Shaped` runbook step)."""

    @property
    def needs(self) -> list[str]: ...
    @property
    def requires(self) -> list[str]: ...
    @property
    def fallback(self) -> str | None: ...
    @property
    def options(self) -> dict[str, list[str]] | None: ...
    @property
    def on(self) -> str | None: ...


@dataclass(frozen=True)
class Shaped:
    """A step's definition in the rules' terms, for sources that spell it otherwise (the runbook model)."""

    needs: list[str]
    requires: list[str]
    fallback: str | None
    options: dict[str, list[str]] | None  # decision option -> the steps its `next` opens
    on: str | None


class World(Protocol):
    """What a rule reads of other steps: the fold's records, or the static walk's path in progress."""

    def is_done(self, key: str) -> bool: ...
    def is_skipped(self, key: str) -> bool: ...
    def chosen(self, key: str) -> str | None:
        """The option a decision step took; None while it has taken none."""
        ...


class Facts(Protocol):
    """What `status` and `resolved` read of the step itself (engine.drill.state.StepRecord)."""

    opened_t: float | None
    started_t: float | None
    done_t: float | None
    skipped_t: float | None
    covered_t: float | None


class Live(Protocol):
    """What `status` and `resolved` read of a drill beyond the step's own record."""

    def down(self, key: str) -> bool: ...
    def resolved(self, key: str) -> bool: ...
    def covering(self, key: str) -> bool: ...


# ----- what opens a step -----

def openers(steps: Mapping[str, Shape]) -> dict[str, list[Opener]]:
    """Every step's openers (step key -> list, empty for a main step), in file order of their sources.

    References to steps that do not exist open nothing (they are other rules' findings)."""
    out: dict[str, list[Opener]] = {key: [] for key in steps}
    for key, step in steps.items():
        if step.fallback in out:
            out[step.fallback].append(Opener(FALLBACK, key))
        for option, targets in (step.options or {}).items():
            for target in targets:
                if target in out:
                    out[target].append(Opener(NEXT, key, option))
        if step.on:
            out[key].append(Opener(EVENT, step.on))
    return out


def is_branch(openers_of_step: list[Opener]) -> bool:
    """A branch step stays dormant until an opener opens it; a main step opens when the drill starts."""
    return bool(openers_of_step)


def decision_reach(step: Shape, key: str) -> list[str]:
    """The steps a decision's choice sets moving directly: the step itself and every option's targets."""
    return [key, *option_reach(step)]


def option_reach(step: Shape) -> list[str]:
    """The steps a decision's options open, every option's in the order written (what its choice changes)."""
    return [t for targets in (step.options or {}).values() for t in targets]


def closed(opener: Opener, world: World) -> bool:
    """Whether an opener can no longer open its step.

    An event opener never closes (the event may come at any time); any
    other closes when its source step is skipped; a fallback when the step
    it backs up is done (it finished without needing it); a decision
    option when the decision took another option.
    """
    if opener.kind == EVENT:
        return False
    if world.is_skipped(opener.source):
        return True
    if opener.kind == FALLBACK:
        return world.is_done(opener.source)
    chosen = world.chosen(opener.source)
    return chosen is not None and chosen != opener.option


def not_taken(openers_of_step: list[Opener], world: World) -> bool:
    """A dormant branch step whose every opener is closed: skipped as a road not taken (main steps never)."""
    return bool(openers_of_step) and all(closed(o, world) for o in openers_of_step)


# ----- what blocks a step, and what `needs` waits for -----

def blocked(requires: Iterable[str], services: Mapping[str, str]) -> bool:
    """A step is blocked while a service it requires is `down` (`degraded` blocks nothing)."""
    return any(services.get(s) == "down" for s in requires)


def opens_fallback(facts: Facts, down: bool) -> bool:
    """Whether a step's fallback opens now: the step is opened, unfinished and blocked."""
    return facts.opened_t is not None and facts.done_t is None and facts.skipped_t is None and down


def covering(fallback_done: bool, facts: Facts, down: bool) -> bool:
    """Whether a step's fallback stands in for it now: opened, blocked, and its fallback done."""
    return fallback_done and facts.opened_t is not None and down


def resolved(facts: Facts, key: str, live: Live) -> bool:
    """What `needs` waits for: done or skipped, or blocked with its fallback done (once, it stays so)."""
    if facts.done_t is not None or facts.skipped_t is not None:
        return True
    return facts.covered_t is not None or live.covering(key)


def settled(done: bool, skipped: bool) -> bool:
    """Resolved in the static world (every service up): done or skipped."""
    return done or skipped


def status(facts: Facts, key: str, needs: list[str], live: Live) -> StepStatus:
    """A step's status: done, skipped, dormant (never opened), blocked, active, ready or waiting, in that order."""
    if facts.done_t is not None:
        return StepStatus.DONE
    if facts.skipped_t is not None:
        return StepStatus.SKIPPED
    if facts.opened_t is None:
        return StepStatus.DORMANT
    if live.down(key):
        return StepStatus.BLOCKED
    if facts.started_t is not None:
        return StepStatus.ACTIVE
    if all(live.resolved(n) for n in needs):
        return StepStatus.READY
    return StepStatus.WAITING


# ----- how one step's state reaches another's -----

class Ties:
    """The ways one step's state reaches another's, built once from the steps' shapes (shared, never changed).

    needs: each step's needs that exist, in the order written; needed_by:
    the steps that need it (their status reads whether it is resolved);
    opens: its fallback and every option's targets (what its settling
    opens or closes), in the order written; backed_by: for a fallback, the
    steps it stands in for; linked: opens and backed_by together (a
    fallback's state and its step's reach each other); onward: needed_by
    then linked; wakes: needed_by then opens; requiring: service -> steps
    that require it; listening: event -> steps with that `on:`.
    """

    def __init__(self, steps: Mapping[str, Shape]) -> None:
        self.needs: dict[str, list[str]] = {}
        self.needed_by: dict[str, list[str]] = {key: [] for key in steps}
        self.opens: dict[str, list[str]] = {key: [] for key in steps}
        self.backed_by: dict[str, list[str]] = {}
        self.linked: dict[str, list[str]] = {key: [] for key in steps}
        self.requiring: dict[str, list[str]] = {}
        self.listening: dict[str, list[str]] = {}
        for key, step in steps.items():
            self.needs[key] = [n for n in step.needs if n in self.needed_by]
            for need in self.needs[key]:
                self.needed_by[need].append(key)
            if step.fallback in self.linked:
                self.opens[key].append(step.fallback)
                self.linked[key].append(step.fallback)  # blocked: opens it; resolved: closes it
                self.linked[step.fallback].append(key)  # done: covers the step it stands in for
                self.backed_by.setdefault(step.fallback, []).append(key)
            for targets in (step.options or {}).values():
                existing = [t for t in targets if t in self.linked]
                self.opens[key].extend(existing)
                self.linked[key].extend(existing)
            for service in step.requires:
                self.requiring.setdefault(service, []).append(key)
            if step.on:
                self.listening.setdefault(step.on, []).append(key)
        self.onward = {key: self.needed_by[key] + self.linked[key] for key in steps}
        self.wakes = {key: self.needed_by[key] + self.opens[key] for key in steps}
