"""A fallback opens only while a step's required service is down; with no `requires` that never happens."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="fallback-without-requires",
    severity=Severity.WARNING,
    doc="a step has a `fallback` but `requires` no service, so the fallback can never open",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    for sid, step in runbook.model.steps.items():
        if step.fallback is not None and not step.requires:
            yield runbook.finding(
                RULE,
                f"step `{sid}` falls back to `{step.fallback}` but requires no service, so it can never fall back",
                ("steps", sid, "fallback"),
                hint="list under `requires` the services whose loss should open the fallback",
            )
