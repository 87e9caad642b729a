"""A decision with `default` but no `within`: no time limit ever runs out, so the default is never taken."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="decision-default-no-within",
    severity=Severity.ERROR,
    doc="a decision has a `default` but no `within`, so the default is never taken",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    for sid, step in runbook.model.steps.items():
        decision = step.decision
        if decision is None or decision.default is None or decision.within is not None:
            continue
        yield runbook.finding(
            RULE,
            f"decision `{sid}` has default `{decision.default}` but no `within`, so it never falls to it",
            ("steps", sid, "decision", "default"),
            key=True,
            hint="add `within: 15m` (the time the team has from the step becoming ready), or drop `default`",
        )
