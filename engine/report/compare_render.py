"""A Comparison (engine.report.compare) as Markdown, HTML or JSON: the parting first, then one table per
difference. Every text from a log is escaped for its format; nothing here reads a file."""

from __future__ import annotations

import html
import json
from typing import Any

from engine.drill.clock import format_t
from engine.report.compare import Comparison
from engine.report.markdown import escape

Table = tuple[str, list[str], list[list[str]], str]  # title, header, rows, what an empty table means


def _t(seconds: float | None, never: str = "never") -> str:
    return never if seconds is None else format_t(seconds)


def _evidence(value: list[Any]) -> str:
    rating, steps = value
    done = ", ".join(f"{key} {status}" for key, status in steps)
    return (f"rated {rating}; " if rating else "not rated; ") + (done or "no steps")


def parting(c: Comparison) -> list[str]:
    """The lines that say where the drills part, in words (plain text)."""
    if c.same:
        return ["The two drills do not part: every event after drill.started is the same."]
    p = c.parting
    lines = [f"They part at event seq:{p.seq}: A has {_event(p.a)}; B has {_event(p.b)}."]
    if p.decision:
        lines.append(f"The decision behind it: {p.decision}, {p.options[0] or 'not made'} in A and "
                     f"{p.options[1] or 'not made'} in B.")
    else:
        lines.append("No decision differs: the drills part on timing, a correction or an action of the team.")
    return lines


def _event(shown: dict[str, Any] | None) -> str:
    if shown is None:
        return "no event (its log ends before)"
    data = shown["data"]
    what = data.get("step") or data.get("inject") or data.get("service") or data.get("text") or ""
    option = f" = {data['option']}" if "option" in data else ""
    return f"{shown['type']} {what}{option} at {format_t(shown['t'])}".replace("  ", " ")


def tables(c: Comparison) -> list[Table]:
    return [
        ("Decisions", ["decision", "A", "B"], [[k, x or "not made", y or "not made"] for k, x, y in c.decisions],
         "no decision made in either drill"),
        ("Steps done, skipped or blocked in one drill only", ["step", "A", "B"],
         [[k, _status(x), _status(y)] for k, x, y in c.steps], "every step ends the same in both"),
        ("When each runbook finished", ["runbook", "A", "B"],
         [[k, _t(x, "not finished"), _t(y, "not finished")] for k, x, y in c.runbooks], "no runbooks"),
        ("When each service came back", ["service", "A", "B"],
         [[k, _t(x, "still down"), _t(y, "still down")] for k, x, y in c.services], "no service went down"),
        ("Injects fired in one drill only", ["inject", "fired in"], [[i, side] for i, side in c.injects],
         "the same injects fired in both"),
        ("Objectives whose evidence differs", ["objective", "A", "B"],
         [[k, _evidence(x), _evidence(y)] for k, x, y in c.objectives], "the evidence of every objective is "
         "the same"),
        ("Drill time used", ["A", "B"], [[format_t(c.a.used), format_t(c.b.used)]], ""),
    ]


def _heading(c: Comparison) -> list[tuple[str, str, str]]:
    """Each side: its letter, its log, and what it is a fork of ("" for none)."""
    return [(name, side.log, f"a fork of {side.fork['log']} at {side.fork['at']}" if side.fork else "")
            for name, side in (("A", c.a), ("B", c.b))]


def _status(status: str) -> str:
    return "never opened" if status == "dormant" else status


def render_markdown(c: Comparison) -> str:
    out = [f"# Two drills of {escape(c.scenario)} compared", ""]
    out += [f"- **{name}**: {escape(log)}" + (f" ({escape(fork)})" if fork else "") for name, log, fork in _heading(c)]
    out += ["", "## Where they part", ""]
    out += [escape(line) for line in parting(c)] + [""]
    for title, header, rows, empty in tables(c):
        out += [f"## {title}", ""]
        if not rows:
            out += [f"_{escape(empty)}_", ""]
            continue
        out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(escape(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


def render_html(c: Comparison) -> str:
    e = html.escape
    out = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Two drills of {e(c.scenario)} compared</title>",
           "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
           "td,th{border:1px solid #999;padding:.2em .5em;text-align:left}</style></head><body>",
           f"<h1>Two drills of {e(c.scenario)} compared</h1><ul>"]
    out += [f"<li><strong>{name}</strong>: {e(log)}" + (f" ({e(fork)})" if fork else "") + "</li>"
            for name, log, fork in _heading(c)]
    out += ["</ul><h2>Where they part</h2>"] + [f"<p>{e(line)}</p>" for line in parting(c)]
    for title, header, rows, empty in tables(c):
        out.append(f"<h2>{e(title)}</h2>")
        if not rows:
            out.append(f"<p><em>{e(empty)}</em></p>")
            continue
        out.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
        out += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in rows]
        out.append("</table>")
    return "\n".join([*out, "</body></html>", ""])


def render_json(c: Comparison) -> str:
    return json.dumps({"compare": 1, **c.to_json()}, ensure_ascii=False, indent=2) + "\n"
