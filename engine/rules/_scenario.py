"""What the scenario-stage rules share: a scenario's runbooks and where each inject is written.

Not a rule module (the leading underscore keeps it out of the rule registry).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.duration import format_duration
from engine.load import Path_
from engine.rules.base import Project, Subject

if TYPE_CHECKING:
    from engine.model import Inject, Module, Question, Runbook, Step


@dataclass
class Known:
    """Everything the runbooks of one scenario declare, for checking its injects' references."""

    runbooks: list[Runbook] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        """False when none of the named runbooks was found: reference checks would only echo that."""
        return bool(self.runbooks)

    def services(self) -> list[str]:
        return _union(rb.services for rb in self.runbooks)

    def roles(self) -> list[str]:
        return _union(rb.roles for rb in self.runbooks)

    def objectives(self) -> list[str]:
        return _union(rb.objectives for rb in self.runbooks)

    def steps(self) -> list[str]:
        return _union(rb.steps for rb in self.runbooks)

    def events(self) -> list[str]:
        return _union([s.on for s in rb.steps.values() if s.on] for rb in self.runbooks)

    def steps_named(self, step_id: str) -> list[Step]:
        """Every step with this id: two runbooks of one scenario may both have, say, `close-out`."""
        return [rb.steps[step_id] for rb in self.runbooks if step_id in rb.steps]

    def decisions(self) -> list[str]:
        return _union([sid for sid, s in rb.steps.items() if s.decision] for rb in self.runbooks)


def _union(groups: Iterable[Iterable[str]]) -> list[str]:
    """Ids in first-seen order, each once (order keeps hints deterministic)."""
    out: dict[str, None] = {}
    for group in groups:
        for item in group:
            out.setdefault(item, None)
    return list(out)


def known(scenario: Subject, project: Project) -> Known:
    """The runbooks the scenario names that are among the files checked, in the scenario's order."""
    found: list[Runbook] = []
    seen: set[str] = set()
    for runbook_id in scenario.model.runbooks:
        subject = project.runbook(runbook_id)
        if subject is not None and runbook_id not in seen:
            seen.add(runbook_id)
            found.append(subject.model)
    return Known(found)


@dataclass(frozen=True)
class Placed:
    """An inject of the model with the path of its entry in the document, and its raw data."""

    path: Path_  # ("injects", i)
    inject: Inject
    raw: dict[str, Any]

    def at(self, *parts: Any) -> Path_:
        return self.path + parts

    def has(self, key: str) -> bool:
        """Whether the file writes `key` for this inject, even if schema checks threw its value out."""
        return self.raw.get(key) is not None


def placed_injects(scenario: Subject) -> Iterator[Placed]:
    """Each inject of the model with the index of its entry in the file.

    Schema repair may drop a whole entry that is not a mapping, which shifts
    the model's indexes; matching ids in order keeps every finding on the
    right line.
    """
    found = scenario._placed.get("injects")  # matched once per scenario: a dozen rules ask
    if found is None:
        found = scenario._placed["injects"] = [Placed(path, inject, raw) for path, inject, raw
                                               in _placed(scenario, "injects", scenario.model.injects)]
    return iter(found)


@dataclass(frozen=True)
class PlacedModule:
    """A module of the model with the path of its entry in the document, and its raw data."""

    path: Path_  # ("modules", i)
    module: Module
    raw: dict[str, Any]

    def at(self, *parts: Any) -> Path_:
        return self.path + parts

    def has(self, key: str) -> bool:
        """Whether the file writes `key` for this module, even if schema checks threw its value out."""
        return self.raw.get(key) is not None

    def questions(self) -> Iterator[tuple[Path_, Question]]:
        """Each question with its path, matched by id like the entries themselves."""
        raw = self.raw.get("questions")
        entries = raw if isinstance(raw, list) else []
        for index, question in _matched(entries, self.module.questions):
            yield self.at("questions", index), question


def placed_modules(scenario: Subject) -> Iterator[PlacedModule]:
    """Each module of the model with the index of its entry in the file (see placed_injects)."""
    found = scenario._placed.get("modules")
    if found is None:
        found = scenario._placed["modules"] = [PlacedModule(path, module, raw) for path, module, raw
                                               in _placed(scenario, "modules", scenario.model.modules)]
    return iter(found)


def _placed(scenario: Subject, key: str, items: list[Any]) -> Iterator[tuple[Path_, Any, dict[str, Any]]]:
    raw = scenario.doc.data.get(key) if isinstance(scenario.doc.data, dict) else None
    entries = raw if isinstance(raw, list) else []
    for index, item in _matched(entries, items):
        entry = entries[index] if index < len(entries) and isinstance(entries[index], dict) else {}
        if entry.get("id") != item.id:
            entry = {}
        yield (key, index), item, entry


def _matched(entries: list[Any], items: list[Any]) -> Iterator[tuple[int, Any]]:
    """Each model item with the index of the file entry of the same id, in order."""
    cursor = 0
    for index, item in enumerate(items):
        found = None
        for position in range(cursor, len(entries)):
            entry = entries[position]
            if isinstance(entry, dict) and entry.get("id") == item.id:
                found = position
                break
        if found is None:  # cannot happen for data that validated; fall back to the model's index
            yield index, item
            continue
        cursor = found + 1
        yield found, item


def module_start(placed: PlacedModule) -> int | None:
    """Seconds after T+0 at which a module starts on the exercise clock; None for contingent ones."""
    at = placed.module.at
    if at is None or placed.module.after is not None or at[0] != "absolute":
        return None
    return at[1]


def scheduled(placed: Placed) -> int | None:
    """Seconds after T+0 for an inject on the exercise clock; None for contingencies and untimed ones."""
    at = placed.inject.at
    if at is None or placed.inject.after is not None or at[0] != "absolute":
        return None
    return at[1]


def show_time(at: tuple[str, int]) -> str:
    kind, seconds = at
    return ("T+" if kind == "absolute" else "+") + format_duration(seconds)


def did_you_mean(name: str, choices: Iterable[str], otherwise: str | None = None) -> str | None:
    import difflib  # only when there is a name to match

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else otherwise


def listing(ids: list[str], limit: int = 6) -> str:
    """`a`, `b`, `c` (and 3 more)."""
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    more = len(ids) - limit
    return shown + (f" (and {more} more)" if more > 0 else "")
