"""The report's corrections: each correction event beside the event it corrects, both with their times and who.

A correction never rewrites what the report shows from the original event;
this section says what was corrected, when, by whom and why.
"""

from __future__ import annotations

from engine.drill import events as ev
from engine.drill.plan import Plan
from engine.drill.replay import Played
from engine.drill.words import cut, decision_words
from engine.report import model as m

_KIND = {
    ev.DECISION_REVISED: "decision revised",
    ev.DECISION_AMENDED: "decision amended",
    ev.INJECT_WITHDRAWN: "inject withdrawn",
    ev.STEP_REOPENED: "step reopened",
    ev.NOTE_AMENDED: "note amended",
    ev.NOTE_WITHDRAWN: "note withdrawn",
    ev.DISCUSSION_AMENDED: "discussion summary amended",
    ev.DISCUSSION_WITHDRAWN: "discussion summary withdrawn",
}


def _corrects(event: ev.Event, correction: ev.Event) -> bool:
    """Whether `event` is what `correction` corrects (the latest such event before it is the one)."""
    data, said = event.data, correction.data
    match correction.type:
        case ev.DECISION_REVISED | ev.DECISION_AMENDED:
            return event.type in _DECIDED and data.get("step") == said.get("step")
        case ev.INJECT_WITHDRAWN:
            return event.type in (ev.INJECT_FIRED, ev.INJECT_ADHOC) and data.get("inject") == said.get("inject")
        case ev.STEP_REOPENED:
            return event.type in (ev.STEP_DONE, ev.STEP_SKIPPED) and data.get("step") == said.get("step")
        case ev.DISCUSSION_AMENDED | ev.DISCUSSION_WITHDRAWN:
            return event.seq == said.get("summary")
        case _:
            return event.seq == said.get("note")


def _original(played: Played, correction: ev.Event) -> ev.Event | None:
    """The event `correction` corrects. A note is not kept among the events the report folds (fold_log's
    `skip`): its original is made again from the state's record of it, which keeps the note as first
    written (amendments are corrections beside it)."""
    if correction.type in (ev.NOTE_AMENDED, ev.NOTE_WITHDRAWN):
        note = next((n for n in played.state.notes if n.seq == correction.data.get("note")), None)
        if note is not None and note.seq < correction.seq:
            return ev.Event(note.seq, played.wall_of(note.seq), note.t, ev.NOTE, {"text": note.text, "by": note.by})
    earlier = (e for e in reversed(played.events) if e.seq < correction.seq)
    return next((e for e in earlier if _corrects(e, correction)), None)


_DECIDED = (ev.DECISION_MADE, ev.DECISION_REVISED, ev.DECISION_AMENDED)


def _rationale(event: ev.Event) -> tuple[str, str]:
    """(rationale, who decided) as a decision event left them: a revision's reason is its rationale."""
    data = event.data
    if event.type == ev.DECISION_AMENDED:
        return str(data.get("rationale") or ""), str(data.get("decided_by") or "")
    return str(data.get("rationale") or data.get("reason") or ""), str(data.get("by") or "")


def _said(event: ev.Event | None, correction: ev.Event) -> str:
    if event is None:
        return ""
    data = event.data
    if correction.type == ev.DECISION_AMENDED and event.type in _DECIDED:
        return decision_words(*_rationale(event))
    match event.type:
        case ev.DECISION_MADE | ev.DECISION_REVISED:
            return str(data.get("option", ""))
        case ev.DECISION_AMENDED:
            return str(data.get("rationale", ""))
        case ev.STEP_DONE:
            return "done"
        case ev.STEP_SKIPPED:
            return f"skipped: {data.get('reason', '')}"
        case ev.INJECT_FIRED:
            return "fired by hand" if data.get("manual") else "fired"
        case ev.INJECT_ADHOC:
            return f"written ad hoc: {data.get('text', '')}"
        case _:
            return str(data.get("text", ""))


def _why(event: ev.Event | None) -> str:
    """Why the corrected decision was taken: its rationale, or the reason of the revision it was."""
    if event is None or event.type not in _DECIDED:
        return ""
    return _rationale(event)[0]


def _now(correction: ev.Event) -> str:
    data = correction.data
    match correction.type:
        case ev.DECISION_REVISED:
            return str(data.get("option", ""))
        case ev.DECISION_AMENDED:
            return decision_words(str(data.get("rationale", "")), str(data.get("decided_by", "")))
        case ev.NOTE_AMENDED | ev.DISCUSSION_AMENDED:
            return str(data.get("text", ""))
        case ev.STEP_REOPENED:
            return "open again"
        case _:
            return "withdrawn"


def _was_by(original: ev.Event | None) -> str:
    """Who said what the correction corrects (for a decision, who decided it)."""
    if original is None:
        return ""
    if original.type in _DECIDED:
        return _rationale(original)[1]
    return str(original.data.get("by") or "")


def _title(plan: Plan, subject: str, original: ev.Event | None) -> str:
    """The corrected thing as people read it: a step's or inject's title, a note's or summary's text (cut)."""
    if step := plan.steps.get(subject):
        return step.title
    if inject := plan.inject(subject):
        return inject.title or ""
    text = original.data.get("text") if original is not None else None
    return f"“{cut(text)}”" if isinstance(text, str) and text else ""


def _numbered(data: dict[str, object]) -> str:
    """`note #12` or `summary #14`: the corrected event by its seq."""
    return f"summary #{data.get('summary')}" if "summary" in data else f"note #{data.get('note')}"


def corrections(plan: Plan, played: Played) -> list[m.CorrectionItem]:
    """Every correction in the log, in log order, with the original it corrects ([] when there is none)."""
    out = []
    for event in (e for e in played.events if e.type in _KIND):
        original = _original(played, event)
        subject = str(event.data.get("step") or event.data.get("inject") or _numbered(event.data))
        out.append(m.CorrectionItem(
            seq=event.seq, t=event.t, wall=event.wall, kind=_KIND[event.type], subject=subject,
            title=_title(plan, subject, original), was=_said(original, event),
            was_t=original.t if original else None, was_wall=original.wall if original else "",
            was_by=_was_by(original), now=_now(event),
            reason=str(event.data.get("reason") or ""), by=str(event.data.get("by") or ""),
            was_why="" if event.type == ev.DECISION_AMENDED else _why(original),  # `was` names it
        ))
    return out
