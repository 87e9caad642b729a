"""A decision with one option (or none) offers no choice, so it is not a decision."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="decision-options",
    severity=Severity.ERROR,
    doc="a decision has fewer than two options, so there is nothing to decide",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    for sid, step in runbook.model.steps.items():
        if step.decision is None or len(step.decision.options) >= 2:
            continue
        count = len(step.decision.options)
        has = "no options" if count == 0 else f"only one option, `{next(iter(step.decision.options))}`"
        yield runbook.finding(
            RULE,
            f"the decision of step `{sid}` has {has}",
            ("steps", sid, "decision", "options"),
            key=True,
            hint="give it at least two options, or make it a plain step without `decision`",
        )
