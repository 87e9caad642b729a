"""How drill facts read on screen: user text made literal, states as a symbol and a word, times.

User text (titles, inject text, notes, names) is data. It reaches the screen
only through `literal`/`content`/`cell` (engine.tui.literal, re-exported here),
which never parse markup and turn control characters into visible symbols, so
`[bold]`, `[@click=app.quit]` or an ANSI escape in a runbook shows as typed and
does nothing.
"""

from __future__ import annotations

from engine.drill.state import StepStatus
from engine.tui.literal import cell as cell
from engine.tui.literal import content as content
from engine.tui.literal import literal as literal

# A symbol and a word for each state, so the table reads without colour.
STATE_GLYPH = {
    StepStatus.DORMANT: "·",
    StepStatus.WAITING: "…",
    StepStatus.READY: "○",
    StepStatus.ACTIVE: "▶",
    StepStatus.DONE: "✓",
    StepStatus.SKIPPED: "↷",
    StepStatus.BLOCKED: "✗",
}
STATE_STYLE = {
    StepStatus.DORMANT: "dim",
    StepStatus.WAITING: "",
    StepStatus.READY: "bold",
    StepStatus.ACTIVE: "bold reverse",
    StepStatus.DONE: "dim",
    StepStatus.SKIPPED: "dim strike",
    StepStatus.BLOCKED: "bold red",
}
STATE_MEANING = {
    StepStatus.DORMANT: "a branch not opened yet (by an option, fallback or event)",
    StepStatus.WAITING: "opened; a step it needs is not done or skipped",
    StepStatus.READY: "all it needs is done: the team can start it",
    StepStatus.ACTIVE: "the team is working on it",
    StepStatus.DONE: "finished",
    StepStatus.SKIPPED: "skipped by the facilitator, or a branch not taken",
    StepStatus.BLOCKED: "a service it requires is down; its fallback opens",
}
HEALTH_GLYPH = {"up": "✓", "degraded": "~", "down": "✗"}
HEALTH_STYLE = {"up": "", "degraded": "bold yellow", "down": "bold red"}

def clock(seconds: float) -> str:
    """Scenario time with seconds: T+0:12:05."""
    whole = max(0, int(seconds))
    return f"T+{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def countdown(seconds: float) -> str:
    """Time left: 2:26, 1:02:26."""
    whole = max(0, int(seconds + 0.999))  # round up: "0:00" only once it is due
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def elapsed(seconds: float) -> str:
    """Time spent, with its units so it never reads as a clock: 45s, 20m 01s, 1h 02m."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    if hours:
        return f"{hours}h {rest // 60:02d}m"
    return f"{rest // 60}m {rest % 60:02d}s" if rest >= 60 else f"{rest}s"


def span(seconds: float | None) -> str:
    """A duration at a glance: 45s, 12m, 1h, 1h05."""
    if seconds is None:
        return "–"
    whole = max(0, int(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m"
    minutes = whole % 3600 // 60
    return f"{whole // 3600}h{minutes:02d}" if minutes else f"{whole // 3600}h"


def state_label(status: StepStatus) -> str:
    return f"{STATE_GLYPH[status]} {status.value}"
