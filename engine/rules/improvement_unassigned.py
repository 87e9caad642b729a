"""An improvement item still to do has nobody to do it, or no date to do it by."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.improvement.states import OPEN_STATUSES
from engine.rules._improvement import placed_items
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="improvement-unassigned",
    severity=Severity.WARNING,
    doc="an open or in-progress improvement item has no `owner` or no `due` date",
    stage="improvements",
)


def check(plan: Subject, project: Project) -> Iterator[Finding]:
    for placed in placed_items(plan):
        item = placed.item
        if item.status not in OPEN_STATUSES:
            continue
        missing = [label for name, label in (("owner", "owner"), ("due", "due date")) if getattr(item, name) is None]
        if missing:
            yield plan.finding(
                RULE, f"improvement `{item.id}` has no {' and no '.join(missing)}", placed.at("id"),
                hint="add `owner:` and `due:` (a date, YYYY-MM-DD)" if len(missing) == 2 else
                "add `owner:`" if missing == ["owner"] else "add `due:` (a date, YYYY-MM-DD)",
            )
