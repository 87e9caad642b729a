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


def read_scenarios(folder: str) -> list[tuple[str, str, list[str]]]:
    """(id, title, runbook ids) of each valid scenario under `folder`, by path."""
    from engine.improvement.files import plan_paths
    from engine.validate import validate

    paths = plan_paths(folder)
    if not paths:
        return []
    result = validate(paths, found=set(paths))
    return [(s.model.scenario, s.model.title, list(s.model.runbooks)) for s in result.project.scenarios]


def read_runbooks(folder: str) -> tuple[list[RunbookFile], list[str]]:
    """The valid runbooks under `folder` (sorted by path), and the paths of runbook files with errors."""
    from engine.findings import Severity
    from engine.improvement.files import plan_paths
    from engine.validate import validate

    paths = plan_paths(folder)
    if not paths:
        return [], []
    result = validate(paths, found=set(paths))
    broken = {f.path for f in result.findings if f.severity is Severity.ERROR}
    out, bad = [], []
    for subject in result.project.runbooks:
        if subject.doc.path in broken:
            bad.append(subject.doc.path)
            continue
        raw = Path(subject.doc.path).read_bytes()
        out.append(RunbookFile(subject.doc.path, hashlib.sha256(raw).hexdigest(), subject.model,
                               subject.doc.where(("runbook",), key=True)[0],
                               subject.doc.where(("drill_every",), key=True)))
    bad += [d.path for d in result.documents if d.unreadable]
    return out, sorted(set(bad))


def step_targets(runbooks: list[RunbookFile]) -> dict[str, int | None]:
    """Step key runbook/step -> its target in seconds (None: no target)."""
    return {f"{rb.id}/{sid}": step.target for rb in runbooks for sid, step in rb.model.steps.items()}
