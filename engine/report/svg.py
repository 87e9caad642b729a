"""Inline SVG charts drawn in Python: no JavaScript, no fonts or images fetched, nothing but shapes and text.

`timeline` is a Gantt chart of the steps against scenario time, with injects as
numbered vertical lines, decisions as diamonds and clock jumps as bands.
`runbook_graph` lays a runbook out in layers (networkx topological
generations) and highlights the path taken; branches not taken are greyed.
All text is XML-escaped and stripped of characters XML cannot hold, bidirectional
controls spelled out (engine/printed.py) as in the rest of the HTML report.
"""

from __future__ import annotations

import math
import re

from engine.printed import neutral
from engine.report import model as m
from engine.report.layout import NODE_H, NODE_W, layered

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def text(value: object) -> str:
    """Text or an attribute value, safe inside an SVG element."""
    text = neutral(_NOT_XML.sub("", str(value)))  # xml.sax.saxutils.escape's replacements, without importing urllib
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def hm(seconds: float) -> str:
    whole = int(seconds)
    return f"T+{whole // 3600}:{whole % 3600 // 60:02d}"


# ----- the timeline (Gantt) -----

# Sized so that A4 portrait prints it at about nine tenths of its size: labels stay readable on paper.
_ROW = 16
_LABEL_W = 232
_WIDTH = 780
_PLOT_X = _LABEL_W + 8
_PLOT_W = _WIDTH - _PLOT_X - 30
_COLOURS = {"work": "#2f62b0", "over": "#c0392b", "wait": "#c9d3e0", "blocked": "#e8912d",
            "inject": "#7a8594", "decision": "#d4a017", "jump": "#eef0f3", "grid": "#e4e7eb"}


def timeline(report: m.Report) -> str:
    """The Gantt chart of the drill, or '' when no step did anything."""
    rows = _timeline_rows(report)
    if not rows:
        return ""
    fig = report.figures
    end = max(fig.scenario_end_t, 60.0) if math.isfinite(fig.scenario_end_t) else 60.0
    span = _nice_span(end)

    def x(t: float) -> float:
        return round(_PLOT_X + _PLOT_W * max(0.0, min(t, span)) / span, 1)

    injects = [e for e in report.timeline if e.kind == "inject"]
    marks = _inject_marks(injects, x)
    header = 26 + 14 * max((len(stack) for stack in marks.values()), default=1)
    legend_rows = (len(injects) + 2) // 3
    height = header + _ROW * len(rows) + 62 + 16 * legend_rows + 30
    top, bottom = header, header + _ROW * len(rows)
    out = [_open_svg(_WIDTH, height, "Timeline of the drill: steps against scenario time")]
    out.append(f'<rect x="0" y="0" width="{_WIDTH}" height="{height}" fill="#ffffff"/>')
    for jump in (e for e in report.timeline if e.kind == "clock" and e.what == "jumped"):
        to = jump.value if jump.value is not None else jump.t
        out.append(f'<rect x="{x(jump.t)}" y="{top}" width="{max(x(to) - x(jump.t), 1)}" height="{bottom - top}" '
                   f'fill="{_COLOURS["jump"]}"><title>{text(f"clock jumped from {hm(jump.t)} to {hm(to)}")}'
                   '</title></rect>')
        # Under the axis labels: inside the plot it ran into the runbook headings of the first rows.
        out.append(f'<text x="{(x(jump.t) + x(to)) / 2}" y="{bottom + 27}" font-size="9" fill="#5b6573" '
                   f'text-anchor="middle">clock jumped</text>')
    out += _axis(span, x, top, bottom)
    out += _inject_lines(marks, top, bottom)
    for index, row in enumerate(rows):
        out += _row(report, row, top + index * _ROW, x, end)
    out.append(f'<line x1="{x(end)}" y1="{top - 4}" x2="{x(end)}" y2="{bottom}" stroke="#1d2733" '
               'stroke-width="1.2"/>')
    out += _timeline_legend(injects, bottom + 50)
    out.append("</svg>")
    return "\n".join(out)


