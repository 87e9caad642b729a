"""A module's scheduled inject is due outside the module's own time."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import PlacedModule, module_start, placed_injects, placed_modules, scheduled, show_time
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-inject-outside",
    severity=Severity.WARNING,
    doc="a module's scheduled inject is due before the module starts or once the next module has started",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    due = {p.inject.id: t for p in placed_injects(scenario) if (t := scheduled(p)) is not None}
    modules = list(placed_modules(scenario))
    starts = sorted((s, p.path) for p in modules if (s := module_start(p)) is not None)
    claimed: set[str] = set()  # an inject listed again is module-shared-inject's finding, not this one's
    for placed in modules:
        mine = {i: due[i] for i in placed.module.injects if i not in claimed and i in due}
        claimed |= set(placed.module.injects)
        start = module_start(placed)
        if start is None:
            continue
        later = [(s, path) for s, path in starts if s > start or (s == start and path > placed.path)]
        following = next(((s, p) for s, path in later[:1] for p in modules if p.path == path), None)
        yield from _outside(scenario, placed, start, following, mine)


def _outside(scenario: Subject, placed: PlacedModule, start: int,
             following: tuple[int, PlacedModule] | None, due: dict[str, int]) -> Iterator[Finding]:
    for index, inject_id in enumerate(placed.module.injects):
        seconds = due.get(inject_id)
        if seconds is None or placed.module.injects.index(inject_id) != index:
            continue
        name = f"inject `{inject_id}` of module `{placed.module.id}` is due at `{_t(seconds)}`"
        if seconds < start:
            yield scenario.finding(
                RULE,
                f"{name}, before the module starts at `{_t(start)}`",
                placed.at("injects", index),
                hint="start the module earlier, or move the inject to the module that is running at that time",
            )
        elif following is not None and seconds >= following[0]:
            yield scenario.finding(
                RULE,
                f"{name}, once module `{following[1].module.id}` has started at `{_t(following[0])}`",
                placed.at("injects", index),
                hint=f"move the inject to module `{following[1].module.id}`, or bring its time forward",
            )


def _t(seconds: int) -> str:
    return show_time(("absolute", seconds))
