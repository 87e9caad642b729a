"""The readiness page's charts as inline SVG: shapes and text only, nothing fetched, no script.

Each chart is a function of the view alone, so the same view draws the same bytes.
All text goes through `t()` (XML-escaped, with characters XML cannot hold removed).
"""

from __future__ import annotations

from engine.improvement.status import ItemStanding
from engine.readiness.view import ObjectiveTrend, RunbookRow
from engine.report.svg import clip
from engine.report.svg import text as t

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
RATING_COLOUR = {"P": "#1b7a3a", "S": "#7cb342", "M": "#f0a030", "U": "#c62828"}
STANDING_COLOUR = {"open": "#c62828", "in-progress": "#f0a030", "done": "#5c8fd6", "verified": "#1b7a3a",
                   "wont-fix": "#9e9e9e"}
_LABEL_W, _ROW, _PLOT_W = 250, 24, 430


def _open(width: int, height: int, label: str) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{t(label)}" font-family="{FONT}" font-size="12">')


def _label(x: float, y: float, value: str, anchor: str = "end", weight: str = "normal", fill: str = "#222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{t(value)}</text>')


def cadence(rows: list[RunbookRow], as_of: str) -> str:
    """Days since each runbook's last live drill as a bar, its cadence as a tick; red past it."""
    from datetime import date

    today = date.fromisoformat(as_of)
    since = {r.id: (today - date.fromisoformat(r.cadence.last_live.date)).days if r.cadence.last_live else None
             for r in rows}
    scale_max = max([v for v in since.values() if v is not None] + [r.cadence.every_days or 0 for r in rows] + [30])
    scale_max = int(scale_max * 1.15) + 1
    height = 40 + _ROW * len(rows) + 24
    out = [_open(_LABEL_W + _PLOT_W + 120, height, "Days since each runbook was last drilled live")]
    x = lambda days: _LABEL_W + _PLOT_W * min(days, scale_max) / scale_max  # noqa: E731
    out += _axis(x, scale_max, 28, 28 + _ROW * len(rows), "days since the last live drill")
    for n, row in enumerate(rows):
        y = 34 + n * _ROW
        out.append(_label(_LABEL_W - 8, y + 12, clip(row.id, 34)))
        days, every = since[row.id], row.cadence.every_days
        late = row.cadence.overdue_days is not None
        if days is None:
            out.append(f'<rect x="{_LABEL_W}" y="{y + 2}" width="{_PLOT_W}" height="{_ROW - 8}" fill="#f3f3f3" '
                       f'stroke="{"#c62828" if late else "#bbb"}" stroke-dasharray="4 3"/>')
            out.append(_label(_LABEL_W + 8, y + 13, "never drilled live", "start", fill="#c62828" if late else "#666"))
        else:
            colour = "#c62828" if late else "#1b7a3a" if every else "#5c8fd6"
            out.append(f'<rect x="{_LABEL_W}" y="{y + 2}" width="{max(x(days) - _LABEL_W, 2):.1f}" '
                       f'height="{_ROW - 8}" fill="{colour}"><title>{t(f"{row.id}: {days} days")}</title></rect>')
            out.append(_label(x(days) + 6, y + 13, f"{days}d", "start"))
        if every:
            out.append(f'<line x1="{x(every):.1f}" x2="{x(every):.1f}" y1="{y}" y2="{y + _ROW - 4}" '
                       f'stroke="#222" stroke-width="2"><title>{t(f"cadence: every {every} days")}</title></line>')
    out.append(_legend(height - 12, [("#1b7a3a", "within cadence"), ("#c62828", "overdue"),
                                     ("#5c8fd6", "no cadence set")], tick="cadence"))
    return "\n".join(out + ["</svg>"])


def _axis(x, span: int, top: int, bottom: int, title: str) -> list[str]:  # type: ignore[no-untyped-def]
    step = next(s for s in (1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365, 730, 1825, 3650, 10**9) if span / s <= 8)
    out = [_label(_LABEL_W + _PLOT_W / 2, 10, title, "middle", fill="#555")]
    for days in range(0, span + 1, step):
        out.append(f'<line x1="{x(days):.1f}" x2="{x(days):.1f}" y1="{top}" y2="{bottom}" stroke="#e4e4e4"/>')
        out.append(_label(x(days), top - 2, str(days), "middle", fill="#777"))
    return out


def _legend(y: float, entries: list[tuple[str, str]], tick: str | None = None) -> str:
    parts, x = [], float(_LABEL_W)
    for colour, name in entries:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(_label(x + 14, y, name, "start", fill="#444"))
        x += 24 + 7 * len(name)
    if tick:
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 11}" y2="{y + 2}" stroke="#222" stroke-width="2"/>')
        parts.append(_label(x + 6, y, tick, "start", fill="#444"))
    return "\n".join(parts)


