"""An improvement item is past its due date and still open (severity configurable, for CI)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from engine.findings import Finding, Severity
from engine.improvement.states import OPEN_STATUSES
from engine.rules._improvement import placed_items
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="improvement-overdue",
    severity=Severity.WARNING,
    doc="an open or in-progress improvement item is past its `due` date (checked against --today; set its "
        "severity to error to fail CI)",
    stage="improvements",
)


def check(plan: Subject, project: Project) -> Iterator[Finding]:
    if project.today is None:
        return
    for placed in placed_items(plan):
        item = placed.item
        if item.status not in OPEN_STATUSES or item.due is None:
            continue
        due = date.fromisoformat(item.due)
        late = (project.today - due).days
        if late > 0:
            yield plan.finding(
                RULE, f"improvement `{item.id}` was due {item.due}, {late} day{'s' if late != 1 else ''} ago, "
                f"and is still {item.status}", placed.at("due"),
                hint="do it and set `status: done`, agree a new `due` date, or set `status: wont-fix` with a `reason`",
            )
