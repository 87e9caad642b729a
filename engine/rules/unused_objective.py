"""An objective declared under `objectives` that no step lists, so no drill evaluates it."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="unused-objective",
    severity=Severity.WARNING,
    doc="an objective is declared under `objectives` but no step lists it",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    used = {objective for step in runbook.model.steps.values() for objective in step.objectives}
    for objective in runbook.model.objectives:
        if objective not in used:
            yield runbook.finding(
                RULE,
                f"objective `{objective}` is declared but no step lists it",
                ("objectives", objective),
                key=True,
                hint="add it to the `objectives` of the steps that show it, or remove it",
            )
