"""Gather the evidence of a period: each control the runbooks name, the drills that exercised it, their
attendance, areas for improvement and improvement items, and the verification of every log used.

Every figure comes from the runbooks, the scenarios, the improvement-plan files and the drill logs; the
logs are read through the readiness cache (engine.readiness.cache), so a log is read once however many
controls it gives evidence for, and not at all when its summary is cached.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from engine.controls import objective_controls
from engine.evidence.period import Period
from engine.findings import Finding
from engine.improvement.status import ItemStanding
from engine.readiness.drills import DrillSummary
from engine.readiness.inputs import RunbookFile


@dataclass(frozen=True)
class Use:
    """Where a runbook names a control: for one objective (`runbook/objective`), or for the runbook as a whole
    (objective None), at path:line:column."""

    runbook: str
    objective: str | None
    path: str
    line: int
    column: int


@dataclass
class Control:
    control: str  # catalogue:id
    title: str | None  # the catalogue's short title; None when no catalogue lists it
    catalogue_title: str | None
    uses: list[Use] = field(default_factory=list)
    drills: list[str] = field(default_factory=list)  # log names of the drills in the period that exercised it
    live: int = 0  # how many of them are live drills whose log verifies
    rated: int = 0  # how many of those rated an objective of it (see ratings_for)
    slug: str = ""  # the name of its page in the pack, unique among the controls (see controls_of)

    @property
    def runbooks(self) -> list[str]:
        return sorted({u.runbook for u in self.uses})

    @property
    def objectives(self) -> list[str]:
        return [u.objective for u in self.uses if u.objective]


def ratings_for(control: Control, ratings: dict[str, list[Any]]) -> list[tuple[str, list[Any]]]:
    """The ratings of a drill (objective key -> [rating, line]) that bear on a control: of the objectives that
    name it, and for a runbook that names it as a whole, of every objective of the runbook; in key order."""
    mine, whole = set(control.objectives), {u.runbook for u in control.uses if u.objective is None}
    return [(k, v) for k, v in sorted(ratings.items()) if k in mine or k.partition("/")[0] in whole]


@dataclass
class LogCheck:
    """The verification of one log used, as `tabletop log verify` would give it, with its seal."""

    name: str
    path: str
    sha256: str
    events: int
    verified: bool
    result: str  # one line: "verifies: 412 lines, the hash chain is intact" or the first bad line
    seal: str | None = None  # what its seal (LOG.seal) says, when it has one
    changed: list[str] = field(default_factory=list)  # the files the drill ran with that have changed since
    problem_line: int = 1


@dataclass
class Drill:
    """One drill in the period, as the pack shows it."""

    summary: DrillSummary
    path: str
    check: LogCheck
    aar: str | None = None  # the AAR's path inside the pack
    aoi: list[dict[str, Any]] = field(default_factory=list)  # areas for improvement, each with its `item` id

    @property
    def name(self) -> str:
        return self.summary.name

    @property
    def counts(self) -> bool:
        """A live drill whose log verifies (and its seal, where it has one): evidence a control was exercised."""
        return self.summary.live and not self.summary.problem and self.check.verified

    @property
    def mode(self) -> str:
        # a log that verifies to its end without drill.ended: the drill stopped (a crash, a kill), never resumed
        unended = "" if self.summary.ended or self.summary.problem else ", not ended"
        if self.summary.mode == "live":
            return "live" + unended
        if self.summary.mode == "headless":
            return f"headless rehearsal{unended} (not an exercise)"
        return f"not recorded{unended} (not counted)"


@dataclass
class Evidence:
    period: Period
    today: date
    controls: list[Control]
    drills: list[Drill]
    logs: list[LogCheck]
    items: list[ItemStanding]
    findings: list[Finding] = field(default_factory=list)
    left_out: int = 0  # logs of drills outside the period
    catalogues: dict[str, Any] = field(default_factory=dict)

    def drill(self, name: str) -> Drill | None:
        return next((d for d in self.drills if d.name == name), None)


def controls_of(runbooks: list[RunbookFile], known: dict[str, Any]) -> list[Control]:
    """Every control the runbooks name, in catalogue then id order, each with where it is named."""
    from engine.controls.catalogue import title_of
    from engine.load import read_document

    found: dict[str, Control] = {}
    for rb in runbooks:
        named: list[tuple[str, str | None, tuple[Any, ...]]] = [
            (c, None, ("controls", i)) for i, c in enumerate(rb.model.controls)]
        for oid, entry in rb.model.objectives.items():
            named += [(c, f"{rb.id}/{oid}", ("objectives", oid, "controls", i))
                      for i, c in enumerate(objective_controls(entry))]
        if not named:
            continue
        doc = read_document(rb.path)  # for the line of each control (the runbook is small, and read again only here)
        for control, objective, where in named:
            catalogue = known.get(control.partition(":")[0])
            entry = found.setdefault(control, Control(control, title_of(control, known),
                                                      catalogue.title if catalogue else None))
            line, column = doc.where(where)
            entry.uses.append(Use(rb.id, objective, rb.path, line, column))
    out = sorted(found.values(), key=lambda c: _natural(c.control))
    taken: set[str] = set()
    for entry in out:
        entry.slug = _slug(entry.control, taken)
    return out


SLUG_CHARS = 80


def _slug(control: str, taken: set[str]) -> str:
    """A file name for a control's page: soc2-cc7.4, nist-800-53-cp-4-1; at most SLUG_CHARS characters and
    not one already `taken` (ids that differ only in case or punctuation, or are very long, get a suffix)."""
    base = re.sub(r"[^a-z0-9.]+", "-", control.lower().replace(":", "-")).strip("-.") or "control"
    if len(base) > SLUG_CHARS:
        base = base[:SLUG_CHARS - 13].rstrip("-.") + "-" + hashlib.sha256(control.encode()).hexdigest()[:12]
    slug, n = base, 1
    while slug.lower() in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug.lower())
    return slug


def _natural(text: str) -> tuple[Any, ...]:
    """soc2:CC7.10 after soc2:CC7.9."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text))


