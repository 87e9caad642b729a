"""An inject is meant for a player whose role none of the scenario's runbooks has."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, known, placed_injects
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-unknown-role",
    severity=Severity.WARNING,
    doc="an inject's `to` is not a role of any of the scenario's runbooks",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    roles = runbooks.roles()
    for placed in placed_injects(scenario):
        role = placed.inject.to
        if role is None or role in roles:
            continue
        yield scenario.finding(
            RULE,
            f"inject `{placed.inject.id}` is for `{role}`, which is not a role of any of its runbooks",
            placed.at("to"),
            hint=did_you_mean(role, roles, "name a role declared under `roles:` in one of the scenario's runbooks"),
        )
