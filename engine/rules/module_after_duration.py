"""A module starts after the end of the planned exercise window."""

from __future__ import annotations

from collections.abc import Iterator

from engine.duration import format_duration
from engine.findings import Finding, Severity
from engine.rules._scenario import module_start, placed_modules, show_time
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-after-duration",
    severity=Severity.WARNING,
    doc="a module starts later than the scenario's `duration`, so the exercise ends before it",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    duration = scenario.model.duration
    if duration is None:
        return
    for placed in placed_modules(scenario):
        seconds = module_start(placed)
        if seconds is None or seconds < duration:
            continue
        yield scenario.finding(
            RULE,
            f"module `{placed.module.id}` starts at `{show_time(('absolute', seconds))}`, not before the end "
            f"of the scenario's `duration` (`{format_duration(duration)}`)",
            placed.at("at"),
            hint="lengthen `duration`, or start the module inside the exercise window",
        )
