"""A decision option opens a step that its runbook does not have."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._runbook import did_you_mean
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unknown-next",
    severity=Severity.ERROR,
    doc="a decision option's `next` names a step that does not exist in its runbook",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    steps = runbook.model.steps
    for sid, step in steps.items():
        if step.decision is None:
            continue
        for option_id, option in step.decision.options.items():
            for index, target in enumerate(option.next):
                if target not in steps:
                    yield runbook.finding(
                        RULE,
                        f"option `{option_id}` of `{sid}` opens `{target}`, which is not a step of this runbook",
                        ("steps", sid, "decision", "options", option_id, "next", index),
                        hint=did_you_mean(target, steps),
                    )
