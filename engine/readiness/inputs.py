"""The runbooks a readiness view or a plan status is judged against: models, files and their hashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class RunbookFile:
    path: str
    sha256: str  # of the file as it is now; a log records the one it ran with
    model: Any  # engine.model.Runbook
    line: int  # where `runbook:` is written, for findings
    cadence_at: tuple[int, int] = (1, 1)  # where `drill_every` is written, when it is

    @property
    def id(self) -> str:
        return str(self.model.runbook)


def _models(folder: str, kind: str) -> tuple[list[Any], list[str]]:
    """The documents of one kind under `folder` whose schema is right (no rule runs: readiness needs the
    models, and `tabletop validate` is where a runbook's logic is judged), and the paths of broken ones."""
    from engine.improvement.files import plan_paths
    from engine.load import read_document
    from engine.schema import check_document

    good, bad = [], []
    for path in plan_paths(folder):
        doc = read_document(path)
        if doc.kind and not doc.unreadable:
            check_document(doc)
        if doc.kind == kind and doc.model is not None and not doc.findings:
            good.append(doc)
        elif doc.kind == kind or doc.unreadable:
            bad.append(path)
    return good, bad


def read_scenarios(folder: str) -> list[tuple[str, str, list[str]]]:
    """(id, title, runbook ids) of each scenario under `folder` that reads cleanly, by path."""
    docs, _ = _models(folder, "scenario")
    return [(d.model.scenario, d.model.title, list(d.model.runbooks)) for d in docs]


def read_runbooks(folder: str) -> tuple[list[RunbookFile], list[str]]:
    """The runbooks under `folder` that read cleanly (sorted by path), and the paths of those that do not."""
    docs, bad = _models(folder, "runbook")
    out = []
    for doc in docs:
        sha = hashlib.sha256(Path(doc.path).read_bytes()).hexdigest()  # as drill.started records it
        out.append(RunbookFile(doc.path, sha, doc.model, doc.where(("runbook",), key=True)[0],
                               doc.where(("drill_every",), key=True)))
    return out, bad


def step_targets(runbooks: list[RunbookFile]) -> dict[str, int | None]:
    """Step key runbook/step -> its target in seconds (None: no target)."""
    return {f"{rb.id}/{sid}": step.target for rb in runbooks for sid, step in rb.model.steps.items()}
