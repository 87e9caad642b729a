"""A runbook or one of its objectives names a control that no catalogue lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.findings import Finding, Severity
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="unknown-control",
    severity=Severity.ERROR,
    doc="a runbook or objective names a control whose catalogue, or whose id in it, is not known",
    stage="project",
)


def check(project: Project) -> Iterator[Finding]:
    known: dict[str, Any] | None = None
    for runbook in project.runbooks:
        named = list(_named(runbook))
        if not named:
            continue
        if known is None:
            from engine.controls.catalogue import catalogues

            known = catalogues(project.catalogues)
        for control, path in named:
            problem = _problem(control, known)
            if problem:
                message, hint = problem
                yield runbook.finding(RULE, message, path, hint=hint)


def _named(runbook: Subject) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Each control the runbook names, with the path where it is written."""
    for index, control in enumerate(getattr(runbook.model, "controls", ())):
        yield control, ("controls", index)
    for oid, entry in runbook.model.objectives.items():
        if not isinstance(entry, str):
            for index, control in enumerate(entry.controls):
                yield control, ("objectives", oid, "controls", index)


def _problem(control: str, known: dict[str, Any]) -> tuple[str, str] | None:
    name, _, ident = control.partition(":")
    catalogue = known.get(name)
    if catalogue is not None and ident in catalogue.controls:
        return None
    import difflib  # only for a control to find a near name for

    if catalogue is None:
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = (f"did you mean `{close[0]}:{ident}`?" if close else
                "add your own catalogue file under `catalogues` in tabletop.toml (docs/evidence.md)")
        return (f"control `{control}` names catalogue `{name}`, which is not known; known: "
                f"{', '.join(sorted(known))}", hint)
    same = [c for c in catalogue.controls if c.lower() == ident.lower()]
    close = same or difflib.get_close_matches(ident, list(catalogue.controls), n=1, cutoff=0.6)
    hint = (f"did you mean `{name}:{close[0]}`?" if close else
            f"the catalogue lists {len(catalogue.controls)} controls; add yours to a catalogue file of your own")
    return f"control `{control}` is not in the catalogue `{name}` ({catalogue.title})", hint