def _nice_span(end: float) -> float:
    hour = 3600.0
    return end if end <= hour else -(-end // hour) * hour


def _timeline_rows(report: m.Report) -> list[tuple[str, object]]:
    """("group", runbook title) and ("step", StepMetrics) rows for every step that did anything."""
    rows: list[tuple[str, object]] = []
    for runbook in report.overview.runbooks:
        steps = [s for s in report.steps if s.runbook == runbook.id
                 and (s.ready_t is not None or s.started_t is not None or s.done_t is not None or s.blocked)]
        if steps:
            rows.append(("group", runbook.title))
            rows += [("step", s) for s in steps]
    return rows


def _inject_marks(injects: list[m.TimelineEntry], x) -> dict[float, list[tuple[int, m.TimelineEntry]]]:  # type: ignore[no-untyped-def]
    """Injects by the x of their line; lines closer than a label's width share one stack of numbers."""
    marks: dict[float, list[tuple[int, m.TimelineEntry]]] = {}
    last = None
    for number, inject in enumerate(injects, start=1):
        at = x(inject.t)
        if last is not None and at - last < 15:
            marks[last].append((number, inject))
            continue
        marks[at] = [(number, inject)]
        last = at
    return marks


def _axis(span: float, x, top: int, bottom: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Grid lines every hour (or less for short drills), labelled no closer than a label is wide.

    At most _MAX_GRID_LINES lines whatever the span, so no loop here follows a value's magnitude.
    """
    step = _grid_step(span)
    every = max(1, math.ceil(58 * span / (_PLOT_W * step)) - 1)  # about right; the loop below settles it
    while x(step * every) - x(0) < 58 and every <= _MAX_GRID_LINES:
        every += 1
    out = []
    for n in range(int(span // step) + 1):
        t = n * step
        out.append(f'<line x1="{x(t)}" y1="{top}" x2="{x(t)}" y2="{bottom}" stroke="{_COLOURS["grid"]}"/>')
        if n % every == 0:
            out.append(f'<text x="{x(t)}" y="{bottom + 13}" font-size="10" fill="#4a5361" '
                       f'text-anchor="middle">{hm(t)}</text>')
    out.append(f'<text x="{_PLOT_X - 26}" y="{bottom + 13}" font-size="10" fill="#4a5361" '
               'text-anchor="end">scenario time</text>')
    return out


_MAX_GRID_LINES = 60
_STEPS = (600.0, 1800.0, 3600.0, 7200.0, 6 * 3600.0, 12 * 3600.0, 86400.0, 2 * 86400.0, 7 * 86400.0,
          14 * 86400.0, 28 * 86400.0, 91 * 86400.0, 182 * 86400.0, 364 * 86400.0)


def _grid_step(span: float) -> float:
    """Seconds between grid lines: ten minutes for short drills up to two hours, more for drills of days."""
    step = 3600.0 if span > 3 * 3600 else 1800.0 if span > 3600 else 600.0
    if span > 16 * 3600:
        step = 7200.0
    for bigger in _STEPS:
        if span / step <= _MAX_GRID_LINES:
            return step
        step = max(step, bigger)
    return step if span / step <= _MAX_GRID_LINES else span / _MAX_GRID_LINES


def _inject_lines(marks: dict[float, list[tuple[int, m.TimelineEntry]]], top: int, bottom: int) -> list[str]:
    out = []
    for at, stack in marks.items():
        out.append(f'<line x1="{at}" y1="{top - 2}" x2="{at}" y2="{bottom}" stroke="{_COLOURS["inject"]}" '
                   'stroke-dasharray="3,3" stroke-width="1"/>')
        for level, (number, inject) in enumerate(stack):
            cy = top - 10 - 14 * level
            tip = text(f"inject {number}: {inject.subject} at {hm(inject.t)}")
            out.append(f'<g><title>{tip}</title><circle cx="{at}" cy="{cy}" r="6.5" fill="#ffffff" '
                       f'stroke="{_COLOURS["inject"]}"/><text x="{at}" y="{cy + 3.2}" font-size="8.5" '
                       f'text-anchor="middle" fill="#1d2733">{number}</text></g>')
    return out


def _work_bars(s: m.StepMetrics, x, mid: float, end: float) -> list[str]:  # type: ignore[no-untyped-def]
    """A started step's times at work (each one, for a reopened step, not the wait between) and its overrun."""
    assert s.started_t is not None
    out = []
    stop = s.done_t if s.done_t is not None else (s.skipped_t if s.skipped_t is not None else end)
    for begin, finish in s.intervals[:-1]:
        a = begin or 0.0
        b = a if finish is None else finish
        out.append(_bar(x(a), x(b), mid - 6, 12, _COLOURS["work"], f"worked: {hm(a)} to {hm(b)}, then reopened"))
    since = (s.intervals[-1][0] or 0.0) if s.intervals else s.started_t
    out.append(_bar(x(since), x(stop), mid - 6, 12, _COLOURS["work"], f"worked: {hm(since)} to "
                    f"{hm(stop)}" + ("" if s.done_t is not None else " (not finished)")))
    if s.over_target and s.over_target > 0 and s.done_t is not None:
        out.append(_bar(x(max(s.done_t - s.over_target, since)), x(s.done_t), mid - 6, 12,
                        _COLOURS["over"], "over target"))
    return out


def _row(report: m.Report, row: tuple[str, object], y: int, x, end: float) -> list[str]:  # type: ignore[no-untyped-def]
    kind, value = row
    mid = y + _ROW / 2
    if kind == "group":
        return [f'<text x="2" y="{mid + 4}" font-size="10.5" font-weight="bold" fill="#1d2733">'
                f'{text(clip(str(value), 90))}</text>']
    s: m.StepMetrics = value  # type: ignore[assignment]
    tip = f"{s.title} ({s.status})"
    out = [f'<text x="12" y="{mid + 3.5}" font-size="10" fill="#2b3440"><title>{text(tip)}</title>'
           f'{text(clip(s.title, 38))}</text>']
    picked = s.started_t if s.started_t is not None else s.done_t
    if s.ready_t is not None:
        until = picked if picked is not None else (s.skipped_t if s.skipped_t is not None else end)
        if until > s.ready_t:
            out.append(_bar(x(s.ready_t), x(until), mid - 3, 6, _COLOURS["wait"], f"waiting to be picked up: "
                            f"{hm(s.ready_t)} to {hm(until)}"))
    if s.started_t is not None:
        out += _work_bars(s, x, mid, end)
    elif s.done_t is not None and not any(d.step == s.key for d in report.decisions):
        out.append(f'<circle cx="{x(s.done_t)}" cy="{mid}" r="3.5" fill="{_COLOURS["work"]}"/>')
    spans = [(a or 0.0, end if b is None else b) for a, b in s.blocked]
    for since, till in spans:  # blocked while still waiting on other steps: a thin line only
        out.append(_bar(x(since), x(till), mid - 1, 2, _COLOURS["blocked"], "a service it requires was down "
                        f"while it waited on other steps, {hm(since)} to {hm(till)}"))
    spans = [(a or 0.0, end if b is None else b) for a, b in s.held]
    for since, till in spans:
        out.append(_bar(x(since), x(till), mid - 6, 12, _COLOURS["blocked"], "blocked: a service it requires "
                        f"was down, {hm(since)} to {hm(till)}"))
    if s.skipped_t is not None and s.skipped_by == "facilitator":
        sx = x(s.skipped_t)
        out.append(f'<path d="M{sx - 4},{mid - 4} L{sx + 4},{mid + 4} M{sx - 4},{mid + 4} L{sx + 4},{mid - 4}" '
                   'stroke="#5b6573" stroke-width="1.8"><title>skipped by the facilitator</title></path>')
    for decision in (d for d in report.decisions if d.step == s.key):
        dx = x(decision.t)
        out.append(f'<path d="M{dx},{mid - 7} L{dx + 7},{mid} L{dx},{mid + 7} L{dx - 7},{mid} Z" '
                   f'fill="{_COLOURS["decision"]}" stroke="#7a5d00"><title>'
                   f'{text("decision: " + decision.label)}</title></path>')
        out.append(f'<text x="{dx + 10}" y="{mid + 4}" font-size="9.5" fill="#5c4600">'
                   f'{text(clip(decision.option, 30))}</text>')
    return out


def _bar(x1: float, x2: float, y: float, h: float, colour: str, tip: str, opacity: float = 1.0) -> str:
    width = max(round(x2 - x1, 1), 1.5)
    extra = f' fill-opacity="{opacity}"' if opacity != 1.0 else ""
    return (f'<rect x="{x1}" y="{y}" width="{width}" height="{h}" rx="1.5" fill="{colour}"{extra}>'
            f"<title>{text(tip)}</title></rect>")


def _timeline_legend(injects: list[m.TimelineEntry], y: int) -> list[str]:
    out = []
    keys = [("work", "worked on"), ("over", "over target"), ("wait", "ready, not yet picked up"),
            ("blocked", "blocked (service down)")]
    lx = 4
    for colour, label in keys:
        out.append(f'<rect x="{lx}" y="{y - 9}" width="14" height="10" fill="{_COLOURS[colour]}"/>')
        out.append(f'<text x="{lx + 19}" y="{y}" font-size="10" fill="#2b3440">{label}</text>')
        lx += 24 + 6 * len(label)
    out.append(f'<path d="M{lx + 7},{y - 11} L{lx + 14},{y - 4} L{lx + 7},{y + 3} L{lx},{y - 4} Z" '
               f'fill="{_COLOURS["decision"]}" stroke="#7a5d00"/>')
    out.append(f'<text x="{lx + 19}" y="{y}" font-size="10" fill="#2b3440">decision</text>')
    lx += 80
    out.append(f'<path d="M{lx},{y - 8} L{lx + 8},{y} M{lx},{y} L{lx + 8},{y - 8}" stroke="#5b6573" '
               'stroke-width="1.8"/>')
    out.append(f'<text x="{lx + 13}" y="{y}" font-size="10" fill="#2b3440">skipped by the facilitator</text>')
    column = _WIDTH / 3
    for index, inject in enumerate(injects):
        cx = 10 + column * (index % 3)
        cy = y + 22 + 16 * (index // 3)
        out.append(f'<circle cx="{cx}" cy="{cy - 3.5}" r="6.5" fill="#ffffff" stroke="{_COLOURS["inject"]}"/>')
        out.append(f'<text x="{cx}" y="{cy - 0.5}" font-size="8.5" text-anchor="middle">{index + 1}</text>')
        out.append(f'<text x="{cx + 12}" y="{cy}" font-size="10" fill="#2b3440">{hm(inject.t)}  '
                   f'{text(clip(inject.subject, 40))}</text>')
    return out


# ----- the runbook graph -----

_NODE_STYLE = {
    "done": ("#e3f1e8", "#2e7d4f", "2", "", "#173d28"),
    "active": ("#e6eefb", "#2f62b0", "2", "", "#17325c"),
    "skipped": ("#f4f5f7", "#b8bec7", "1", "4,3", "#8a929e"),
    "dormant": ("#f4f5f7", "#b8bec7", "1", "4,3", "#8a929e"),
    "blocked": ("#fff4e5", "#e8912d", "1.5", "", "#5c3a0b"),
}
_OPEN_STYLE = ("#ffffff", "#8a94a3", "1.2", "", "#2b3440")  # waiting or ready when the log ends


def runbook_graph(graph: m.RunbookGraph, index: int = 0) -> str:
    """One runbook's steps in layers, the path taken drawn strong and the rest greyed."""
    if not graph.nodes:
        return ""
    edges = [e for e in graph.edges if e.source != e.target]
    layout = layered([n.key for n in graph.nodes], [(e.source, e.target) for e in edges])
    width = max(layout.width, 560.0)
    shift = (width - layout.width) / 2
    height = layout.height + 30
    arrow = f"arrow-{index}"
    out = [_open_svg(width, height, f"The steps of {graph.title}, with the path taken highlighted"),
           "<defs>" + "".join(
               f'<marker id="{arrow}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
               f'markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 Z" '
               f'fill="{colour}"/></marker>' for name, colour in (("on", "#1f4e79"), ("off", "#b8bec7"))) + "</defs>",
           f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>',
           f'<g transform="translate({shift:g},0)">']
    labelled: set[tuple[str, str | None, str]] = set()
    drawn = sorted(zip(edges, layout.routes, strict=True), key=lambda pair: pair[0].taken)  # taken ones on top
    for edge, route in drawn:
        out += _edge(edge, route, arrow, labelled)
    for node in graph.nodes:
        out += _node(node, *layout.boxes[node.key])
    out.append("</g>")
    out += _graph_legend(height - 12)
    out.append("</svg>")
    return "\n".join(out)


def _node(node: m.GraphNode, x: float, y: float) -> list[str]:
    fill, stroke, width, dash, ink = _NODE_STYLE.get(node.status, _OPEN_STYLE)
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    rx = 17 if node.kind == "decision" else 4
    lines = _wrap(node.id, 22)
    tip = f"{node.title} ({node.status})" + (f", opens on event {node.on}" if node.on else "")
    out = [f"<g><title>{text(tip)}</title>",
           f'<rect x="{x:g}" y="{y:g}" width="{NODE_W:g}" height="{NODE_H:g}" rx="{rx}" fill="{fill}" '
           f'stroke="{stroke}" stroke-width="{width}"{dashes}/>']
    first = y + NODE_H / 2 + 4 - 6 * (len(lines) - 1)
    for i, line in enumerate(lines):
        out.append(f'<text x="{x + NODE_W / 2:g}" y="{first + 12 * i:g}" font-size="10.5" text-anchor="middle" '
                   f'fill="{ink}">{text(line)}</text>')
    if node.kind == "event":
        out.append(f'<text x="{x + 4:g}" y="{y - 3:g}" font-size="8.5" fill="#5b6573">'
                   f"on {text(clip(node.on or '', 24))}</text>")
    out.append("</g>")
    return out


def _wrap(label: str, width: int) -> list[str]:
    if len(label) <= width:
        return [label]
    cut = label.rfind("-", 0, width)
    cut = cut + 1 if cut > 0 else width
    return [label[:cut], clip(label[cut:], width)]


def _edge(edge: m.GraphEdge, route: list[tuple[float, float]], arrow: str,
          labelled: set[tuple[str, str | None, str]]) -> list[str]:
    if len(route) < 2:
        return []
    (x1, y1) = route[0]
    parts = [f"M{x1:g},{y1:g}"]
    for (ax, ay), (bx, by) in zip(route, route[1:], strict=False):
        if ax == bx:
            parts.append(f"L{bx:g},{by:g}")
        else:  # leave and enter vertically, so arrows meet the boxes square
            mid = (ay + by) / 2
            parts.append(f"C{ax:g},{mid:g} {bx:g},{mid:g} {bx:g},{by:g}")
    colour, width = ("#1f4e79", "2") if edge.taken else ("#c3c9d1", "1.2")
    dash = "" if edge.taken else ' stroke-dasharray="5,4"'  # the legend's promise: dashed means not taken
    marker = f"url(#{arrow}-{'on' if edge.taken else 'off'})"
    out = [f'<path d="{" ".join(parts)}" fill="none" stroke="{colour}" stroke-width="{width}"{dash} '
           f'marker-end="{marker}"/>']
    key = (edge.source, edge.option, edge.kind)
    if edge.kind in ("option", "fallback") and key not in labelled:
        labelled.add(key)  # one label per option, however many steps it opens
        label = edge.option if edge.kind == "option" else "fallback"
        (ax, ay), (bx, by) = route[0], route[1]
        ink = "#1f4e79" if edge.taken else "#8a929e"
        at = f'x="{(ax + bx) / 2 + 5:g}" y="{(ay + by) / 2 + 3:g}" font-size="9"'
        words = text(clip(label or "", 24))
        # A white halo drawn as its own text underneath: paint-order is not understood everywhere (WeasyPrint).
        out.append(f'<text {at} fill="#ffffff" stroke="#ffffff" stroke-width="3">{words}</text>')
        out.append(f'<text {at} fill="{ink}">{words}</text>')
    return out


def _graph_legend(y: float) -> list[str]:
    out = []
    items = [("done", "done"), ("active", "still active"), ("blocked", "blocked"), ("open", "opened, not done"),
             ("skipped", "not taken or skipped")]
    lx = 16.0
    for status, label in items:
        fill, stroke, width, dash, _ = _NODE_STYLE.get(status, _OPEN_STYLE)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<rect x="{lx}" y="{y - 9}" width="16" height="11" rx="2" fill="{fill}" stroke="{stroke}" '
                   f'stroke-width="{width}"{dashes}/>')
        out.append(f'<text x="{lx + 21}" y="{y}" font-size="9.5" fill="#2b3440">{label}</text>')
        lx += 30 + 5.6 * len(label)
    return out


def _open_svg(width: float, height: float, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
            f'width="{width:g}" height="{height:g}" role="img" aria-label="{text(label)}" '
            f'font-family="{FONT}">')
