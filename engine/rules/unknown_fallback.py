"""A step falls back to a step that its runbook does not have."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._runbook import did_you_mean
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unknown-fallback",
    severity=Severity.ERROR,
    doc="a step's `fallback` names a step that does not exist in its runbook",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    steps = runbook.model.steps
    for sid, step in steps.items():
        if step.fallback is not None and step.fallback not in steps:
            yield runbook.finding(
                RULE,
                f"step `{sid}` falls back to `{step.fallback}`, which is not a step of this runbook",
                ("steps", sid, "fallback"),
                hint=did_you_mean(step.fallback, steps),
            )
