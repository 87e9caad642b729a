"""A step lists an objective that its runbook does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._runbook import did_you_mean
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unknown-objective",
    severity=Severity.ERROR,
    doc="a step lists an objective not declared under `objectives`",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    objectives = runbook.model.objectives
    for sid, step in runbook.model.steps.items():
        for index, objective in enumerate(step.objectives):
            if objective not in objectives:
                yield runbook.finding(
                    RULE,
                    f"step `{sid}` lists objective `{objective}`, which is not declared under `objectives`",
                    ("steps", sid, "objectives", index),
                    hint=did_you_mean(objective, objectives) or "declare it under `objectives:`",
                )
