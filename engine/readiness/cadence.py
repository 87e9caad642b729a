"""Drill cadence: each runbook drilled live at least every `drill_every` (its own, else the settings'),
and the runbooks past it as `drill-overdue` findings CI can fail on."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from engine.findings import Finding
from engine.readiness.drills import DrillSummary
from engine.readiness.inputs import RunbookFile
from engine.rules.drill_overdue import RULE


@dataclass
class Cadence:
    runbook: str
    every_days: int | None  # None: no cadence set
    source: str | None  # "runbook" | "settings"
    last_live: DrillSummary | None  # the latest intact live drill of the runbook
    changed_since: bool | None  # the file differs from the one that drill ran with (None: never drilled)
    next_due: date | None
    overdue_days: int | None  # days past next_due (0 or more); None: not overdue or no cadence
    never: bool = False  # a cadence, and never drilled live


def cadences(runbooks: list[RunbookFile], drills: list[DrillSummary], every: int | None,
             today: date) -> list[Cadence]:
    """The cadence of each runbook, judged at `today` (`every`: the settings' drill_every, seconds)."""
    out = []
    for rb in runbooks:
        own = rb.model.drill_every
        seconds = own if own is not None else every
        days = max(1, math.ceil(seconds / 86400)) if seconds else None
        live = [d for d in drills if d.live and not d.problem and rb.id in d.runbooks and d.started]
        last = max(live, key=lambda d: (d.started or "", d.name)) if live else None
        cadence = Cadence(rb.id, days, ("runbook" if own is not None else "settings") if days else None, last,
                          last.runbooks[rb.id] != rb.sha256 if last else None, None, None)
        if days is not None:
            if last is None:
                cadence.never = True
                cadence.overdue_days = 0
            else:
                cadence.next_due = date.fromisoformat(last.date) + timedelta(days=days)
                if today > cadence.next_due:
                    cadence.overdue_days = (today - cadence.next_due).days
        out.append(cadence)
    return out


def findings(runbooks: list[RunbookFile], cadences_: list[Cadence]) -> list[Finding]:
    """A `drill-overdue` finding for each runbook past its cadence, at its `drill_every` or `runbook` line."""
    out = []
    for rb, cadence in zip(runbooks, cadences_, strict=True):
        if cadence.overdue_days is None or cadence.every_days is None:
            continue
        if cadence.never:
            message = f"runbook `{rb.id}` should be drilled live every {cadence.every_days} days and never has been"
        else:
            assert cadence.last_live is not None and cadence.next_due is not None
            message = (f"runbook `{rb.id}` was last drilled live {cadence.last_live.date}; its "
                       f"{cadence.every_days}-day cadence made it due {cadence.next_due}, "
                       f"{cadence.overdue_days} days ago")
        line, column = rb.cadence_at if cadence.source == "runbook" else (rb.line, 1)
        out.append(Finding(rb.path, line, column, RULE.id, RULE.severity, message,
                           "drill it live in the console (`tabletop drill SCENARIO`); headless plays do not count"))
    return out
