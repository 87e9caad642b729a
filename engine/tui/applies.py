"""Which console actions apply now, and when one does not, why, in the facilitator's words.

The console hides the keys that do not apply (check_action) and says why when one is pressed
anyway; both ask `why_not`. The drill core has the last word: an action that gets past these
checks and is still refused shows the core's EventError message.
"""

from __future__ import annotations

from engine.drill.plan import PlanStep
from engine.drill.state import DrillState, StepStatus

STEP_ACTIONS = ("start_step", "complete_step", "decide", "skip_step", "tick")
WORKING = (StepStatus.READY, StepStatus.ACTIVE)


def why_not(state: DrillState, step: PlanStep | None, action: str) -> str | None:
    """None if `action` applies to the focused `step` (None: a runbook heading) in `state`."""
    if state.ended:
        return "the drill has ended"
    if action in STEP_ACTIONS:
        if step is None:
            return "put the cursor on a step first (this row is a runbook heading)"
        return _step_refusal(state, step, action)
    if action == "fire_next" and not state.upcoming():
        return "no scheduled inject is left (contingency injects wait for the team; I picks any inject)"
    if action == "fire_any" and state.planned_fired() == len(state.plan.injects):
        return "every inject has fired"
    if action == "next_open" and not any(state.status(k) in WORKING for k in state.plan.steps):
        return "no step is ready or active"
    if action == "pause" and not state.running:
        return "the clock is already paused"
    if action == "resume" and state.running:
        return "the clock is already running"
    return None


def _step_refusal(state: DrillState, step: PlanStep, action: str) -> str | None:
    status = state.status(step.key)
    if action == "start_step" and status is not StepStatus.READY:
        return _not_ready(state, step, status, "start")
    if action == "complete_step":
        if step.options:
            return f"{step.id} is a decision: press d to record what the team chose"
        if status not in WORKING:
            return _not_ready(state, step, status, "be marked done")
    if action == "decide":
        if not step.options:
            return f"{step.id} is not a decision"
        if status not in WORKING:
            return _not_ready(state, step, status, "be decided")
    if action == "skip_step" and status in (StepStatus.DONE, StepStatus.SKIPPED):
        return f"{step.id} is already {status.value}"
    if action == "tick":
        if not step.do:
            return f"{step.id} has no checklist"
        if status is StepStatus.READY:
            return f"{step.id} has not started: press s to start it, then tick its checklist"
        if status in (StepStatus.DONE, StepStatus.SKIPPED):
            return f"{step.id} is {status.value}; its checklist is closed"
        if status is not StepStatus.ACTIVE:
            return _not_ready(state, step, status, "have its checklist ticked")
    return None


def _not_ready(state: DrillState, step: PlanStep, status: StepStatus, verb: str) -> str:
    """Why a step cannot `verb` in its state."""
    if status is StepStatus.WAITING:
        open_needs = [n.partition("/")[2] for n in step.needs if not state.resolved(n)]
        return f"{step.id} cannot {verb}: it is waiting for {', '.join(open_needs)}"
    if status is StepStatus.DORMANT:
        return f"{step.id} cannot {verb}: it is a branch that nothing has opened"
    if status is StepStatus.BLOCKED:
        down = [s for s in step.requires if state.services.get(s) == "down"]
        fallback = f"; its fallback {step.fallback.partition('/')[2]} is open" if step.fallback else ""
        return f"{step.id} cannot {verb}: it is blocked while {', '.join(down)} is down{fallback}"
    if status is StepStatus.ACTIVE:
        return f"{step.id} is already active; press c when it is done"
    return f"{step.id} is {status.value}"
