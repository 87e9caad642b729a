"""Where each improvement item stands, and whether a later live drill verified it.

An item marked `done` is verified by the first live drill (drill.started with
`mode: live`; headless plays never count) that started after both the drill
the item came from and the item's `completed` date, whose log verifies, and
that either rated an objective the item touches P or S, or completed a step it
touches within the step's `target` (scenario time from step.started to
step.done). Every figure comes from the plan files, the logs and the runbooks'
targets; `today` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.improvement.add import DRILL_ID_DIGITS
from engine.readiness.drills import DrillSummary

GOOD_RATINGS = ("P", "S")


@dataclass(frozen=True)
class Evidence:
    log: str  # file name of the log
    date: str  # YYYY-MM-DD the drill started
    line: int  # the rating's or step.done's line in the log
    what: str  # "objective admin-console-loss/provider-accountability rated S"


@dataclass
class ItemStanding:
    id: str
    path: str  # the plan file
    line: int  # where the item starts
    status: str  # as the file says
    standing: str  # open | in-progress | done | verified | wont-fix
    evidence: Evidence | None
    why: str  # what it waits for, or how it was verified
    opened: str | None  # YYYY-MM-DD of the drill it came from, when known
    days_open: int | None  # from `opened` to `completed` (done) or to today (still open)
    item: Any = None


def standing(item: Any, path: str, line: int, drills: list[DrillSummary], targets: dict[str, int | None],
             today: date) -> ItemStanding:
    """The standing of one item (engine.improvement.model.Item) given every drill, oldest first."""
    source = _source(item, drills)
    opened = source.date if source else None
    out = ItemStanding(item.id, path, line, item.status, item.status, None, "", opened,
                       _days_open(item, opened, today), item)
    if item.status in ("open", "in-progress"):
        out.why = f"not done yet (status {item.status})"
        return out
    if item.status == "wont-fix":
        out.why = f"won't fix: {item.reason}" if item.reason else "won't fix (no reason given)"
        return out
    links = [*item.touches.steps, *item.touches.objectives]
    if not links:
        out.why = "nothing to verify it by: add the steps or objectives it touches under `touches`"
        return out
    later = _later_live(drills, source, item.completed)
    for drill in later:
        evidence = _evidence(item, drill, targets)
        if evidence:
            out.standing, out.evidence = "verified", evidence
            out.why = f"verified by {evidence.log} ({evidence.date}), line {evidence.line}: {evidence.what}"
            return out
    if item.status == "verified":
        out.why = "verified, as the plan file says (no later live drill in the logs shows it)"
        return out
    out.why = _not_yet(item, drills, source, later, targets)
    return out


def _source(item: Any, drills: list[DrillSummary]) -> DrillSummary | None:
    finding = item.finding
    if finding is None:
        return None
    if finding.drill:
        prefix = finding.drill[:DRILL_ID_DIGITS]
        for drill in drills:
            if drill.drill_id.startswith(prefix):
                return drill
    name = finding.log.rsplit("/", 1)[-1]
    return next((d for d in drills if d.name == name), None)


def _days_open(item: Any, opened: str | None, today: date) -> int | None:
    if opened is None:
        return None
    try:
        start = date.fromisoformat(opened)
    except ValueError:
        return None
    if item.status in ("open", "in-progress"):
        return max((today - start).days, 0)
    if item.completed:
        return max((date.fromisoformat(item.completed) - start).days, 0)
    return None


def _later_live(drills: list[DrillSummary], source: DrillSummary | None, completed: str | None) -> list[DrillSummary]:
    """Live drills that verify and started after the source drill and on or after the completion date."""
    out = []
    for drill in drills:
        if not drill.live or drill.problem or not drill.started or drill is source:
            continue
        if source is not None and source.started and drill.started <= source.started:
            continue
        if completed and drill.date < completed:
            continue
        out.append(drill)
    return out


def _evidence(item: Any, drill: DrillSummary, targets: dict[str, int | None]) -> Evidence | None:
    for objective in item.touches.objectives:
        rated = drill.ratings.get(objective)
        if rated and rated[0] in GOOD_RATINGS:
            return Evidence(drill.name, drill.date, int(rated[1]), f"objective {objective} rated {rated[0]}")
    for step in item.touches.steps:
        done, target = drill.steps.get(step), targets.get(step)
        if done and done[0] is not None and target is not None and done[0] <= target:
            return Evidence(drill.name, drill.date, int(done[1]),
                            f"step {step} done in {_span(done[0])}, within its {_span(target)} target")
    return None


def _not_yet(item: Any, drills: list[DrillSummary], source: DrillSummary | None, later: list[DrillSummary],
             targets: dict[str, int | None]) -> str:
    dates = [d for d in (source.date if source else "", item.completed or "") if d]
    since = f" since {max(dates)}" if dates else ""
    if not later:
        plays = sum(1 for d in drills if not d.live and d is not source)
        extra = f" ({plays} headless play{'s do' if plays != 1 else ' does'} not count)" if plays else ""
        return f"done; waiting for a live drill{since}{extra}"
    last = later[-1]
    seen = [f"{o} rated {last.ratings[o][0]}" for o in item.touches.objectives if o in last.ratings]
    seen += [_step_seen(s, last, targets) for s in item.touches.steps if s in last.steps]
    shown = f"; in the latest ({last.name}): {', '.join(seen)}" if seen else ""
    count = f"{len(later)} later live drill{'s' if len(later) != 1 else ''}"
    return f"done; {count}{since}, none rated what it touches P or S or did its steps within target{shown}"


def _step_seen(step: str, drill: DrillSummary, targets: dict[str, int | None]) -> str:
    taken, target = drill.steps[step][0], targets.get(step)
    if taken is None:
        return f"{step} done but never started, so not timed"
    if target is None:
        return f"{step} done in {_span(taken)}, but it has no target"
    return f"{step} done in {_span(taken)} (target {_span(target)})"


def _span(seconds: float) -> str:
    minutes = int(round(seconds / 60))
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def standings(plans: list[Any], drills: list[DrillSummary], targets: dict[str, int | None],
              today: date) -> list[ItemStanding]:
    """Every item of the plan files (engine.improvement.files.PlanFile), in file then item order."""
    out = []
    for plan in plans:
        for index, item in enumerate(plan.items):
            line = plan.doc.where(plan.doc.in_file(("items", index, "id")))[0]
            out.append(standing(item, plan.path, line, drills, targets, today))
    return out
