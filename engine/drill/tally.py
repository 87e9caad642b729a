"""How the paths of decisions end, counted over every combination from the paths explore played.

A complete grouped search (engine.drill.explore) plays each group's
combinations with every other decision at its first option. Every step
outside a group's footprint ends the same on all of that group's paths, so
a combination ends, step by step, as the paths that vary each group alone:
it finishes when every group's part finishes, two combinations end alike
when every group's part does, and its last event comes when the latest
group's part has its last. PathTally counts so, without keeping any path;
for a search that multiplied every decision out, or that a limit cut, it
counts the played paths themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from engine.drill.explore import Exploration, PathEnd
from engine.drill.state import UNFINISHED


@dataclass
class _Part:
    """One group's paths: how many, how many finish their part, the distinct parts, the latest finishing part."""

    paths: int = 0
    finish: int = 0
    states: set[int] = field(default_factory=set)
    longest: float | None = None


@dataclass(frozen=True)
class Totals:
    """finish + stuck + cut == paths; states: distinct end states; longest: the last t of a finishing path."""

    paths: int
    finish: int
    stuck: int
    cut: int
    states: int
    longest: float | None


class PathTally:
    """Counts of finishing, stuck and cut-off paths and distinct end states, taken as the paths go by."""

    def __init__(self, exploration: Exploration) -> None:
        self.exploration = exploration
        exploration.on_restart.append(self.clear)
        self.clear()

    def clear(self) -> None:
        self.finish = self.stuck = self.cut = 0
        self.states: set[int] = set()
        self.longest: float | None = None
        groups = self.exploration.groups
        self._steps = [groups.steps_of(g) for g in range(len(groups))] if groups is not None else []
        self._grouped = set().union(*self._steps) if self._steps else set()
        self._parts = [_Part() for _ in self._steps]
        self._base_done = True
        self._base_t = 0.0

    def count(self, ends: Iterable[PathEnd]) -> Iterator[PathEnd]:
        """Pass the ends on, counting each."""
        for end in ends:
            self.finish += end.finished
            self.stuck += end.stuck
            self.cut += end.cut_off
            self.states.add(hash(end.signature()))
            if end.finished and (self.longest is None or end.t > self.longest):
                self.longest = end.t
            if self._steps:
                self._add(end)
            yield end

    def _add(self, end: PathEnd) -> None:
        if end.group is None:  # the path of first options: every group's first path, and the steps of none
            others = [k for k in end.statuses if k not in self._grouped]
            self._base_done = not any(_unfinished(end, k) for k in others)
            self._base_t = end.times.get(None, 0.0)
            for group in range(len(self._steps)):
                self._part(group, end)
        else:
            self._part(end.group, end)

    def _part(self, group: int, end: PathEnd) -> None:
        part, steps = self._parts[group], self._steps[group]
        part.paths += 1
        part.states.add(hash(tuple(end.statuses[k] for k in steps)))
        if not any(_unfinished(end, k) for k in steps):
            part.finish += 1
            t = end.times.get(group)
            if t is not None and (part.longest is None or t > part.longest):
                part.longest = t

    def totals(self) -> Totals:
        """The counts over every path of decisions (complete grouped search), else over the played paths."""
        exploration = self.exploration
        if exploration.groups is None or exploration.truncated:
            paths = exploration.paths
            return Totals(paths, self.finish, self.stuck, self.cut, len(self.states), self.longest)
        parts = self._parts
        paths = math.prod(p.paths for p in parts)
        finish = math.prod(p.finish for p in parts) if self._base_done else 0
        longest = None
        if finish:
            longest = max([self._base_t, *(p.longest for p in parts if p.longest is not None)])
        return Totals(paths, finish, paths - finish, 0, math.prod(len(p.states) for p in parts), longest)


def _unfinished(end: PathEnd, key: str) -> bool:
    return end.statuses[key] in UNFINISHED or key in end.blocked
