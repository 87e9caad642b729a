"""What the room shows of the polls, proposals and the module clock, as plain data for pages and the stream.

The poll shown is the latest one while it is open, or after it closed once the
facilitator has revealed it; its tally (and for a free-text poll the latest
answers, without names) only once revealed. A seat sees its own answer. What
a participant may propose on: the decisions that are ready now (their
question and options, never the option taken) and the current module's
discussion questions.
"""

from __future__ import annotations

from typing import Any

from engine.drill import modules
from engine.drill.state import DrillState, StepStatus

SHOWN_ANSWERS = 8  # free-text answers on the projector, newest first


def shown_poll(state: DrillState, seat: str | None = None) -> dict[str, Any] | None:
    """{"poll", "text", "options", "labels" (option -> its words: a decision's from the runbook, else the
    option itself), "free", "open", "revealed", "answered", "tally" ([{"option", "label", "n", "share"}]
    once revealed, else None; "open" is False once the decision it is on is made, as the drill then takes no
    answer to it), "answers" (free text, newest first, once revealed), "mine" (this seat's answer,
    "" when none)}; None when no poll is shown."""
    if not state.polls:
        return None
    poll = next(reversed(state.polls.values()))
    if not poll.open and poll.revealed_t is None:
        return None
    revealed = poll.revealed_t is not None
    counts = poll.tally if poll.tally is not None else poll.count()
    total = max(1, len(poll.answers))
    labels = {o: state.plan.worded(poll.step, o) for o in poll.options}  # a decision's options as worded
    tally = [{"option": o, "label": labels.get(o, o), "n": n, "share": round(100 * n / total)}
             for o, n in counts.items()] if revealed else None
    answers = list(poll.answers.values())[-SHOWN_ANSWERS:][::-1] if revealed and not poll.options else []
    return {"poll": poll.poll, "text": poll.text, "options": list(poll.options), "labels": labels,
            "free": not poll.options, "open": poll.open and not decided(state, poll.step), "revealed": revealed,
            "answered": len(poll.answers), "tally": tally,
            "answers": answers, "mine": poll.answers.get(seat or "", "") if seat else ""}


def decided(state: DrillState, step: str) -> bool:
    """True when `step` is a decision made or skipped: a poll on it takes no more answers."""
    return bool(step) and state.status(step) in (StepStatus.DONE, StepStatus.SKIPPED)


def proposable(state: DrillState, now_t: float) -> list[dict[str, str]]:
    """What a seat may propose on now: [{"value", "label", "kind"}], value `d|step|option` for a ready
    decision's option, `q|module|question` for a question of the module under way."""
    out = []
    if not state.ended:
        for key, step in state.plan.steps.items():
            if step.options and state.status(key) in (StepStatus.READY, StepStatus.ACTIVE):
                asked = step.question or step.title
                out += [{"value": f"d|{key}|{option}", "kind": "decision",
                         "label": f"{asked}: {step.labels.get(option, option)}"} for option in step.options]
    where = modules.view(state, now_t)
    module = where.current if where else None
    if module is not None:
        out += [{"value": f"q|{module.id}|{q.id}", "kind": "question", "label": q.ask} for q in module.questions]
    return out


def module_clock(state: DrillState, now_t: float) -> dict[str, Any]:
    """When the module shown must change with no event: {"next_t": the next module's scheduled start in
    scenario seconds, or None when none comes by the clock}."""
    where = modules.view(state, now_t)
    following = where.following_t if where else None
    return {"next_t": following if following is not None and following > now_t else None}
