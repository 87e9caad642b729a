"""What each seat sees, as plain data for the templates and the live stream.

The participant (and projector) seat sees only what the team would hear in
the room: the clock, the injects that have fired as read aloud (`say`, to
whom, when), the service board, the current module's situation and
discussion questions where the scenario has modules (the module under way
by the console's own rule, engine.drill.modules.view), and whether the
participant feedback form is open (never what anyone answered), and the timed decisions counting down
(the question, the time left and the option taken when it runs out, as the facilitator would announce
them). Nothing here ever reads an inject's `expect`, an unfired inject, a note or a decision made for
that seat. The
evaluator seat sees the objectives with the steps that test them and their
live state (an EEG per objective), the injects fired with the response
expected, and the observations recorded so far, each with its author.
"""

from __future__ import annotations

from typing import Any

from engine.drill import events as ev
from engine.drill import modules, timed
from engine.drill.state import DrillState


def clock_text(seconds: float) -> str:
    """T+0:12:05."""
    whole = max(0, int(seconds))
    return f"T+{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def fired_inject(state: DrillState, inject_id: str) -> dict[str, Any]:
    """An inject as the room hears it: id, say, to, t and its clock text, and `early`: for an inject that
    came before its own module began, "ahead of its module, during <the module under way>" (never the
    later module's name), else "". Never `expect`."""
    inject = state.inject(inject_id)  # a scenario inject, or one written during the drill
    fired = state.fired.get(inject_id)
    t = fired.t if fired else 0.0
    return {"id": inject_id, "say": (inject.say if inject else None) or "", "to": (inject.to if inject else None) or "",
            "t": t, "at": clock_text(t), "early": _early(state, inject_id)}


def _early(state: DrillState, inject_id: str) -> str:
    came = next((e for e in modules.delivered_early(state) if e.inject == inject_id), None)
    if came is None:
        return ""
    if came.during is None:
        return "ahead of its module, before the first module"
    return f"ahead of its module, during {state.plan.scenario.modules[came.during].title}"


def current_module(state: DrillState, now_t: float) -> dict[str, Any] | None:
    """The module under way as the players may read it (title, situation, the questions as asked; never a
    question's prompts or expected points), by the same rule as the console's module bar
    (engine.drill.modules.view); None before the first module or without modules."""
    where = modules.view(state, now_t)
    module = where.current if where else None
    if module is None:
        return None
    return {"id": module.id, "title": module.title, "situation": module.situation or "",
            "questions": [q.ask for q in module.questions]}


def services(state: DrillState) -> list[dict[str, str]]:
    return [{"id": s, "health": state.services.get(s, "up")} for s in state.plan.services]


def public_event(event: ev.Event, state: DrillState) -> dict[str, Any]:
    """What the participant seat is told of one event, from the state just after it.

    {"seq": n, "kind": "inject" | "services" | "clock" | "ended" | "feedback" | "poll" | "other", ...}; "other" carries
    nothing but its seq (so a browser can tell it missed nothing) and stands for every event the
    room does not show: steps, ticks, decisions, notes, ratings, feedback answers. "module" (inject and
    clock events) is the module under way just after it; "feedback" (ended and feedback events) whether
    the participant feedback form is open; "poll" (poll events) the poll shown (poll_view.shown_poll: its
    tally only once revealed, never who answered what).
    """
    payload = event.payload()
    kind = payload.PUBLIC or "other"  # each event type says what this seat calls it (None: not shown)
    out: dict[str, Any] = {"seq": event.seq, "kind": kind}
    if isinstance(payload, (ev.InjectFired, ev.InjectAdhoc)):
        out["inject"] = fired_inject(state, payload.inject)
    if kind in ("inject", "clock"):
        out["module"] = current_module(state, state.t)
    if kind in ("ended", "feedback"):
        out["feedback"] = state.feedback_open
    if kind in ("inject", "services"):
        out["services"] = services(state)
    if isinstance(payload, ev.Ended):
        out["reason"] = payload.reason or ""
    if kind == "poll":
        from engine.room.poll_view import shown_poll

        out["poll"] = shown_poll(state)
    return out


