"""An inject whose time and condition do not say when it fires."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import placed_injects
from engine.rules._timing import Timed, timing
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-timing",
    severity=Severity.ERROR,
    doc="an inject has no time and no condition, mixes them up, or its `after` condition is malformed",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    for placed in placed_injects(scenario):
        inject = placed.inject
        item = Timed("inject", inject.id, inject.at, inject.after, placed.raw, placed.at)
        yield from timing(scenario, RULE, item, "a contingency")