def trend(objectives: list[ObjectiveTrend]) -> str:
    """Each rated objective's ratings across drills: a column a drill date, a coloured dot a rating."""
    rated = [o for o in objectives if o.points]
    dates = sorted({p.date for o in rated for p in o.points})
    if not rated:
        return ""
    col = min(48, max(18, _PLOT_W // max(len(dates), 1)))
    width = _LABEL_W + col * len(dates) + 40
    height = 60 + _ROW * len(rated) + 24
    out = [_open(max(width, _LABEL_W + 360), height, "Objective ratings across drills, oldest first")]
    for n, day in enumerate(dates):
        cx = _LABEL_W + col * n + col / 2
        if len(dates) <= 12 or n % max(1, len(dates) // 12) == 0:
            out.append(f'<text transform="translate({cx:.1f},50) rotate(-45)" font-size="10" fill="#666">'
                       f'{t(day[2:])}</text>')
    for n, objective in enumerate(rated):
        y = 58 + n * _ROW
        out.append(_label(_LABEL_W - 8, y + 12, clip(objective.key, 36)))
        out.append(f'<line x1="{_LABEL_W}" x2="{_LABEL_W + col * len(dates)}" y1="{y + 8}" y2="{y + 8}" '
                   'stroke="#eee"/>')
        for point in objective.points:
            cx = _LABEL_W + col * dates.index(point.date) + col / 2
            fill = RATING_COLOUR[point.rating] if point.live else "#fff"
            stroke = RATING_COLOUR[point.rating]
            tip = f"{point.date} {point.rating} ({point.log}{'' if point.live else ', headless'})"
            out.append(f'<g><title>{t(tip)}</title><circle cx="{cx:.1f}" cy="{y + 8}" r="8" fill="{fill}" '
                       f'stroke="{stroke}" stroke-width="2"/>'
                       f'<text x="{cx:.1f}" y="{y + 12}" text-anchor="middle" font-size="10" font-weight="bold" '
                       f'fill="{"#fff" if point.live else stroke}">{point.rating}</text></g>')
    out.append(_legend(height - 12, [(RATING_COLOUR[r], f"{r}") for r in "PSMU"]))
    return "\n".join(out + ["</svg>"])


def items(rows: list[ItemStanding]) -> str:
    """Days each improvement item has been (or was) open, coloured by where it stands."""
    shown = [r for r in rows if r.days_open is not None]
    if not shown:
        return ""
    scale_max = max([r.days_open or 0 for r in shown] + [14])
    scale_max = int(scale_max * 1.1) + 1
    height = 40 + _ROW * len(shown) + 24
    x = lambda days: _LABEL_W + _PLOT_W * days / scale_max  # noqa: E731
    out = [_open(_LABEL_W + _PLOT_W + 120, height, "Days each improvement item has been open")]
    out += _axis(x, scale_max, 28, 28 + _ROW * len(shown), "days open")
    for n, row in enumerate(shown):
        y = 34 + n * _ROW
        days = row.days_open or 0
        out.append(_label(_LABEL_W - 8, y + 12, clip(row.id, 34)))
        tip = t(f"{row.id}: {row.standing}, {days} days")
        colour = STANDING_COLOUR.get(row.standing, "#999")
        out.append(f'<rect x="{_LABEL_W}" y="{y + 2}" width="{max(x(days) - _LABEL_W, 2):.1f}" height="{_ROW - 8}" '
                   f'fill="{colour}"><title>{tip}</title></rect>')
        out.append(_label(x(days) + 6, y + 13, f"{days}d {row.standing}", "start", fill="#444"))
    out.append(_legend(height - 12, [(c, s) for s, c in STANDING_COLOUR.items()]))
    return "\n".join(out + ["</svg>"])
