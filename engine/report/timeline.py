"""The report's timeline: injects, service changes, decisions, step transitions and clock changes, in log order,
each with its scenario time and its wall time."""

from __future__ import annotations

from collections.abc import Callable

from engine.drill import events as ev
from engine.drill.clock import format_t
from engine.drill.narrate import away_text
from engine.drill.plan import Plan, PlanStep
from engine.drill.replay import Played, ServiceChange, Transition
from engine.drill.state import DrillState, StepStatus
from engine.drill.words import cut, decision_words
from engine.report import model as m
from engine.report.sections import DEFAULT_DECISION, title_of


def timeline(plan: Plan, played: Played) -> list[m.TimelineEntry]:
    """The entries in log order: each event's own (from `played.events`), then the service changes and step
    transitions it caused (`played.services`, `played.transitions`, which carry their event's times, so
    the events that only move things, service changes among them, need not be kept)."""
    state = played.state
    out: list[m.TimelineEntry] = []
    moves: dict[int, list[ServiceChange | Transition]] = {}
    for change in played.services:
        moves.setdefault(change.seq, []).append(change)
    for transition in played.transitions:
        moves.setdefault(transition.seq, []).append(transition)
    decided = {d.seq: d for d in state.decisions.values()}
    texts = {n.seq: n.text for n in state.notes}  # a corrected note is named by its text, not its number
    kept = {event.seq: event for event in played.events}
    for seq in sorted(kept.keys() | moves.keys()):
        event = kept.get(seq)
        payload = played.payload(event) if event is not None else None
        entry = (_event_entry(plan, event, payload, decided, texts) if event is not None and payload is not None
                 else None)
        if entry is not None:
            out.append(entry)
        for move in moves.get(seq, []):
            if isinstance(move, ServiceChange):
                # service.changed events are folded, not kept: a change with no kept event was set by hand
                by_hand = ", set by hand" if event is None or event.type == ev.SERVICE_CHANGED else ""
                out.append(m.TimelineEntry(move.seq, move.t, move.wall, "service", "changed", move.service,
                                           move.service, f"{move.before} → {move.after}{by_hand}"))
            else:
                line = _step_entry(plan, state, payload, move)
                if line is not None:
                    out.append(line)
    return out


def _event_entry(plan: Plan, event: ev.Event, payload: ev.Payload, decided: dict,  # type: ignore[type-arg]
                 texts: dict[int, str]) -> m.TimelineEntry | None:
    def entry(kind: str, what: str, subject: str = "", title: str = "", detail: str = "",
              value: float | None = None) -> m.TimelineEntry:
        return m.TimelineEntry(event.seq, event.t, event.wall, kind, what, subject, title, detail, value)

    scenario = plan.scenario
    match payload:
        case ev.Started():
            return entry("drill", "started", scenario.scenario, scenario.title)
        case ev.Ended(reason=reason):
            return entry("drill", "ended", scenario.scenario, scenario.title, str(reason or ""))
        case ev.InjectFired():
            return _inject_entry(plan, payload, entry)
        case ev.InjectAdhoc():
            return entry("inject", "fired ad hoc", payload.inject, payload.text, _adhoc_detail(payload))
        case ev.ClockGap():
            return _gap_entry(event, payload, entry)
        case ev.DecisionMade(step=key, option=option):
            record = decided.get(event.seq)
            step = plan.steps[key]
            suffix = " (first option, by default)" if record and record.rationale.startswith(DEFAULT_DECISION) else ""
            return entry("decision", "made", key, step.title, step.labels.get(option, option) + suffix)
        case (ev.DecisionRevised() | ev.DecisionAmended() | ev.InjectWithdrawn() | ev.StepReopened()
              | ev.NoteAmended() | ev.NoteWithdrawn()):
            subject, said = _corrected(payload)
            corrected = plan.steps.get(subject)
            note = getattr(payload, "note", None)
            title = corrected.title if corrected else (f"“{cut(texts[note])}”" if note in texts else "")
            return entry("correction", _CORRECTIONS[event.type], subject, title, said)
        case ev.ClockPaused(reason=reason):
            return entry("clock", "paused", detail=str(reason or ""))
        case ev.ClockResumed():
            return entry("clock", "resumed")
        case ev.ClockJumped(to=to):
            target = float(to)
            return entry("clock", "jumped", detail=f"to {format_t(target)}, skipping {_hours(target - event.t)}",
                         value=target)
    return None


def _inject_entry(plan: Plan, fired: ev.InjectFired, entry: Callable[..., m.TimelineEntry]) -> m.TimelineEntry:
    inject = plan.inject(fired.inject)
    to = f"to {inject.to}" if inject and inject.to else ""
    title = inject.title if inject and inject.title else fired.inject
    if fired.due is not None:  # passed by a clock jump: its own time, and that it came late
        late = f"due {format_t(fired.due)}, fired late when the clock jumped past it"
        return entry("inject", "fired late", fired.inject, title, "; ".join(p for p in (to, late) if p))
    return entry("inject", "fired by hand" if fired.manual else "fired", fired.inject, title, to)


