"""An inject lists an objective that none of the scenario's runbooks declares."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, known, placed_injects
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-unknown-objective",
    severity=Severity.ERROR,
    doc="an inject lists an objective that none of the scenario's runbooks declares",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    objectives = runbooks.objectives()
    for placed in placed_injects(scenario):
        for index, objective in enumerate(placed.inject.objectives):
            if objective in objectives:
                continue
            yield scenario.finding(
                RULE,
                f"inject `{placed.inject.id}` lists objective `{objective}`, "
                "which is not an objective of its runbooks",
                placed.at("objectives", index),
                hint=did_you_mean(objective, objectives,
                                  "declare it under `objectives:` in one of the scenario's runbooks"),
            )
