"""A scenario names a runbook that is not among the files checked."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="unknown-runbook",
    severity=Severity.ERROR,
    doc="a scenario names a runbook that is not among the files checked",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    # A runbook the scenario already names is no fix for a misspelt one.
    available = [r.id for r in project.runbooks if r.id not in scenario.model.runbooks]
    for index, runbook_id in enumerate(scenario.model.runbooks):
        if project.runbook(runbook_id) is not None:
            continue
        hint = did_you_mean(runbook_id, available,
                            "validate the runbook files together with the scenario, "
                            "e.g. `tabletop validate runbooks scenarios`")
        yield scenario.finding(
            RULE,
            f"scenario `{scenario.id}` names runbook `{runbook_id}`, which is not among the files checked",
            ("runbooks", index),
            hint=hint,
        )
