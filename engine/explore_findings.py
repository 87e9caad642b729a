"""Turn explored paths into findings: explore-deadlock, explore-blocked-forever, explore-unfinished.

A problem that shows on many paths is reported once, at the step it is
about, naming the first path (in the order explored) that shows it and how
many more do. Findings are placed at the step's key in its runbook file, as
validate places its own.

After a complete grouped search (engine.drill.explore) the counts are of
every path of decisions, not of the paths played: a problem at a step of
group G's footprint shows on a combination exactly when it shows on the
path that varies G alone, so it shows on (G's paths that show it) x (every
other group's paths) of them; a problem at a step of no footprint shows on
every path or on none. The first path in the search's order that shows it
is always one of those played (the others' first options come first), so
the message is the one the full cross product would give.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.drill.clock import format_t
from engine.drill.explore import GRACE_SECONDS, Exploration, PathEnd
from engine.drill.plan import Plan
from engine.duration import format_duration
from engine.findings import Finding
from engine.load import Document, read_document
from engine.rules import explore_blocked_forever, explore_deadlock, explore_unfinished
from engine.rules.base import Rule


class StepLocator:
    """Where each step of a plan is written: its runbook file (as the user would name it) and line."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.files = {f.id: f.path for f in plan.runbook_files}
        self.documents: dict[str, Document] = {}  # by displayed path, read on first use

    def display(self, path: str) -> str:
        """A path relative to the working folder when it lies inside it, as validate shows paths."""
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive
            return path
        return path if rel.startswith("..") else rel.replace(os.sep, "/")

    def where(self, key: str) -> tuple[str, int, int]:
        step = self.plan.steps[key]
        shown = self.display(self.files[step.runbook])
        doc = self.documents.get(shown)
        if doc is None:
            doc = self.documents[shown] = read_document(self.files[step.runbook])
        line, column = doc.where(("steps", step.id), key=True)
        return shown, line, column


@dataclass
class _Seen:
    """One problem, the first path that shows it, and how many paths do."""

    rule: Rule
    step: str
    first: PathEnd
    detail: str
    paths: int = 1  # played paths that show it
    own: int = 0  # of those, the paths of the group its step belongs to (grouped search)
    extra: list[str] = field(default_factory=list)


def findings(exploration: Exploration, ends: Iterable[PathEnd], locator: StepLocator) -> list[Finding]:
    """The findings of explored paths, one per (rule, step), in plan order."""
    plan = exploration.plan
    names = _Names(plan)
    seen: dict[tuple[str, str], _Seen] = {}
    exploration.on_restart.append(seen.clear)

    def add(rule: Rule, step: str, end: PathEnd, detail: str) -> None:
        item = seen.get((rule.id, step))
        if item is None:
            item = seen[(rule.id, step)] = _Seen(rule, step, end, detail, paths=0)
        item.paths += 1
        groups = exploration.groups
        if groups is not None and end.group in (None, groups.step_group.get(step)):
            item.own += 1

    for end in ends:
        if end.cut_off:
            first = end.unfinished[0] if end.unfinished else next(iter(end.statuses))
            add(explore_unfinished.RULE, first, end, _unfinished(end, exploration, names))
        elif not end.finished:
            stuck = [k for k in end.statuses if k in end.waiting or k in end.blocked]
            for key in end.blocked:
                add(explore_blocked_forever.RULE, key, end,
                    f"step `{names(key)}` is still blocked when the drill ends: {end.reasons[key]}"
                    + _also(stuck, key, names))
            for key in end.roots:
                add(explore_deadlock.RULE, key, end,
                    f"the drill cannot finish: step `{names(key)}` {end.reasons[key]}" + _also(stuck, key, names))
    out = []
    order = {key: i for i, key in enumerate(plan.steps)}
    for item in sorted(seen.values(), key=lambda s: (order[s.step], s.rule.id)):
        path, line, column = locator.where(item.step)
        count, total = _count(exploration, item)
        every = count == total and not exploration.truncated
        where = "every path" if every else _path(item.first, names, count)
        out.append(Finding(path, line, column, item.rule.id, item.rule.severity, f"on {where}, {item.detail}",
                           hint=_HINTS[item.rule.id]))
    return out


def _count(exploration: Exploration, item: _Seen) -> tuple[int, int]:
    """(paths that show it, paths in all): of every path of decisions after a complete grouped search,
    else of the paths played."""
    groups = exploration.groups
    if groups is None or exploration.truncated:
        return item.paths, exploration.paths
    sizes = exploration.group_paths
    owner = groups.step_group.get(item.step)  # None: a step that ends the same on every path
    return item.own * math.prod(n for g, n in enumerate(sizes) if g != owner), math.prod(sizes)


_HINTS = {
    "explore-deadlock": "give the waiting step a way on: need a step that every path opens or skips, "
                        "or have the scenario bring the event on this path too",
    "explore-blocked-forever": "give the step a `fallback`, or have the scenario bring its service back up",
    "explore-unfinished": "check the steps' `target` times and the scenario's `duration`",
}


def _also(stuck: list[str], key: str, names: _Names) -> str:
    others = [k for k in stuck if k != key]
    return f"; also stuck: {names.list(others)}" if others else ""


def _path(end: PathEnd, names: _Names, count: int) -> str:
    if not end.choices:
        text = "the path with no decisions"
    else:
        text = "the path " + ", ".join(f"{names(d)}={o}" for d, o in end.choices)
    if count > 1:
        text += f" (and {count - 1} other path{'s' if count > 2 else ''})"
    return text


def _unfinished(end: PathEnd, exploration: Exploration, names: _Names) -> str:
    planned = exploration.horizon - GRACE_SECONDS
    steps = ", ".join(f"`{names(k)}` ({end.statuses[k]})" for k in end.unfinished[:8])
    more = f" and {len(end.unfinished) - 8} more" if len(end.unfinished) > 8 else ""
    return (f"the drill is still running at {format_t(exploration.horizon)}, a day past the scenario's "
            f"{format_duration(int(planned)) if planned else 'start'}; not finished: {steps}{more}")


class _Names:
    """How a step is named in a message: its bare id when no other runbook has one like it."""

    def __init__(self, plan: Plan) -> None:
        counts: dict[str, int] = {}
        for step in plan.steps.values():
            counts[step.id] = counts.get(step.id, 0) + 1
        self.plan = plan
        self.counts = counts

    def __call__(self, key: str) -> str:
        step = self.plan.steps[key]
        return step.id if self.counts[step.id] == 1 else key

    def list(self, keys: list[str], limit: int = 8) -> str:
        shown = ", ".join(f"`{self(k)}`" for k in keys[:limit])
        return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")
