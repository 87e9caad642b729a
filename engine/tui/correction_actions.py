"""The console's corrections: revise or amend a decision, reopen a step, amend or withdraw a note, withdraw an inject.

Each is a form that records one correction event (docs/format.md, "Corrections"); the log stays
append-only and the report shows the original beside the correction. Kept apart from the console
screen, like the module actions, so it stays a few lines there. `refusal` says why one does not
apply now; the core's EventError still has the last word, shown in the form.
"""

from __future__ import annotations

from typing import Any

from engine.drill import events as ev
from engine.drill.foresight import Effects
from engine.drill.plan import PlanStep
from engine.drill.state import DrillState, StepStatus
from engine.tui import display

CORRECTION_ACTIONS = ("revise_decision", "amend_decision", "reopen_step", "correct_note", "withdraw_inject")


def refusal(state: DrillState, step: PlanStep | None, action: str) -> str | None:
    """Why a correction does not apply now to the focused `step` (None: a runbook heading); None: it does."""
    if state.ended:
        return "the drill has ended"
    if action == "correct_note":
        if not state.notes:
            return "no note has been recorded yet (n adds one)"
        if len(state.withdrawn_notes()) == len(state.notes):
            return "every note is withdrawn"
        return None
    if action == "withdraw_inject":
        if not state.fired:
            return "no inject has fired yet"
        if len(state.withdrawn) == len(state.fired):
            return "every fired inject is withdrawn already"
        return None
    if step is None:
        return "put the cursor on a step first (this row is a runbook heading)"
    if action in ("revise_decision", "amend_decision"):
        if not step.options:
            return f"{step.id} is not a decision"
        if step.key not in state.decisions:
            return f"{step.id} has not been decided yet: press d to record the decision"
        return None
    return _reopen_refusal(state, step)


def _reopen_refusal(state: DrillState, step: PlanStep) -> str | None:
    if step.options and step.key in state.decisions:
        return f"{step.id} is a decision: press D to revise it"
    record = state.steps[step.key]
    if record.skipped_by == "branch not taken":
        return f"{step.id} was skipped as a branch not taken: revise the decision that left it out"
    if record.done_t is None and record.skipped_by != "facilitator":
        return f"{step.id} is {state.status(step.key).value}; only a step marked done or skipped can be reopened"
    return None


def by_default(state: DrillState, step: PlanStep | None = None) -> str:
    """Who a correction is by, to start with: the step owner's name if the room named one, else the facilitator."""
    if step is not None and step.owner and state.participants.get(step.owner):
        return state.participants[step.owner]
    return state.facilitator or ""


def _ids(keys: tuple[str, ...]) -> str:
    return ", ".join(key.partition("/")[2] or key for key in keys)


def effect_lines(effects: Effects, *, revision: bool = False) -> list[str]:
    """What a correction will change, one sentence a line (an empty list: nothing beyond the log)."""
    lines = []
    for service, now, then in effects.services:
        lines.append(f"Service {service} goes back from {now} to {then}.")
    for service, health in effects.kept:
        lines.append(f"Service {service} stays {health} (a later change stands, or it was already so).")
    if effects.closed:
        what = "not started on the old branch are skipped as a branch not taken" if revision else \
            "that go back to dormant (none had started)"
        lines.append(f"Steps {what}: {_ids(effects.closed)}.")
    if effects.stays:
        lines.append(f"Steps already started or done on the old branch stay as they are, marked as off the "
                     f"branch: {_ids(effects.stays)}.")
    if effects.opened:
        lines.append(f"Steps that open: {_ids(effects.opened)}.")
    moves: dict[tuple[str, str], list[str]] = {}
    for key, was, now in effects.changed:
        moves.setdefault((was.value, now.value), []).append(key)
    for (was_value, now_value), keys in moves.items():
        lines.append(f"{'Step' if len(keys) == 1 else 'Steps'} {was_value} → {now_value}: {_ids(tuple(keys))}.")
    if effects.disarmed:
        lines.append(f"Contingency injects that will no longer come: {', '.join(effects.disarmed)}.")
    if effects.armed:
        lines.append(f"Contingency injects that now count down from here: {', '.join(effects.armed)}.")
    return lines


def note_label(state: DrillState, seq: int) -> str:
    """`T+0:20:00 IMPROVE [failover-decision] Nobody owned the relay` (the text as last amended)."""
    note = next(n for n in state.notes if n.seq == seq)
    about = f" [{note.step.partition('/')[2]}]" if note.step else ""
    amended = " (amended)" if any(c.kind == ev.NOTE_AMENDED and c.subject == str(seq) for c in state.corrections) \
        else ""
    return f"{display.clock(note.t)} {note.kind}{about}{amended}: {state.note_text(seq)}"


def status_word(state: DrillState, key: str) -> str:
    status = state.status(key)
    record = state.steps[key]
    if status is StepStatus.SKIPPED and record.skip_reason:
        return f"skipped at {display.clock(record.skipped_t or 0)} ({record.skip_reason})"
    if status is StepStatus.DONE:
        return f"marked done at {display.clock(record.done_t or 0)}"
    return status.value


# ----- opening the forms (called from the console's actions) -----

def revise(screen: Any) -> None:
    from engine.tui.screens.revise import ReviseScreen

    step = screen.step()
    if step is not None:
        screen.app.push_screen(ReviseScreen(step))


def amend_decision(screen: Any) -> None:
    from engine.tui.screens.amend_decision import AmendDecisionScreen

    step = screen.step()
    if step is not None:
        screen.app.push_screen(AmendDecisionScreen(step))


def reopen(screen: Any) -> None:
    from engine.tui.screens.reopen import ReopenScreen

    step = screen.step()
    if step is not None:
        screen.app.push_screen(ReopenScreen(step))


def correct_note(screen: Any) -> None:
    from engine.tui.screens.note_correction import NoteCorrectionScreen

    screen.app.push_screen(NoteCorrectionScreen())


def withdraw_inject(screen: Any, highlighted: str | None) -> None:
    from engine.tui.screens.withdraw import WithdrawScreen

    screen.app.push_screen(WithdrawScreen(highlighted))
