"""Scheduled modules are not written in the order they start."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import module_start, placed_modules, show_time
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-order",
    severity=Severity.WARNING,
    doc="scheduled modules are not written in the order they start (the handbooks print them in file order)",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    latest: tuple[str, int] | None = None
    for placed in placed_modules(scenario):
        seconds = module_start(placed)
        if seconds is None:
            continue
        if latest is not None and seconds < latest[1]:
            yield scenario.finding(
                RULE,
                f"module `{placed.module.id}` starts at `{show_time(('absolute', seconds))}`, before module "
                f"`{latest[0]}` written above it (`{show_time(('absolute', latest[1]))}`)",
                placed.at("at"),
                hint="write modules in the order they start",
            )
            return  # one finding: after the first slip the rest may all look out of order
        latest = (placed.module.id, seconds)
