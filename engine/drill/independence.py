"""Which decisions of a plan can influence each other, so explore can play them apart.

A decision's *footprint* is everything its choice can change, anywhere in
the drill: the steps its options open or leave to be skipped, the
contingency injects an option arms (`after: {decision, option}`), and from
there, transitively,

- the steps that need a step of the footprint (its status and its time
  wait on it), the fallbacks of those steps and the steps a fallback
  stands in for, the branches of the decisions among them (the ways one
  step's state reaches another's, engine.drill.frontier.Links);
- the contingency injects a step of the footprint arms (`after:`), and from
  those injects the steps that require a service they set and the steps
  listening (`on:`) for the event they bring.

The decision step itself belongs to its footprint, but nothing is
followed from it: it ends the same on every option (done when its time is
up), so a step that only waits on it, such as a wrap-up that needs every
decision step, is not tied to the choice (unless a branch reaches back to
the decision step, say as its fallback: then it is followed from there).

Scheduled injects fire at the same time on every path and change a step
only through its own `requires` or `on:`, so they tie nothing together.
Two decisions whose footprints share anything (a join of both branches, a
step one opens and the other needs, a service one's inject takes down and
a step of the other requires, an event) are in one *group*; so is a
decision reached or not depending on another's choice, since it lies in
that one's footprint. A step outside every footprint ends the same on
every path.

Paths then grow with the groups: explore plays every combination of one
group's options with every other decision at its first option, and the
findings of every combination follow from those (engine.explore_findings).
Where a link is in doubt the groups are merged: a plan whose `needs` and
openers form a ring is one group (its stuck steps are not told apart
locally, see engine.drill.explore._roots).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine import step_rules
from engine.drill.frontier import Links
from engine.drill.plan import Plan


@dataclass(frozen=True)
class Groups:
    """The decisions of a plan in groups that cannot influence each other.

    members: each group's decision step keys, in plan order (groups in the
    plan order of their first decision); group_of: decision step key ->
    group index; step_group: step key -> the group whose footprint holds it
    (steps in no footprint are absent); inject_group: inject id -> the group
    whose footprint arms it.
    """

    members: tuple[tuple[str, ...], ...]
    group_of: dict[str, int]
    step_group: dict[str, int]
    inject_group: dict[str, int]

    def __len__(self) -> int:
        return len(self.members)

    def steps_of(self, group: int) -> list[str]:
        """The step keys in the footprint of a group, in plan order."""
        return [key for key, g in self.step_group.items() if g == group]


def footprint(plan: Plan, decision: str, links: Links | None = None) -> tuple[set[str], set[str]]:
    """(steps, injects) that the choice at `decision` (a step key) can change; see the module docstring."""
    links = links or Links(plan)
    arms: dict[str, list[str]] = {}
    for inject in plan.injects:
        if inject.after_step:
            arms.setdefault(inject.after_step, []).append(inject.id)
    # The decision step itself ends the same on every option (done when its time is up, whatever the
    # choice): it belongs to the footprint, so a decision reached or not by another's choice groups with
    # that one, but what only waits on it (a wrap-up needing every decision) is not reached through it.
    # Only its options' branches, and the contingency injects an option arms, differ.
    # Should its branches reach back to the step (its fallback, say), it is followed onward from there.
    steps: set[str] = set()
    injects: set[str] = set()
    todo = list(step_rules.option_reach(plan.steps[decision]))
    for inject in plan.injects:
        if inject.after_step == decision and inject.after_option is not None:
            injects.add(inject.id)
            todo.extend(links.for_inject(inject))
    while todo:
        key = todo.pop()
        if key in steps or key not in plan.steps:
            continue
        steps.add(key)
        todo.extend(links.onward[key])
        for inject_id in arms.get(key, []):
            if inject_id in injects:
                continue
            injects.add(inject_id)
            armed = plan.inject(inject_id)
            if armed is not None:
                todo.extend(links.for_inject(armed))
    steps.add(decision)
    return steps, injects


def decision_groups(plan: Plan) -> Groups:
    """Group the plan's decisions by overlapping footprints (union-find); one group if needs and openers ring."""
    decisions = [key for key, step in plan.steps.items() if step.options]
    links = Links(plan)
    parent = {d: d for d in decisions}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    owner: dict[str, str] = {}  # step or "inject:<id>" -> a decision whose footprint holds it
    prints: dict[str, tuple[set[str], set[str]]] = {}
    ringed = _has_ring(plan)
    for d in decisions:
        prints[d] = footprint(plan, d, links)
        steps, injects = prints[d]
        for item in [*steps, *(f"inject:{i}" for i in injects)]:
            other = owner.setdefault(item, d)
            if other != d:
                parent[root(d)] = root(other)
        if ringed and decisions:
            parent[root(d)] = root(decisions[0])
    order: dict[str, int] = {}
    members: list[list[str]] = []
    for d in decisions:
        r = root(d)
        if r not in order:
            order[r] = len(members)
            members.append([])
        members[order[r]].append(d)
    group_of = {d: order[root(d)] for d in decisions}
    step_group: dict[str, int] = {}
    inject_group: dict[str, int] = {}
    for d, (steps, injects) in prints.items():
        for key in steps:
            step_group[key] = group_of[d]
        for inject_id in injects:
            inject_group[inject_id] = group_of[d]
    ordered = {key: step_group[key] for key in plan.steps if key in step_group}
    return Groups(tuple(tuple(m) for m in members), group_of, ordered, inject_group)


def _has_ring(plan: Plan) -> bool:
    """Whether `needs` and the sources of `next`/`fallback` openers form a cycle (Kahn's algorithm)."""
    into = {key: 0 for key in plan.steps}
    out: dict[str, list[str]] = {key: [] for key in plan.steps}
    for key, step in plan.steps.items():
        sources = [n for n in step.needs if n in plan.steps]
        sources += [o.source for o in step.openers if o.kind != step_rules.EVENT and o.source in plan.steps]
        for source in sources:
            out[source].append(key)
            into[key] += 1
    free = [key for key, n in into.items() if n == 0]
    seen = 0
    while free:
        key = free.pop()
        seen += 1
        for nxt in out[key]:
            into[nxt] -= 1
            if into[nxt] == 0:
                free.append(nxt)
    return seen != len(into)
