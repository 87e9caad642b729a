"""An inject changes a service that none of the scenario's runbooks declares."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, known, placed_injects
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-unknown-service",
    severity=Severity.ERROR,
    doc="an inject changes a service that none of the scenario's runbooks declares",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    services = runbooks.services()
    for placed in placed_injects(scenario):
        for name in placed.inject.services:
            if name in services:
                continue
            yield scenario.finding(
                RULE,
                f"inject `{placed.inject.id}` changes service `{name}`, which none of its runbooks declares",
                placed.at("services", name),
                key=True,
                hint=did_you_mean(name, services, "declare it under `services:` in one of the scenario's runbooks"),
            )
