"""A module with nothing in it: no injects and no questions."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import placed_modules
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-empty",
    severity=Severity.WARNING,
    doc="a module has no injects and no discussion questions, so there is nothing to play or discuss in it",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    for placed in placed_modules(scenario):
        module = placed.module
        # Written but thrown out by the schema: not empty, just wrong (the schema finding says so).
        if module.injects or module.questions or placed.has("injects") or placed.has("questions"):
            continue
        yield scenario.finding(
            RULE,
            f"module `{module.id}` has no injects and no questions",
            placed.at("id"),
            hint="list the injects of its situation update under `injects:` and add `questions:` for the players",
        )
