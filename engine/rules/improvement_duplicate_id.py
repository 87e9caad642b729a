"""Two improvement items share an id, in one plan file or across them."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._improvement import placed_items
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="improvement-duplicate-id",
    severity=Severity.ERROR,
    doc="two improvement items have the same id (or ids equal but for case), in one file or across files",
    stage="improvements",
)


def check(plan: Subject, project: Project) -> Iterator[Finding]:
    """Each repeat after the first in path order, then item order, is a finding."""
    first: dict[str, tuple[Subject, int]] = {}
    for subject in sorted(project.improvements, key=lambda s: s.doc.path):
        for placed in placed_items(subject):
            folded = placed.item.id.casefold()
            if folded not in first:
                first[folded] = (subject, placed.index)
                continue
            if subject is not plan:
                continue
            other, index = first[folded]
            line, _ = other.doc.where(("items", index, "id"))
            yield plan.finding(RULE, f"improvement `{placed.item.id}` has the same id as another item",
                               placed.at("id"), hint=f"the first is at {other.doc.path}:{line}; rename one of them")
