"""An inject is listed by two modules, or twice by one."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import placed_modules
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-shared-inject",
    severity=Severity.ERROR,
    doc="an inject belongs to more than one module (or is listed twice in one); each inject opens one module",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    owner: dict[str, str] = {}
    for placed in placed_modules(scenario):
        for index, inject_id in enumerate(placed.module.injects):
            first = owner.setdefault(inject_id, placed.module.id)
            if first == placed.module.id and placed.module.injects.index(inject_id) == index:
                continue
            where = "earlier in this module" if first == placed.module.id else f"in module `{first}`"
            yield scenario.finding(
                RULE,
                f"module `{placed.module.id}` lists inject `{inject_id}`, which is already listed {where}",
                placed.at("injects", index),
                hint="keep the inject in the one module whose situation it belongs to",
            )
