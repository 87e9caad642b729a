"""A step is owned by a role that its runbook does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._runbook import did_you_mean
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unknown-role",
    severity=Severity.ERROR,
    doc="a step's `owner` is not a role declared under `roles`",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    roles = runbook.model.roles
    for sid, step in runbook.model.steps.items():
        if step.owner is not None and step.owner not in roles:
            yield runbook.finding(
                RULE,
                f"step `{sid}` is owned by `{step.owner}`, which is not a role declared under `roles`",
                ("steps", sid, "owner"),
                hint=did_you_mean(step.owner, roles) or "declare it under `roles:` with a line on who that is",
            )
