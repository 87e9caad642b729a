"""An inject that changes nothing a team would notice."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import placed_injects
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-empty",
    severity=Severity.WARNING,
    doc="an inject with no event, no service changes and nothing to say does nothing a team would notice",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    for placed in placed_injects(scenario):
        inject = placed.inject
        if inject.event or inject.services or inject.say:
            continue
        # Written but thrown out by the schema (say `services: {mail: sideways}`): not empty, just wrong.
        if any(placed.has(key) for key in ("event", "services", "say")):
            continue
        yield scenario.finding(
            RULE,
            f"inject `{inject.id}` raises no event, changes no service and has nothing to `say`",
            placed.at("id"),
            hint="add `say:` with what the facilitator reads out, an `event:`, or `services:` changes",
        )
