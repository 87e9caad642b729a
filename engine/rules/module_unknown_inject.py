"""A module lists an inject that its scenario does not have."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, placed_modules
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-unknown-inject",
    severity=Severity.ERROR,
    doc="a module's `injects` names an inject that is not in the scenario",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    injects = [inject.id for inject in scenario.model.injects]
    for placed in placed_modules(scenario):
        for index, inject_id in enumerate(placed.module.injects):
            if inject_id in injects:
                continue
            yield scenario.finding(
                RULE,
                f"module `{placed.module.id}` lists inject `{inject_id}`, which is not an inject of this scenario",
                placed.at("injects", index),
                hint=did_you_mean(inject_id, injects, "list the `id` of an inject under `injects:`"),
            )
