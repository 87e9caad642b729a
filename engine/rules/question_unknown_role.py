"""A discussion question is aimed at a role none of the scenario's runbooks has."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, known, placed_modules
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="question-unknown-role",
    severity=Severity.WARNING,
    doc="a discussion question's `to` names a role that none of the scenario's runbooks has",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    roles = runbooks.roles()
    for placed in placed_modules(scenario):
        for path, question in placed.questions():
            for index, role in enumerate(question.to):
                if role in roles:
                    continue
                yield scenario.finding(
                    RULE,
                    f"question `{question.id}` of module `{placed.module.id}` is for `{role}`, "
                    "which is not a role of any of its runbooks",
                    path + ("to", index),
                    hint=did_you_mean(role, roles,
                                      "name a role declared under `roles:` in one of the scenario's runbooks"),
                )
