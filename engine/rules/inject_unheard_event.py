"""An inject raises an event that no `on:` step of the scenario's runbooks listens to."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, known, placed_injects
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-unheard-event",
    severity=Severity.WARNING,
    doc="an inject raises an event that no `on:` step of the scenario's runbooks listens to",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    events = runbooks.events()
    for placed in placed_injects(scenario):
        event = placed.inject.event
        if event is None or event in events:
            continue
        yield scenario.finding(
            RULE,
            f"inject `{placed.inject.id}` raises event `{event}`, which no step of its runbooks listens to",
            placed.at("event"),
            hint=did_you_mean(event, events, f"add a step with `on: {event}` to a runbook, or drop the event"),
        )
