"""A timed decision whose `default` is not one of its options: when time runs out there is nothing to take."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="decision-default-unknown",
    severity=Severity.ERROR,
    doc="a decision's `default` is not one of its options",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    for sid, step in runbook.model.steps.items():
        decision = step.decision
        if decision is None or decision.default is None or decision.default in decision.options:
            continue
        from difflib import get_close_matches  # only when there is a finding: validate starts without it

        close = get_close_matches(decision.default, list(decision.options), n=1)
        options = ", ".join(f"`{o}`" for o in decision.options) or "none"
        yield runbook.finding(
            RULE,
            f"the default of decision `{sid}`, `{decision.default}`, is not one of its options ({options})",
            ("steps", sid, "decision", "default"),
            hint=f"did you mean `{close[0]}`?" if close else "name one of the decision's options",
        )
