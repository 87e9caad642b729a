"""An improvement item touches a runbook step or objective that does not exist (any more)."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._improvement import placed_items
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="improvement-unknown-link",
    severity=Severity.ERROR,
    doc="an improvement item's `touches` names a step or objective that no runbook validated with it has "
        "(checked when runbooks are validated in the same run)",
    stage="improvements",
)


def check(plan: Subject, project: Project) -> Iterator[Finding]:
    if not project.runbooks:  # `tabletop validate improvements` alone: nothing to check the links against
        return
    for placed in placed_items(plan):
        for kind in ("steps", "objectives"):
            for index, ref in enumerate(getattr(placed.item.touches, kind)):
                problem = _missing(project, kind, ref)
                if problem:
                    yield plan.finding(RULE, f"improvement `{placed.item.id}` touches {problem}",
                                       placed.at("touches", kind, index),
                                       hint="renamed or removed? point it at what replaced it, or remove the link")


def _missing(project: Project, kind: str, ref: str) -> str | None:
    runbook_id, _, name = ref.partition("/")
    runbook = project.runbook(runbook_id)
    what = "step" if kind == "steps" else "objective"
    if runbook is None:
        return f"{what} `{ref}`, but there is no runbook `{runbook_id}`"
    if name not in getattr(runbook.model, kind):
        return f"{what} `{ref}`, but runbook `{runbook_id}` has no {what} `{name}`"
    return None