def _corrected(payload: ev.Payload) -> tuple[str, str]:
    """What a correction is about (a step, an inject, `note #N`) and what it says (the new option, the new
    text, or why)."""
    match payload:
        case ev.DecisionRevised(step=step, option=option, reason=reason):
            return step, option or reason
        case ev.DecisionAmended(step=step, rationale=rationale, decided_by=decided_by):
            return step, decision_words(rationale, decided_by)
        case ev.InjectWithdrawn(inject=inject, reason=reason):
            return inject, reason
        case ev.StepReopened(step=step, reason=reason):
            return step, reason
        case ev.NoteAmended(note=note, text=text):
            return f"note #{note}", text
        case ev.NoteWithdrawn(note=note, reason=reason):
            return f"note #{note}", reason
    return "", ""


def _adhoc_detail(adhoc: ev.InjectAdhoc) -> str:
    parts = ["written during the drill" + (f" by {adhoc.by}" if adhoc.by else "")]
    parts.append("to " + (", ".join(adhoc.to) or "the whole room"))
    if adhoc.services:
        parts.append(", ".join(f"{s} {h}" for s, h in adhoc.services.items()))
    if adhoc.event:
        parts.append(f"event {adhoc.event}")
    return "; ".join(parts)


def _gap_entry(event: ev.Event, gap: ev.ClockGap, entry: Callable[..., m.TimelineEntry]) -> m.TimelineEntry:
    since = gap.since[:19].replace("T", " ")
    away = away_text(float(gap.away))
    if gap.counted:
        target = event.t + float(gap.away)
        return entry("clock", "time away counted",
                     detail=f"{away} since the last event at {since} UTC before the drill stopped; the clock moves "
                            f"to {format_t(target)}", value=target)
    return entry("clock", "time away not counted",
                 detail=f"{away} since the last event at {since} UTC before the drill stopped; the clock stays at "
                        f"{format_t(event.t)}")


_CORRECTIONS = {ev.DECISION_REVISED: "decision revised", ev.DECISION_AMENDED: "decision amended",
                ev.INJECT_WITHDRAWN: "inject withdrawn",
                ev.STEP_REOPENED: "step reopened", ev.NOTE_AMENDED: "note amended", ev.NOTE_WITHDRAWN: "note withdrawn"}


def _hours(seconds: float) -> str:
    """A skipped stretch of scenario time: `12m` under an hour (`0h01m` read as nothing), else `1h50m`."""
    whole = int(seconds)
    if whole < 3600:
        return f"{whole // 60}m" if whole >= 60 else f"{whole}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def _step_entry(plan: Plan, state: DrillState, payload: ev.Payload | None, move: Transition
                ) -> m.TimelineEntry | None:
    key, was, now = move.key, move.before, move.after
    step = plan.steps[key]
    what, detail = "", ""
    if now is StepStatus.ACTIVE and was is not StepStatus.BLOCKED:
        what = "started"
    elif now is StepStatus.DONE and not step.options:
        what = "done"
    elif now is StepStatus.SKIPPED:
        record = state.steps[key]
        what, detail = "skipped", str(record.skip_reason or "")
    elif now is StepStatus.BLOCKED:
        what, detail = "blocked", ", ".join(move.down) + " down" if move.down else ""
    elif was is StepStatus.BLOCKED and now is not StepStatus.DONE:
        what = "unblocked"
    elif step.branch and was is StepStatus.DORMANT and now in (StepStatus.WAITING, StepStatus.READY):
        what, detail = "opened", _how_opened(plan, state, step, payload)
    if not what:
        return None
    return m.TimelineEntry(move.seq, move.t, move.wall, "step", what, key, step.title, detail)


def _how_opened(plan: Plan, state: DrillState, step: PlanStep, payload: ev.Payload | None) -> str:
    for opener in step.openers:
        if opener.kind == "event" and isinstance(payload, ev.InjectFired) and payload.event == opener.source:
            return f"event {opener.source}"
        if opener.kind == "event" and isinstance(payload, ev.InjectAdhoc) and payload.event == opener.source:
            return f"event {opener.source}, from ad-hoc inject {payload.inject}"
        if opener.kind == "next" and isinstance(payload, ev.DecisionMade) and payload.step == opener.source:
            return f"option {opener.option} of {title_of(plan, opener.source)}"
        if opener.kind == "fallback":
            return f"fallback while {title_of(plan, opener.source)} is blocked"
    return ""
