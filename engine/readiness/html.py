"""The readiness view as one self-contained HTML page: inline CSS and SVG charts, no script, nothing
fetched. Every piece of user text is HTML-escaped; the same view gives the same bytes."""

from __future__ import annotations

import re
from html import escape

from engine.readiness import charts
from engine.readiness.text import due, last_drilled, summary_line
from engine.readiness.view import Readiness

_CSS = """
body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;color:#222;margin:2rem auto;max-width:980px;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.lede{color:#555;margin-top:0}.tiles{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.tile{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.tile b{display:block;font-size:1.6rem}.tile.bad b{color:#c62828}.tile.good b{color:#1b7a3a}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin-top:.6rem}
th,td{border-bottom:1px solid #eee;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}td.n{text-align:right}code{font-size:.85rem}.late{color:#c62828;font-weight:bold}
td code,.s{white-space:nowrap}
.r{display:inline-block;width:1.3em;text-align:center;color:#fff;border-radius:3px;font-weight:bold;margin-right:1px}
.rP{background:#1b7a3a}.rS{background:#7cb342}.rM{background:#f0a030}.rU{background:#c62828}
svg{max-width:100%;height:auto;margin-top:.5rem}.muted{color:#777}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}svg,table{break-inside:avoid}}
"""


def html(view: Readiness) -> str:
    e = escape
    overdue = sum(1 for r in view.runbooks if r.cadence.overdue_days is not None)
    open_items = sum(1 for i in view.items if i.standing in ("open", "in-progress"))
    verified = sum(1 for i in view.items if i.standing == "verified")
    live = sum(1 for d in view.drills if d.live and not d.problem)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Readiness as of {view.as_of}</title><style>{_CSS}</style></head><body>",
           f"<h1>Readiness as of {view.as_of}</h1>", f'<p class="lede">{e(summary_line(view))}.</p>',
           '<div class="tiles">',
           _tile("live drills", live, ""), _tile("runbooks overdue", overdue, "bad" if overdue else "good"),
           _tile("items open", open_items, "bad" if open_items else "good"), _tile("items verified", verified, "good"),
           "</div>"]
    out += _runbooks(view) + _objectives(view) + _items(view) + _findings(view) + _logs(view)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _tile(label: str, value: int, tone: str) -> str:
    return f'<div class="tile {tone}"><b>{value}</b>{escape(label)}</div>'


def _runbooks(view: Readiness) -> list[str]:
    e = escape
    rows = ["<h2>Runbooks: when each was last drilled live</h2>", charts.cadence(view.runbooks, view.as_of.isoformat()),
            "<table><tr><th>runbook</th><th>scenarios</th><th>live drills</th><th>headless plays</th>"
            "<th>last live drill</th><th>cadence</th></tr>"]
    for r in view.runbooks:
        late = ' class="late"' if r.cadence.overdue_days is not None else ""
        log = f'<br><span class="muted s">{e(r.cadence.last_live.name)}</span>' if r.cadence.last_live else ""
        rows.append(f"<tr><td><code>{e(r.id)}</code><br>{e(r.title)}</td>"
                    f"<td>{'<br>'.join(f'<code>{e(s)}</code>' for s in r.scenarios)}</td>"
                    f'<td class="n">{r.live_drills}</td><td class="n">{r.plays}</td>'
                    f"<td>{e(last_drilled(r))}{log}</td><td{late}>{e(due(r))}</td></tr>")
    return rows + ["</table>"]


def _objectives(view: Readiness) -> list[str]:
    e = escape
    which = "live drills and headless plays (hollow)" if view.include_headless else "live drills"
    rows = [f"<h2>Objectives: P/S/M/U ratings across {which}</h2>", charts.trend(view.objectives),
            "<table><tr><th>objective</th><th>ratings, oldest first</th><th>trend</th></tr>"]
    for o in view.objectives:
        ratings = "".join(f'<span class="r r{p.rating}" title="{e(p.date)} {e(p.log)}">{p.rating}</span>'
                          for p in o.points) or '<span class="muted">not rated</span>'
        rows.append(f"<tr><td><code>{e(o.key)}</code><br>{e(o.text)}</td><td>{ratings}</td><td>{o.direction}</td></tr>")
    return rows + ["</table>"]


def _items(view: Readiness) -> list[str]:
    e = escape
    rows = ["<h2>Improvement plan</h2>"]
    if not view.items:
        return rows + ['<p class="muted">No improvement items (<code>tabletop plan add LOG</code>).</p>']
    rows += [charts.items(view.items), "<table><tr><th>item</th><th>standing</th><th>days open</th><th>owner</th>"
             "<th>due</th><th>verification</th></tr>"]
    for i in view.items:
        late = i.standing in ("open", "in-progress") and i.item.due and i.item.due < view.as_of.isoformat()
        due = f'<td class="s{" late" if late else ""}">{e(i.item.due or "")}</td>'
        rows.append(f'<tr><td><code>{e(i.id)}</code></td><td class="s">{e(i.standing)}</td>'
                    f'<td class="n">{"" if i.days_open is None else i.days_open}</td><td>{e(i.item.owner or "")}</td>'
                    f"{due}<td>{e(i.why)}</td></tr>")
    return rows + ["</table>"]


def _findings(view: Readiness) -> list[str]:
    e = escape
    if not view.findings:
        return []
    return ["<h2>Findings</h2><ul>"] + [
        f"<li><code>{e(f.path)}:{f.line}</code> {e(f.severity.value)}: {_code(f.message)} "
        f"(<code>{e(f.rule)}</code>)</li>"
        for f in view.findings] + ["</ul>"]


def _code(message: str) -> str:
    """A finding's message with its `ids` set as code; escaped first, so nothing in it becomes markup."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(message))


def _logs(view: Readiness) -> list[str]:
    e = escape
    out = [f'<h2>Drill logs</h2><p>{len(view.drills) + len(view.unreadable)} read from <code>{e(view.logs_folder)}'
           "</code>. Only live drills (the console) count as drilled; headless plays are rehearsals.</p>"]
    skipped = [(d.name, d.problem or "") for d in view.flagged] + view.unreadable
    if skipped:
        out += ["<ul>"] + [f"<li>not counted: <code>{e(n)}</code>: {e(w)}</li>" for n, w in skipped] + ["</ul>"]
    return out
