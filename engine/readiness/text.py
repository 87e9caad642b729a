"""The readiness view for a terminal and for GitHub (Markdown). User text is data: one line, no control
characters on a terminal; escaped in Markdown."""

from __future__ import annotations

from engine.readiness.view import Readiness, RunbookRow
from engine.terminal import replaced


def plain(value: object) -> str:
    """One line, each control or format character replaced (engine.terminal.replaced)."""
    return replaced(value)


def last_drilled(row: RunbookRow) -> str:
    last = row.cadence.last_live
    if last is None:
        return "never drilled live"
    changed = " (changed since)" if row.cadence.changed_since else ""
    return f"last live {last.date}{changed}"


def due(row: RunbookRow) -> str:
    c = row.cadence
    if c.every_days is None:
        return "no cadence"
    if c.never:
        return f"every {c.every_days}d: OVERDUE (never)"
    if c.overdue_days is not None:
        return f"every {c.every_days}d: OVERDUE by {c.overdue_days}d"
    return f"every {c.every_days}d: due {c.next_due}"


def summary_line(view: Readiness) -> str:
    live = sum(1 for d in view.drills if d.live and not d.problem)
    plays = sum(1 for d in view.drills if not d.live and not d.problem)
    overdue = sum(1 for r in view.runbooks if r.cadence.overdue_days is not None)
    open_items = sum(1 for i in view.items if i.standing in ("open", "in-progress"))
    verified = sum(1 for i in view.items if i.standing == "verified")
    return (f"{live} live drill{'s' if live != 1 else ''}, {plays} headless play{'s' if plays != 1 else ''}; "
            f"{overdue} of {len(view.runbooks)} runbooks overdue; {len(view.items)} improvement "
            f"item{'s' if len(view.items) != 1 else ''} ({open_items} open, {verified} verified)")


def text(view: Readiness) -> str:
    out = [f"Readiness as of {view.as_of}: {summary_line(view)}", "", "Runbooks"]
    width = max([len(r.id) for r in view.runbooks] or [0])
    for row in view.runbooks:
        out.append(f"  {plain(row.id):<{width}}  {last_drilled(row):<34}  {due(row)}")
    out += ["", "Objectives (P S M U, oldest first" + (", headless plays too)" if view.include_headless else ")")]
    width = max([len(o.key) for o in view.objectives] or [0])
    for trend in view.objectives:
        ratings = " ".join(p.rating for p in trend.points) or "not rated"
        arrow = {"better": "  ↑", "worse": "  ↓", "same": "  ="}.get(trend.direction, "")
        out.append(f"  {plain(trend.key):<{width}}  {ratings}{arrow}")
    out += ["", "Improvement items"]
    if not view.items:
        out.append("  none (tabletop plan add LOG)")
    for item in view.items:
        days = f"{item.days_open}d" if item.days_open is not None else "-"
        out.append(f"  {plain(item.id)}  {item.standing:<11} {days:>5}  {plain(item.why)}")
    out += _logs_lines(view)
    if view.findings:
        out += ["", "Findings"]
        out += [f"  {f.path}:{f.line}:{f.column}: {f.severity.value}: {plain(f.message)} [{f.rule}]"
                for f in view.findings]
    return "\n".join(out) + "\n"


def _logs_lines(view: Readiness) -> list[str]:
    lines = ["", f"Drill logs in {plain(view.logs_folder)}: {len(view.drills) + len(view.unreadable)} read"]
    lines += [f"  not counted: {plain(d.name)}: {plain(d.problem)}" for d in view.flagged[:20]]
    lines += [f"  not read: {plain(name)}: {plain(why)}" for name, why in view.unreadable[:20]]
    by_ids = sum(1 for d in view.drills if not d.problem and d.plan_from == "log")
    if by_ids:
        lines.append(f"  {by_ids} counted by the ids the log names (the runbook or scenario files it names are not "
                     "at hand or have changed; `--format json` says why, under logs.read_by_ids)")
    return lines


def markdown(view: Readiness) -> str:
    from engine.report.markdown import escape

    out = [f"# Readiness as of {view.as_of}", "", escape(summary_line(view)) + ".", "", "## Runbooks", "",
           "| runbook | scenarios | live drills | last live drill | cadence |", "|---|---|--:|---|---|"]
    for r in view.runbooks:
        out.append(f"| `{r.id}` {escape(r.title)} | {', '.join(f'`{s}`' for s in r.scenarios)} | {r.live_drills} | "
                   f"{escape(last_drilled(r))} | {escape(due(r))} |")
    out += ["", "## Objectives", "", "| objective | ratings, oldest first | latest | trend |", "|---|---|---|---|"]
    for o in view.objectives:
        ratings = " ".join(f"{p.rating}" for p in o.points) or "not rated"
        out.append(f"| `{o.key}` {escape(o.text)} | {ratings} | {o.latest or ''} | {o.direction} |")
    out += ["", "## Improvement items", "", "| item | standing | days open | owner | due | |",
            "|---|---|--:|---|---|---|"]
    for i in view.items:
        out.append(f"| `{i.id}` | {i.standing} | {'' if i.days_open is None else i.days_open} | "
                   f"{escape(i.item.owner or '')} | {i.item.due or ''} | {escape(i.why)} |")
    if view.findings:
        out += ["", "## Findings", ""]
        out += [f"- `{f.path}:{f.line}` {f.severity.value}: {escape(f.message)} (`{f.rule}`)" for f in view.findings]
    return "\n".join(out) + "\n"
