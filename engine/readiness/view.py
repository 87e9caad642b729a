"""The readiness view: per runbook, when it was last drilled live and whether it is due; per objective,
its ratings across drills; per improvement item, where it stands and how long it has been open.

Everything is computed from the files and the logs, judged at a date passed
in, so the same inputs always give the same view (and the same bytes in every
format). The JSON shape is documented in docs/readiness.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.controls import objective_text
from engine.findings import Finding
from engine.improvement.status import ItemStanding
from engine.readiness.cadence import Cadence
from engine.readiness.drills import DrillSummary
from engine.readiness.inputs import RunbookFile

READINESS_VERSION = 1
RATING_SCORE = {"P": 4, "S": 3, "M": 2, "U": 1}


@dataclass(frozen=True)
class RatingPoint:
    date: str  # YYYY-MM-DD the drill started
    rating: str  # P | S | M | U
    log: str
    live: bool


@dataclass
class ObjectiveTrend:
    key: str  # runbook/objective
    text: str
    points: list[RatingPoint] = field(default_factory=list)  # oldest first

    @property
    def latest(self) -> str | None:
        return self.points[-1].rating if self.points else None

    @property
    def direction(self) -> str:
        """`better`, `worse` or `same` from the last two ratings; `` with fewer than two."""
        if len(self.points) < 2:
            return ""
        a, b = RATING_SCORE[self.points[-2].rating], RATING_SCORE[self.points[-1].rating]
        return "better" if b > a else "worse" if b < a else "same"


@dataclass
class RunbookRow:
    id: str
    title: str
    path: str
    scenarios: list[str]  # scenario ids that drill it
    cadence: Cadence
    live_drills: int
    plays: int  # headless plays of it


@dataclass
class Readiness:
    as_of: date
    logs_folder: str
    drills: list[DrillSummary]
    unreadable: list[tuple[str, str]]
    runbooks: list[RunbookRow]
    objectives: list[ObjectiveTrend]
    items: list[ItemStanding]
    findings: list[Finding]
    include_headless: bool = False
    notes: list[str] = field(default_factory=list)  # files left out, and why

    @property
    def flagged(self) -> list[DrillSummary]:
        return [d for d in self.drills if d.problem]


def build(runbooks: list[RunbookFile], scenarios: list[tuple[str, str, list[str]]], drills: list[DrillSummary],
          cadences: list[Cadence], items: list[ItemStanding], findings: list[Finding], *, as_of: date,
          logs_folder: str, unreadable: list[tuple[str, str]], include_headless: bool = False) -> Readiness:
    """Put the parts together (engine.readiness.cadence, engine.improvement.status give theirs)."""
    rows = []
    for rb, cadence in zip(runbooks, cadences, strict=True):
        mine = [d for d in drills if not d.problem and rb.id in d.runbooks]
        rows.append(RunbookRow(rb.id, rb.model.title, rb.path, sorted(s for s, _, rbs in scenarios if rb.id in rbs),
                               cadence, sum(1 for d in mine if d.live), sum(1 for d in mine if not d.live)))
    return Readiness(as_of, logs_folder, drills, unreadable, rows, trends(runbooks, drills, include_headless),
                     items, findings, include_headless)


def trends(runbooks: list[RunbookFile], drills: list[DrillSummary], include_headless: bool) -> list[ObjectiveTrend]:
    """Each objective of the runbooks with its ratings from intact drills (live ones, or every one), oldest first."""
    out = []
    counted = [d for d in drills if not d.problem and (d.live or include_headless)]
    for rb in runbooks:
        for name, entry in rb.model.objectives.items():
            trend = ObjectiveTrend(f"{rb.id}/{name}", objective_text(entry))
            for drill in counted:
                rated = drill.ratings.get(trend.key)
                if rated:
                    trend.points.append(RatingPoint(drill.date, str(rated[0]), drill.name, drill.live))
            out.append(trend)
    return out


def to_json(view: Readiness) -> dict[str, Any]:
    """The documented JSON shape (docs/readiness.md)."""
    return {
        "readiness_version": READINESS_VERSION,
        "as_of": view.as_of.isoformat(),
        "logs": {"folder": view.logs_folder, "read": len(view.drills) + len(view.unreadable),
                 "live": sum(1 for d in view.drills if d.live and not d.problem),
                 "headless": sum(1 for d in view.drills if not d.live and not d.problem),
                 "not_counted": [{"log": d.name, "why": d.problem} for d in view.flagged]
                 + [{"log": name, "why": why} for name, why in view.unreadable],
                 "read_by_ids": [{"log": d.name, "why": d.plan_why} for d in view.drills
                                 if not d.problem and d.plan_from == "log"]},
        "runbooks": [_runbook_json(r) for r in view.runbooks],
        "drills": [{"log": d.name, "date": d.date, "mode": d.mode, "attendance": d.attendance}
                   for d in view.drills if not d.problem],
        "objectives": [{"key": o.key, "text": o.text, "latest": o.latest, "direction": o.direction,
                        "ratings": [vars(p) for p in o.points]} for o in view.objectives],
        "improvements": [{"id": i.id, "path": i.path, "line": i.line, "status": i.status, "standing": i.standing,
                          "owner": i.item.owner, "due": i.item.due, "opened": i.opened, "days_open": i.days_open,
                          "verified_by": vars(i.evidence) if i.evidence else None, "why": i.why}
                         for i in view.items],
        "findings": [f.to_dict() for f in view.findings],
    }


def _runbook_json(row: RunbookRow) -> dict[str, Any]:
    c = row.cadence
    last = c.last_live
    return {"id": row.id, "title": row.title, "path": row.path, "scenarios": row.scenarios,
            "live_drills": row.live_drills, "headless_plays": row.plays,
            "last_live": {"log": last.name, "date": last.date} if last else None,
            "changed_since_last_live": c.changed_since,
            "drill_every_days": c.every_days, "cadence_from": c.source,
            "next_due": c.next_due.isoformat() if c.next_due else None,
            "overdue_days": c.overdue_days, "never_drilled_live": c.never}
