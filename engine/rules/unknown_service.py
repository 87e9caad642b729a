"""A step requires a service that its runbook does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._runbook import did_you_mean
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unknown-service",
    severity=Severity.ERROR,
    doc="a step's `requires` names a service not declared under `services`",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    services = runbook.model.services
    for sid, step in runbook.model.steps.items():
        for index, service in enumerate(step.requires):
            if service not in services:
                yield runbook.finding(
                    RULE,
                    f"step `{sid}` requires `{service}`, which is not a service declared under `services`",
                    ("steps", sid, "requires", index),
                    hint=did_you_mean(service, services) or "declare it under `services:`",
                )
