"""A module whose time and condition do not say when it starts."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import placed_modules
from engine.rules._timing import Timed, timing
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-timing",
    severity=Severity.ERROR,
    doc="a module has no start time and no condition, mixes them up, or its `after` condition is malformed",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    for placed in placed_modules(scenario):
        module = placed.module
        item = Timed("module", module.id, module.at, module.after, placed.raw, placed.at)
        yield from timing(scenario, RULE, item, "a branch module")
