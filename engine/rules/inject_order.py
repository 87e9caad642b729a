"""Scheduled injects are not written in time order, so the file misreads as an MSEL."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import Placed, placed_injects, scheduled, show_time
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-order",
    severity=Severity.WARNING,
    doc="scheduled injects are not written in time order",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    timed = [(p, t) for p in placed_injects(scenario) if (t := scheduled(p)) is not None]
    latest: tuple[Placed, int] | None = None
    for placed, seconds in timed:
        if latest is not None and seconds < latest[1]:
            # One finding: after the first slip every later inject may look out of order too.
            before = next(p for p, t in timed if t > seconds)
            yield scenario.finding(
                RULE,
                f"inject `{placed.inject.id}` at `{_time(seconds)}` comes after inject `{latest[0].inject.id}` "
                f"at `{_time(latest[1])}` in the file",
                placed.at("at"),
                hint=f"keep scheduled injects in time order: move it before `{before.inject.id}`",
            )
            return
        if latest is None or seconds >= latest[1]:
            latest = (placed, seconds)


def _time(seconds: int) -> str:
    return show_time(("absolute", seconds))
