"""A service declared under `services` that no step requires."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unused-service",
    severity=Severity.WARNING,
    doc="a service is declared under `services` but no step `requires` it",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    used = {service for step in runbook.model.steps.values() for service in step.requires}
    for service in runbook.model.services:
        if service not in used:
            yield runbook.finding(
                RULE,
                f"service `{service}` is declared but no step requires it",
                ("services", service),
                key=True,
                hint="add it to the `requires` of the steps that cannot do without it, or remove it",
            )
