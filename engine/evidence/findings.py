"""What an evidence pack finds that CI can fail on: a control with no live drill in the period, an
improvement item overdue or marked done without a later drill verifying it, a log that does not verify
or whose files changed since its drill."""

from __future__ import annotations

from datetime import date

from engine.evidence.gather import Evidence
from engine.findings import Finding
from engine.rules import (
    control_undrilled,
    improvement_overdue,
    improvement_unverified,
    log_files_changed,
    log_unverified,
)


def findings(evidence: Evidence) -> list[Finding]:
    """Every finding, sorted by file, line and rule."""
    out = _controls(evidence) + _items(evidence) + _logs(evidence)
    return sorted(out, key=Finding.sort_key)


def _controls(evidence: Evidence) -> list[Finding]:
    rule, out = control_undrilled.RULE, []
    for control in evidence.controls:
        if control.live:
            continue
        drills = [evidence.drill(name) for name in control.drills]
        rehearsals = sum(1 for d in drills if d and d.summary.mode != "live")
        broken = sum(1 for d in drills if d and d.summary.live and not d.counts)
        seen = [f"{rehearsals} headless rehearsal{'s' if rehearsals != 1 else ''}"] if rehearsals else []
        seen += [f"{broken} live drill{'s' if broken != 1 else ''} whose log does not verify"] if broken else []
        tail = f" (not counted: {', '.join(seen)})" if seen else ""
        use = control.uses[0]
        out.append(Finding(use.path, use.line, use.column, rule.id, rule.severity,
                           f"control `{control.control}` had no live drill in {evidence.period}{tail}",
                           f"drill live a scenario with runbook `{use.runbook}` (`tabletop drill SCENARIO`); "
                           "headless plays are rehearsals, not exercises"))
    return out


def _items(evidence: Evidence) -> list[Finding]:
    out = []
    for standing in evidence.items:
        item = standing.item
        if item.status in ("open", "in-progress") and item.due and date.fromisoformat(item.due) < evidence.today:
            late = (evidence.today - date.fromisoformat(item.due)).days
            rule = improvement_overdue.RULE
            out.append(Finding(standing.path, standing.line, 1, rule.id, rule.severity,
                               f"improvement `{item.id}` was due {item.due}, {late} day{'s' if late != 1 else ''} "
                               f"ago, and is still {item.status}",
                               "do it and set `status: done`, or agree a new `due` date"))
        elif item.status in ("done", "verified") and standing.evidence is None:
            rule = improvement_unverified.RULE
            out.append(Finding(standing.path, standing.line, 1, rule.id, rule.severity,
                               f"improvement `{item.id}` is marked {item.status}, but no later live drill verified "
                               f"it: {standing.why}",
                               "drill it live again; a P or S rating of what it touches, or its steps within "
                               "target, verifies it"))
    return out


def _logs(evidence: Evidence) -> list[Finding]:
    out = []
    for check in evidence.logs:
        if not check.verified:
            rule = log_unverified.RULE
            said = "; ".join(part for part in (check.result if not check.result.startswith("verifies") else "",
                                               check.seal or "") if part)
            out.append(Finding(check.path, check.problem_line, 1, rule.id, rule.severity,
                               f"{check.name} {said}" if said.startswith(("does", "cannot")) else
                               f"{check.name}: {said}",
                               "`tabletop log verify LOG` names the first bad line; an edited log is not evidence"))
        if check.changed:
            rule = log_files_changed.RULE
            out.append(Finding(check.path, 1, 1, rule.id, rule.severity,
                               f"{check.name}: {', '.join(f'`{c}`' for c in check.changed)} changed since the "
                               "drill; its after-action report is read from the log alone",
                               "drill the changed files again; if changes after a drill are expected here, set "
                               "`severity = { log-files-changed = \"info\" }` in tabletop.toml"))
    return out
