"""The improvement-plan files of a folder, read and checked against the model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.load import Document, read_document


@dataclass
class PlanFile:
    path: str
    doc: Document
    items: list[Any] = field(default_factory=list)  # engine.improvement.model.Item, when the file is valid

    @property
    def ok(self) -> bool:
        return self.doc.kind == "improvements" and self.doc.model is not None and not self.doc.findings


def plan_paths(folder: str) -> list[str]:
    """The *.yaml and *.yml files in `folder` and below, sorted; none when it does not exist."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return sorted(p.as_posix() for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def read_plan(path: str) -> PlanFile:
    """One file, checked against the improvement-plan model (problems land in `doc.findings`)."""
    from engine.schema import check_document

    doc = read_document(path)
    if doc.kind and not doc.unreadable:
        check_document(doc)
    out = PlanFile(path, doc)
    if doc.kind == "improvements" and doc.model is not None:
        out.items = list(doc.model.items)
    return out


def read_plans(folder: str) -> list[PlanFile]:
    """Every improvement-plan file under `folder` (other YAML there is left out)."""
    return [p for p in map(read_plan, plan_paths(folder)) if p.doc.kind == "improvements" or p.doc.unreadable]
