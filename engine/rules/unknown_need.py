"""A step needs a step that its runbook does not have (a typo, or a step renamed or removed)."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._runbook import did_you_mean
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unknown-need",
    severity=Severity.ERROR,
    doc="a step's `needs` names a step that does not exist in its runbook",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    steps = runbook.model.steps
    for sid, step in steps.items():
        for index, need in enumerate(step.needs):
            if need not in steps:
                yield runbook.finding(
                    RULE,
                    f"step `{sid}` needs `{need}`, which is not a step of this runbook",
                    ("steps", sid, "needs", index),
                    hint=did_you_mean(need, steps),
                )
