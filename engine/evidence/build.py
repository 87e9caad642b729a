"""Put the evidence of a period together from the folders and logs given (engine.evidence.gather's parts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.evidence.gather import (
    Drill,
    Evidence,
    LogCheck,
    check_log,
    controls_of,
    current_files,
    link_items,
    ratings_for,
    read_logs,
)
from engine.evidence.period import Period
from engine.readiness.drills import one_log_a_drill


@dataclass
class Inputs:
    logs: list[str]  # the log files, in the order given
    runbooks: str  # folders
    scenarios: str
    improvements: str
    period: Period
    today: date
    cache: Any  # engine.readiness.cache.LogCache
    key: bytes | None = None  # a public key (PEM) to check seals with
    catalogues: tuple[Any, ...] = ()  # the project's own (engine.controls.catalogue.Catalogue)
    progress: Callable[[int, int], None] | None = None  # called (done, total) as the logs are read


def build(given: Inputs) -> tuple[Evidence, list[str]]:
    """The evidence, its findings judged at `given.today`, and warnings for the user (files left out)."""
    from engine.controls.catalogue import catalogues
    from engine.evidence.findings import findings
    from engine.improvement.files import read_plans
    from engine.improvement.status import standings
    from engine.readiness.inputs import read_runbooks, step_targets

    warnings: list[str] = []
    runbooks, broken = read_runbooks(given.runbooks)
    warnings += [f"{path} has errors and is left out; run `tabletop validate {path}`" for path in broken]
    known = catalogues(list(given.catalogues))
    controls = controls_of(runbooks, known)
    pairs, unreadable = read_logs(given.logs, given.cache, given.progress)
    now = current_files(runbooks, given.scenarios)
    drills, logs, left_out = [], [], 0
    kept = one_log_a_drill(pairs, given.logs)
    for path, summary in pairs:
        if summary.started and not given.period.holds(summary.date):
            left_out += 1
            continue
        check = check_log(path, summary, now, given.key)
        logs.append(check)
        first = kept.get(summary.drill_id, path) if summary.started else path
        if first != path:  # a copy, a link or a snapshot of a drill given under another name: counted once
            check.result += f"; the same drill as {first.rsplit('/', 1)[-1]}, counted once"
        elif summary.started:
            drills.append(Drill(summary, path, check))
    logs += [LogCheck(path.rsplit("/", 1)[-1], path, "", 0, False, f"cannot be read: {why}")
             for path, why in unreadable]
    for control in controls:
        wanted = set(control.runbooks)
        used = [d for d in drills if wanted & set(d.summary.runbooks)]
        control.drills = [d.name for d in used]
        control.live = sum(1 for d in used if d.counts)
        control.rated = sum(1 for d in used if d.counts and ratings_for(control, d.summary.ratings))
    plans = read_plans(given.improvements)
    warnings += [f"{p.path} has problems and is left out; run `tabletop validate {p.path}`" for p in plans if not p.ok]
    every = [s for path, s in pairs if not s.started or (s.date <= given.today.isoformat()
                                                          and kept.get(s.drill_id) == path)]  # each drill once
    items = standings([p for p in plans if p.ok], every, step_targets(runbooks), given.today)
    evidence = Evidence(given.period, given.today, controls, drills, logs, items, left_out=left_out,
                        catalogues=known)
    link_items(drills, items)
    evidence.findings = findings(evidence)
    return evidence, warnings

