"""A scheduled inject falls after the end of the planned exercise window."""

from __future__ import annotations

from collections.abc import Iterator

from engine.duration import format_duration
from engine.findings import Finding, Severity
from engine.rules._scenario import placed_injects, scheduled, show_time
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-after-duration",
    severity=Severity.WARNING,
    doc="a scheduled inject comes later than the scenario's `duration`",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    duration = scenario.model.duration
    if duration is None:
        return
    for placed in placed_injects(scenario):
        seconds = scheduled(placed)
        if seconds is None or seconds <= duration:
            continue
        yield scenario.finding(
            RULE,
            f"inject `{placed.inject.id}` at `{show_time(('absolute', seconds))}` comes after the end of "
            f"the scenario's `duration` (`{format_duration(duration)}`)",
            placed.at("at"),
            hint="lengthen `duration`, or move the inject into the exercise window",
        )
