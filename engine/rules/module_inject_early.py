"""A module's contingency inject can fire before the module starts, if its decision or step comes early."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from engine.findings import Finding, Severity
from engine.rules._scenario import (
    PlacedModule,
    known,
    module_start,
    placed_injects,
    placed_modules,
    scheduled,
    show_time,
)
from engine.rules.base import Project, Rule, Subject

if TYPE_CHECKING:
    from engine.model import Inject, Runbook

RULE = Rule(
    id="module-inject-early",
    severity=Severity.WARNING,
    doc="a module's contingency inject can fire before the module starts, when its decision or step comes "
        "early (it is then delivered in the module under way)",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    injects = {p.inject.id: p.inject for p in placed_injects(scenario)}
    events: dict[str, int] = {}  # event id -> the earliest scheduled inject that brings it
    for entry in placed_injects(scenario):
        event, t = entry.inject.event, scheduled(entry)
        if event:
            events[event] = min(events.get(event, t or 0), t or 0)
    claimed: set[str] = set()  # an inject listed again is module-shared-inject's finding, not this one's
    for placed in placed_modules(scenario):
        start = module_start(placed)
        for index, inject_id in enumerate(placed.module.injects):
            inject = injects.get(inject_id)
            first = inject_id not in claimed
            claimed.add(inject_id)
            if start is None or inject is None or not first or inject.after is None:
                continue
            earliest = _earliest_condition(inject, runbooks.runbooks, events)
            if earliest is None:
                continue
            delay = inject.at[1] if inject.at is not None and inject.at[0] == "relative" else 0
            if earliest + delay < start:
                yield _finding(scenario, placed, index, inject, earliest + delay, delay, start)


def _finding(scenario: Subject, placed: PlacedModule, index: int, inject: Inject, when: int, delay: int,
             start: int) -> Finding:
    after = inject.after
    assert after is not None
    what = (f"decision `{after.decision}` takes option `{after.option}`" if after.decision
            else f"step `{after.step}` is done")
    return scenario.finding(
        RULE,
        f"contingency inject `{inject.id}` of module `{placed.module.id}` comes {show_time(('relative', delay))} "
        f"after {what}, so it can fire at `{show_time(('absolute', when))}`, before the module starts at "
        f"`{show_time(('absolute', start))}`",
        placed.at("injects", index),
        hint="a team that gets there early hears it in the module under way; list it under that module, or "
             f"lengthen its delay to `{show_time(('relative', start - when + delay))}` or more",
    )


def _earliest_condition(inject: Inject, runbooks: list[Runbook], events: dict[str, int]) -> int | None:
    """The earliest scenario second the inject's condition can come true: its step done, or its decision
    taken, as soon as everything the step needs can be (a step opened by an event not before the first
    scheduled inject that brings it); None when no runbook has the step."""
    after = inject.after
    bare = (after.decision or after.step) if after else None
    times = [_earliest(rb, bare, events, {}) for rb in runbooks if bare in rb.steps]
    return min(times) if times else None


def _earliest(runbook: Runbook, step_id: str, events: dict[str, int], memo: dict[str, int]) -> int:
    if step_id in memo:
        return memo[step_id]
    memo[step_id] = 0  # a cycle (cycle's own finding) counts from T+0
    step = runbook.steps.get(step_id)
    if step is None:
        return 0
    own = events.get(step.on, 0) if step.on else 0
    memo[step_id] = max([own, *(_earliest(runbook, need, events, memo) for need in step.needs)])
    return memo[step_id]
