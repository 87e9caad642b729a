"""What every validation rule declares: a stable id, a severity and one line of doc."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from engine.findings import Finding, Severity
from engine.load import Document

if TYPE_CHECKING:
    from engine.graph import RunbookGraph


@dataclass(frozen=True)
class Rule:
    id: str  # stable, kebab-case; never reuse a retired id
    severity: Severity  # the default; config may change it
    doc: str  # one line, shown by `tabletop rules` and in SARIF
    # "load": emitted while reading YAML; "schema": from model validation;
    # "runbook", "scenario": per-document checks; "project": across files;
    # "improvements": per improvement-plan file, with the project; "readiness": `tabletop readiness`;
    # "evidence": `tabletop evidence`.
    stage: str


@dataclass
class Subject:
    """A runbook or scenario that loaded and validated, as the rules see it."""

    doc: Document
    model: Any  # engine.model.Runbook | engine.model.Scenario
    _graph: Any = None
    _placed: dict[str, list[Any]] = field(default_factory=dict)  # engine.rules._scenario's entries, by key

    @property
    def id(self) -> str:
        return str(getattr(self.model, self.doc.kind or "", ""))

    @property
    def graph(self) -> RunbookGraph:
        """The runbook as a graph (built once, on first use)."""
        if self._graph is None:
            from engine.graph import RunbookGraph

            self._graph = RunbookGraph(self.model)
        return self._graph

    def finding(
        self,
        rule: Rule,
        message: str,
        path: tuple[Any, ...] = (),
        *,
        key: bool = False,
        hint: str | None = None,
        related: tuple[str, ...] = (),
    ) -> Finding:
        """A finding of `rule` at the part of this document at `path` (its key when `key`). For a runbook, `path`
        is a path into the model (its lists as the model holds them, past entries the schema dropped); the
        scenario and improvement-plan rules place their entries in the file themselves (_scenario, _improvement)."""
        if self.doc.kind == "runbook":
            path = self.doc.in_file(path)
        line, column = self.doc.where(path, key=key)
        return Finding(self.doc.path, line, column, rule.id, rule.severity, message, hint, related)


@dataclass
class Project:
    """Every document of one validate run, for checks across files."""

    runbooks: list[Subject] = field(default_factory=list)
    scenarios: list[Subject] = field(default_factory=list)
    improvements: list[Subject] = field(default_factory=list)  # improvement-plan files
    today: date | None = None  # the date improvement items are due against (None: not checked)
    catalogues: list[Any] = field(default_factory=list)  # the project's own control catalogues (settings)

    def of_kind(self, kind: str) -> list[Subject]:
        """The documents of one kind: runbook, scenario or improvements."""
        return {"runbook": self.runbooks, "scenario": self.scenarios, "improvements": self.improvements}[kind]

    def runbook(self, runbook_id: str) -> Subject | None:
        """The first runbook with this id, in path order."""
        for subject in self.runbooks:
            if subject.id == runbook_id:
                return subject
        return None


RunbookCheck = Callable[[Subject], Iterable[Finding]]
ScenarioCheck = Callable[[Subject, Project], Iterable[Finding]]
ProjectCheck = Callable[[Project], Iterable[Finding]]
ImprovementsCheck = Callable[[Subject, Project], Iterable[Finding]]
