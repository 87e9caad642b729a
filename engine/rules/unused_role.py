"""A role declared under `roles` that owns no step."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unused-role",
    severity=Severity.WARNING,
    doc="a role is declared under `roles` but owns no step",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    used = {step.owner for step in runbook.model.steps.values()}
    for role in runbook.model.roles:
        if role not in used:
            yield runbook.finding(
                RULE,
                f"role `{role}` is declared but owns no step",
                ("roles", role),
                key=True,
                hint="make it the `owner` of the steps it does, or remove it",
            )