def read_logs(paths: list[str], cache: Any, progress: Callable[[int, int], None] | None = None
              ) -> tuple[list[tuple[str, DrillSummary]], list[tuple[str, str]]]:
    """(path, summary) of each log through the cache, and (path, why) for each that cannot be read at all.
    `progress(done, total)` is called after each log."""
    from engine.drill.log import LogError

    out, unreadable = [], []
    for done, path in enumerate(paths, start=1):
        try:
            out.append((path, cache.summary(path)))
        except LogError as exc:
            unreadable.append((path, str(exc).removeprefix(f"{path}: ")))
        if progress is not None:
            progress(done, len(paths))
    out.sort(key=lambda pair: (pair[1].started or "", pair[1].name))
    return out, unreadable


def check_log(path: str, summary: DrillSummary, current: dict[str, str], key: bytes | None) -> LogCheck:
    """The verification of one log: its hash chain (from the summary), its seal when LOG.seal exists (the
    sealed line's hash, and the signature when `key`, a public key PEM, is given), and the files it ran with
    (`current`: runbook or scenario id -> SHA-256 of the file now)."""
    check = LogCheck(summary.name, path, summary.sha256, summary.events, summary.problem is None, "")
    if summary.problem:
        check.result = f"does not verify: {summary.problem}"
        match = re.match(r"line (\d+):", summary.problem)
        check.problem_line = int(match.group(1)) if match else 1
    else:
        check.result = f"verifies: {summary.events} lines, the hash chain is intact"
    check.seal = _seal(path, summary, key, check)
    recorded = dict(summary.runbooks)
    if summary.scenario and summary.scenario_sha256:
        recorded[summary.scenario] = summary.scenario_sha256
    check.changed = sorted(name for name, sha in recorded.items() if name in current and sha and current[name] != sha)
    return check


