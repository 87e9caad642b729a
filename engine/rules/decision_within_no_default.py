"""A decision with `within` but no `default`: when its time runs out the drill has nothing to take."""

from __future__ import annotations

from collections.abc import Iterator

from engine.duration import format_duration
from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="decision-within-no-default",
    severity=Severity.ERROR,
    doc="a decision has `within` but no `default`, so nothing is decided when its time runs out",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    for sid, step in runbook.model.steps.items():
        decision = step.decision
        if decision is None or decision.within is None or decision.default is not None:
            continue
        yield runbook.finding(
            RULE,
            f"decision `{sid}` must be made within {format_duration(decision.within)} but has no `default`",
            ("steps", sid, "decision", "within"),
            key=True,
            hint="add `default: OPTION`, the option taken when time runs out, or drop `within`",
        )
