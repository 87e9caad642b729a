"""Drill events as lines people read: `tabletop log show`, and play's progress on a terminal.

Everything in a log that a person typed (notes, rationales, reasons, names)
is printed as written, except control characters: a log is a file anyone may
have edited, and an escape sequence in a note must not repaint the terminal
or hide text (bidirectional overrides included).
"""

from __future__ import annotations

from typing import Any

from engine.drill import events as ev
from engine.drill.clock import format_t
from engine.terminal import escape


def line(event: ev.Event) -> str:
    """T+h:mm, wall time to the second, type, summary."""
    wall = escape(event.wall)
    if len(wall) == len("2026-01-22T19:33:00.000Z"):
        wall = wall[:19] + "Z"
    t = format_t(event.t) if isinstance(event.t, (int, float)) else escape(event.t)
    return f"{t:>8}  {wall}  {escape(event.type):<15}  {summary(event)}".rstrip()


def summary(event: ev.Event) -> str:
    """What the event says, in a few words."""
    data = event.data if isinstance(event.data, dict) else {}
    describe = _SUMMARIES.get(event.type)
    return describe(data) if describe else escape(_compact(data))


def _g(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else escape(value)


def _compact(data: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in data.items())


def _started(data: dict[str, Any]) -> str:
    raw_scenario, raw_runbooks = data.get("scenario"), data.get("runbooks")
    scenario: dict[str, Any] = raw_scenario if isinstance(raw_scenario, dict) else {}
    runbooks: list[Any] = raw_runbooks if isinstance(raw_runbooks, list) else []
    plural = "" if len(runbooks) == 1 else "s"
    out = f"scenario {escape(scenario.get('id'))}, {len(runbooks)} runbook{plural}, {_g(data, 'mode')}"
    if data.get("facilitator"):
        out += f", facilitator {_g(data, 'facilitator')}"
    participants = data.get("participants")
    if isinstance(participants, dict) and participants:
        out += ", " + ", ".join(f"{escape(r)}: {escape(n)}" for r, n in participants.items())
    return out


def _fired(data: dict[str, Any]) -> str:
    out = _g(data, "inject") + (" (fired by hand)" if data.get("manual") else "")
    if data.get("event"):
        out += f", event {_g(data, 'event')}"
    services = data.get("services")
    if isinstance(services, dict) and services:
        out += ", " + ", ".join(f"{escape(s)} {escape(h)}" for s, h in services.items())
    return out


def _decision(data: dict[str, Any]) -> str:
    out = f"{_g(data, 'step')} = {_g(data, 'option')}"
    if data.get("fell_to_default") is True:
        out += " (fell to the default: time ran out)"
    if data.get("by"):
        out += f" (by {_g(data, 'by')})"
    if data.get("rationale"):
        out += f": {_g(data, 'rationale')}"
    return out


def _note(data: dict[str, Any]) -> str:
    where = f" on {_g(data, 'step')}" if data.get("step") else ""
    by = f" (by {_g(data, 'by')})" if data.get("by") else ""
    return f"{_g(data, 'kind')}{where}{by}: {_g(data, 'text')}"


def _discussion(data: dict[str, Any]) -> str:
    by = f" (by {_g(data, 'by')})" if data.get("by") else ""
    return f"{_g(data, 'module')}/{_g(data, 'question')}{by}: {_g(data, 'text')}"


def _feedback(data: dict[str, Any]) -> str:
    who = ", ".join(_g(data, k) for k in ("name", "role", "organisation") if data.get(k)) or "anonymous"
    ratings, answers = data.get("ratings"), data.get("answers")
    parts = [f"{escape(k)} {escape(v)}" for k, v in (ratings.items() if isinstance(ratings, dict) else [])]
    parts += [f"{escape(k)}: {escape(v)}" for k, v in (answers.items() if isinstance(answers, dict) else [])]
    return f"from {who}" + (": " + "; ".join(parts) if parts else "")


def _rating(data: dict[str, Any]) -> str:
    out = f"{_g(data, 'objective')} {_g(data, 'rating')}"
    return out + (f": {_g(data, 'comment')}" if data.get("comment") else "")


def _jumped(data: dict[str, Any]) -> str:
    to = data.get("to")
    return f"to {format_t(to)}" if isinstance(to, (int, float)) and not isinstance(to, bool) else f"to {escape(to)}"


def _tally(data: dict[str, Any]) -> str:
    tally = data.get("tally")
    return f": {escape(_compact(tally))}" if isinstance(tally, dict) and tally else ""


def _proposed(data: dict[str, Any]) -> str:
    if data.get("step"):
        return f"{_g(data, 'option')} for {_g(data, 'step')}"
    return f"on {_g(data, 'module')} {_g(data, 'question')}"


def _by(data: dict[str, Any]) -> str:
    return f" (by {_g(data, 'by')})" if data.get("by") else ""


def _revised(data: dict[str, Any]) -> str:
    return f"{_g(data, 'step')} now = {_g(data, 'option')}{_by(data)}: {_g(data, 'reason')}"


def _adhoc(data: dict[str, Any]) -> str:
    roles = data.get("to")
    to = ", ".join(escape(r) for r in roles) if isinstance(roles, list) and roles else "the room"
    by = f", written by {_g(data, 'by')}" if data.get("by") else ""
    out = f"{_g(data, 'inject')} (ad hoc{by}) to {to}: {_g(data, 'text')}"
    if data.get("event"):
        out += f"; event {_g(data, 'event')}"
    services = data.get("services")
    if isinstance(services, dict) and services:
        out += "; " + ", ".join(f"{escape(s)} {escape(h)}" for s, h in services.items())
    return out


def away_text(seconds: float) -> str:
    """Wall time away as people read it: `45s`, `14m 05s`, `2h 03m`."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m {whole % 60:02d}s"
    return f"{whole // 3600}h {whole % 3600 // 60:02d}m"


def _gap(data: dict[str, Any]) -> str:
    away = data.get("away")
    span = away_text(away) if isinstance(away, (int, float)) and not isinstance(away, bool) else escape(away)
    since = escape(data.get("since"))
    since = since[:19] + "Z" if len(since) == len("2026-01-22T19:33:00.000Z") else since
    verdict = "counted: the clock moves on by it" if data.get("counted") is True else "not counted"
    return f"{span} away since the last event at {since}, {verdict}"


_SUMMARIES = {
    ev.STARTED: _started,
    ev.ENDED: lambda d: _g(d, "reason"),
    ev.INJECT_FIRED: _fired,
    ev.SERVICE_CHANGED: lambda d: f"{_g(d, 'service')} {_g(d, 'to')}",
    ev.STEP_STARTED: lambda d: _g(d, "step"),
    ev.STEP_DONE: lambda d: _g(d, "step"),
    ev.STEP_SKIPPED: lambda d: f"{_g(d, 'step')}: {_g(d, 'reason')}",
    ev.CHECK_TICKED: lambda d: f"{_g(d, 'step')} item {_g(d, 'item')} "
                               f"{'ticked' if d.get('checked', True) else 'unticked'}",
    ev.DECISION_MADE: _decision,
    ev.NOTE: _note,
    ev.CLOCK_PAUSED: lambda d: _g(d, "reason"),
    ev.CLOCK_RESUMED: lambda d: "",
    ev.CLOCK_JUMPED: _jumped,
    ev.HOTWASH_ANSWER: lambda d: f"{_g(d, 'question')} -> {_g(d, 'answer')}",
    ev.RATING: _rating,
    ev.DECISION_REVISED: _revised,
    ev.DECISION_AMENDED: lambda d: (f"{_g(d, 'step')} amended{_by(d)}: why now reads {_g(d, 'rationale')}, decided by "
                                    f"{_g(d, 'decided_by')}; reason: {_g(d, 'reason')}"),
    ev.INJECT_WITHDRAWN: lambda d: f"{_g(d, 'inject')} withdrawn{_by(d)}: {_g(d, 'reason')}",
    ev.STEP_REOPENED: lambda d: f"{_g(d, 'step')} reopened{_by(d)}: {_g(d, 'reason')}",
    ev.NOTE_AMENDED: lambda d: f"note #{_g(d, 'note')} now reads{_by(d)}: {_g(d, 'text')}",
    ev.NOTE_WITHDRAWN: lambda d: f"note #{_g(d, 'note')} withdrawn{_by(d)}: {_g(d, 'reason')}",
    ev.DISCUSSION_SUMMARY: _discussion,
    ev.INJECT_ADHOC: _adhoc,
    ev.CLOCK_GAP: _gap,
    ev.FEEDBACK_OPENED: lambda d: f"participant feedback form opened{_by(d)}",
    ev.FEEDBACK_CLOSED: lambda d: f"participant feedback form closed{_by(d)}",
    ev.FEEDBACK_SUBMITTED: _feedback,
    ev.SEAT_JOINED: lambda d: f"{_g(d, 'name')} joined as {_g(d, 'role')} (seat {_g(d, 'seat')})",
    ev.SEAT_LEFT: lambda d: f"seat {_g(d, 'seat')} left",
    ev.POLL_OPENED: lambda d: f"{_g(d, 'poll')} opened: {_g(d, 'text')}"
                              f"{' (' + escape(' / '.join(map(str, d['options']))) + ')' if d.get('options') else ''}",
    ev.POLL_ANSWERED: lambda d: f"{_g(d, 'poll')}: seat {_g(d, 'seat')} answered {_g(d, 'answer')}",
    ev.POLL_REVEALED: lambda d: f"{_g(d, 'poll')} shown on the projector{_by(d)}",
    ev.POLL_CLOSED: lambda d: f"{_g(d, 'poll')} closed, {_g(d, 'answered')} answered{_tally(d)}",
    ev.PROPOSAL_MADE: lambda d: f"seat {_g(d, 'seat')} proposes {_proposed(d)}: {_g(d, 'text')}",
    ev.PROPOSAL_TAKEN: lambda d: f"proposal {_g(d, 'proposal')} taken{_by(d)}",
    ev.DISCUSSION_AMENDED: lambda d: f"summary #{_g(d, 'summary')} now reads{_by(d)}: {_g(d, 'text')}",
    ev.DISCUSSION_WITHDRAWN: lambda d: f"summary #{_g(d, 'summary')} withdrawn{_by(d)}: {_g(d, 'reason')}",
}
