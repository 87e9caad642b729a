"""An improvement item will not be fixed, but says not why."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._improvement import placed_items
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="improvement-no-reason",
    severity=Severity.ERROR,
    doc="an improvement item has `status: wont-fix` but no `reason`",
    stage="improvements",
)


def check(plan: Subject, project: Project) -> Iterator[Finding]:
    for placed in placed_items(plan):
        if placed.item.status == "wont-fix" and placed.item.reason is None:
            yield plan.finding(RULE, f"improvement `{placed.item.id}` will not be fixed but gives no reason",
                               placed.at("status"), hint="add `reason:` saying why, for the next review")
