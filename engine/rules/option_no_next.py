"""A decision option that opens no step: choosing it changes nothing in the runbook."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="option-no-next",
    severity=Severity.WARNING,
    doc="a decision option opens no step (its `next` is empty or missing)",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    for sid, step in runbook.model.steps.items():
        if step.decision is None:
            continue
        for option_id, option in step.decision.options.items():
            if not option.next:
                yield runbook.finding(
                    RULE,
                    f"option `{option_id}` of `{sid}` opens no step",
                    ("steps", sid, "decision", "options", option_id),
                    key=True,
                    hint="list in `next` the steps this choice leads to",
                )