def _seal(path: str, summary: DrillSummary, key: bytes | None, check: LogCheck) -> str | None:
    from engine.drill.anchor import AnchorError, UnusableKey, check_seal, read_seal
    from engine.drill.log import LogError, line_hash_at

    seal_path = Path(path + ".seal")
    if not seal_path.is_file():
        return None
    try:
        seal = read_seal(seal_path.read_bytes()[:8192])
    except (OSError, AnchorError) as exc:
        check.verified = False
        return f"the seal {seal_path.name} cannot be used: {exc}"
    try:
        intact = seal.lines <= summary.events and line_hash_at(path, seal.lines) == seal.head
    except (OSError, LogError):
        intact = False
    if not intact:
        check.verified = False
        check.problem_line = min(seal.lines, max(summary.events, 1))
        return (f"line {seal.lines} does not have the sealed head: the log was rewritten or cut short after it "
                "was sealed")
    if key is None:
        return f"sealed at line {seal.lines}; the signature is not checked (give --key, the public key)"
    try:
        check_seal(seal, key)
    except ImportError:
        return (f"sealed at line {seal.lines}; the signature cannot be checked: seals need the cryptography "
                "package (pip install -e '.[seal]')")
    except UnusableKey as exc:
        return f"sealed at line {seal.lines}; the signature cannot be checked: {exc}"
    except AnchorError as exc:
        check.verified = False
        return f"sealed at line {seal.lines}, but {exc}"
    return f"sealed at line {seal.lines}: the head is signed by the key's holder"


def current_files(runbooks: list[RunbookFile], scenarios_folder: str) -> dict[str, str]:
    """Runbook and scenario id -> SHA-256 of its file now, as drill.started records it."""
    from engine.improvement.files import plan_paths
    from engine.load import read_document

    out = {rb.id: rb.sha256 for rb in runbooks}
    for path in plan_paths(scenarios_folder):
        doc = read_document(path)
        if doc.kind == "scenario" and isinstance(doc.data, dict) and isinstance(doc.data.get("scenario"), str):
            out.setdefault(doc.data["scenario"], hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return out


def link_items(drills: list[Drill], items: list[ItemStanding]) -> None:
    """Each area for improvement of each drill, with the improvement item made from it (its `item` id)."""
    from engine.improvement.add import DRILL_ID_DIGITS

    by_source: dict[tuple[str, int], str] = {}
    for standing in items:
        source = getattr(standing.item, "finding", None)
        if source is None:
            continue
        for drill in drills:
            same = (source.drill and drill.summary.drill_id.startswith(source.drill[:DRILL_ID_DIGITS])) or \
                source.log.rsplit("/", 1)[-1] == drill.name
            if same:
                by_source.setdefault((drill.name, source.line), standing.id)
    for drill in drills:
        drill.aoi = [{**aoi, "item": by_source.get((drill.name, int(aoi.get("line", 0))))}
                     for aoi in drill.summary.improvements]


def items_of(control: Control, evidence: Evidence) -> list[ItemStanding]:
    """The improvement items that bear on a control: made from its drills' areas for improvement, or
    touching its objectives or the steps of its runbooks."""
    names = set(control.drills)
    from_drills = {aoi["item"] for d in evidence.drills if d.name in names for aoi in d.aoi if aoi.get("item")}
    objectives, runbooks = set(control.objectives), set(control.runbooks)
    out = []
    for standing in evidence.items:
        touches = getattr(standing.item, "touches", None)
        linked = standing.id in from_drills
        if touches is not None and not linked:
            linked = bool(objectives & set(touches.objectives)) or any(
                s.partition("/")[0] in runbooks for s in touches.steps) or any(
                o.partition("/")[0] in runbooks and not objectives for o in touches.objectives)
        if linked:
            out.append(standing)
    return out
