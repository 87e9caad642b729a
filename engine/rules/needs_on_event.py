"""A step needs an event branch: the event may never come, and then the step waits forever."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="needs-on-event",
    severity=Severity.ERROR,
    doc="a step's `needs` names an event branch (a step with `on:`), and the event may never come",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    steps = runbook.model.steps
    for sid, step in steps.items():
        for index, need in enumerate(step.needs):
            event = steps[need].on if need in steps else None
            if event:
                yield runbook.finding(
                    RULE,
                    f"step `{sid}` needs `{need}`, which opens only if the event `{event}` comes",
                    ("steps", sid, "needs", index),
                    hint=f"remove `{need}` from `needs`; if `{sid}` depends on its work, "
                    "make that work a step that always runs",
                )