def clock(state: DrillState, now_t: float) -> dict[str, Any]:
    """{"t": scenario seconds now, "text": "T+0:12:05", "running": bool, "ended": bool, "decisions": the timed
    decisions counting down (see countdowns)}. Every streamed message carries it, so a decision made or
    fallen to its default leaves the pages with the next message."""
    return {"t": now_t, "text": clock_text(now_t), "running": state.running and not state.ended,
            "ended": state.ended, "decisions": countdowns(state, now_t)}


def countdowns(state: DrillState, now_t: float) -> list[dict[str, Any]]:
    """The timed decisions whose countdown runs (engine.drill.timed), soonest first, as the room may see
    them: {"step": its id, "question", "default": the label of the option taken when time runs out, "due":
    scenario seconds it runs out, "left": seconds left (0 once run out), "text": the time left, 12:30}.
    Never which option anyone chose."""
    if state.ended:
        return []
    out = []
    for key in timed.running(state):
        step = state.plan.steps[key]
        due = timed.deadline(state, key) or 0.0
        left = max(0.0, due - now_t)
        default = step.default or ""
        out.append({"step": step.id, "question": step.question or step.title,
                    "default": step.labels.get(default, default), "due": due, "left": left,
                    "text": countdown_text(left)})
    return out


def countdown_text(seconds: float) -> str:
    """Time left, rounded up: 12:30, 1:02:30 (0:00 only once it has run out)."""
    whole = max(0, int(seconds + 0.999))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def participant(state: DrillState, now_t: float) -> dict[str, Any]:
    """The participant page: clock, the current inject, the earlier ones (newest first), services."""
    fired = [fired_inject(state, f.id) for f in sorted(state.fired.values(), key=lambda f: (f.t, f.seq))]
    fired.reverse()
    return {"title": state.plan.scenario.title, "clock": clock(state, now_t), "current": fired[0] if fired else None,
            "earlier": fired[1:], "services": services(state), "seq": state.seq,
            "module": current_module(state, now_t), "feedback": state.feedback_open}


def evaluator(state: DrillState, now_t: float) -> dict[str, Any]:
    """The evaluator page: an EEG per objective (its steps, their state, the notes linked to it), the
    injects fired with what was expected, the notes that stand (newest first, each as last amended)."""
    plan = state.plan
    withdrawn = state.withdrawn_notes()
    standing = [n for n in state.notes if n.seq not in withdrawn]  # a withdrawn note is gone, an amended one new
    objectives = []
    for key, text in plan.objectives.items():
        steps = [{"key": s.key, "id": s.id, "title": s.title, "state": state.status(s.key).value}
                 for s in plan.steps.values() if key in s.objectives]
        rating = state.ratings.get(key)
        objectives.append({"key": key, "text": text, "steps": steps, "rating": rating.rating if rating else "",
                           "notes": sum(n.objective == key for n in standing)})
    injects = []
    for f in sorted(state.fired.values(), key=lambda f: (f.t, f.seq), reverse=True):
        inject = state.inject(f.id)
        injects.append({**fired_inject(state, f.id), "expect": (inject.expect if inject else None) or ""})
    notes = [{"kind": n.kind, "text": state.note_text(n.seq), "by": n.by, "step": n.step or "",
              "at": clock_text(n.t), "objective": n.objective,
              "action": n.action, "element": n.element, "owner": n.owner, "due": n.due}
             for n in reversed(standing)]
    return {"title": plan.scenario.title, "clock": clock(state, now_t), "objectives": objectives,
            "injects": injects, "notes": notes, "steps": [{"key": k, "id": s.id, "title": s.title}
                                                           for k, s in plan.steps.items()],
            "ended": state.ended, "seq": state.seq}
