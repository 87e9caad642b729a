"""Put the evidence of a period together from the folders and logs given (engine.evidence.gather's parts)."""

from __future__ import annotations

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
    read_logs,
)
from engine.evidence.period import Period


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
    pairs, unreadable = read_logs(given.logs, given.cache)
    now = current_files(runbooks, given.scenarios)
    drills, logs, left_out = [], [], 0
    for path, summary in pairs:
        if summary.started and not given.period.holds(summary.date):
            left_out += 1
            continue
        check = check_log(path, summary, now, given.key)
        logs.append(check)
        if summary.started:
            drills.append(Drill(summary, path, check))
    logs += [LogCheck(path.rsplit("/", 1)[-1], path, "", 0, False, f"cannot be read: {why}")
             for path, why in unreadable]
    for control in controls:
        wanted = set(control.runbooks)
        used = [d for d in drills if wanted & set(d.summary.runbooks)]
        control.drills = [d.name for d in used]
        control.live = sum(1 for d in used if d.counts)
    plans = read_plans(given.improvements)
    warnings += [f"{p.path} has problems and is left out; run `tabletop validate {p.path}`" for p in plans if not p.ok]
    every = [s for _, s in pairs if not s.started or s.date <= given.today.isoformat()]
    items = standings([p for p in plans if p.ok], every, step_targets(runbooks), given.today)
    evidence = Evidence(given.period, given.today, controls, drills, logs, items, left_out=left_out,
                        catalogues=known)
    link_items(drills, items)
    evidence.findings = findings(evidence)
    return evidence, warnings
