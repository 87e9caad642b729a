"""A discussion question is linked to an objective that none of the scenario's runbooks declares."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, known, placed_modules
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="question-unknown-objective",
    severity=Severity.ERROR,
    doc="a discussion question lists an objective that none of the scenario's runbooks declares",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    objectives = runbooks.objectives()
    for placed in placed_modules(scenario):
        for path, question in placed.questions():
            for index, objective in enumerate(question.objectives):
                if objective in objectives:
                    continue
                yield scenario.finding(
                    RULE,
                    f"question `{question.id}` of module `{placed.module.id}` lists objective `{objective}`, "
                    "which is not an objective of its runbooks",
                    path + ("objectives", index),
                    hint=did_you_mean(objective, objectives,
                                      "declare it under `objectives:` in one of the scenario's runbooks"),
                )
