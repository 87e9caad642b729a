"""What the room said in the report: its polls (question, options, tally, result, the decisions that cite
them) and its proposals (who, on what, what, taken or not), from the poll.* and proposal.* events."""

from __future__ import annotations

from engine.drill.plan import Plan
from engine.drill.state import DrillState
from engine.report import model as m


def _asked(plan: Plan, module: str, question: str) -> str:
    found = next((m for m in plan.scenario.modules if m.id == module), None)
    ask = next((q.ask for q in found.questions if q.id == question), question) if found else question
    return f"module question: {' '.join(ask.split())}"


def _decision(plan: Plan, step: str) -> str:
    planned = plan.steps.get(step)
    return f"decision {planned.title if planned else step}"


def _worded(plan: Plan, step: str, option: str) -> str:
    """A decision's option as the runbook words it (as the room showed it); the option itself otherwise."""
    return plan.worded(step, option)


def polls(plan: Plan, state: DrillState) -> list[m.PollItem]:
    """Each poll in the order opened (empty: none was)."""
    out = []
    for poll in state.polls.values():
        on = _decision(plan, poll.step) if poll.step else _asked(plan, poll.module, poll.question) \
            if poll.module else ""
        seats = {a.seat: a for a in state.attendance}  # the seat's last stay names it
        answers = [] if poll.options else [
            {"name": seats[seat].name if seat in seats else "", "role": seats[seat].role if seat in seats else "",
             "text": text} for seat, text in poll.answers.items()]
        cited = [d.step for d in state.decisions.values() if d.poll == poll.poll]
        out.append(m.PollItem(poll.poll, poll.text, on, poll.step, list(poll.options),
                              dict(poll.tally if poll.tally is not None else poll.count()), len(poll.answers),
                              answers, poll.t, poll.revealed_t, poll.closed_t, poll.by, cited,
                              {o: _worded(plan, poll.step, o) for o in poll.options},
                              [plan.steps[step].title if step in plan.steps else step for step in cited]))
    return out


def proposals(plan: Plan, state: DrillState) -> list[m.ProposalItem]:
    """Each proposal in the order sent (empty: none was)."""
    return [m.ProposalItem(p.name, p.role, p.step, p.option, p.module, p.question,
                           f"{_decision(plan, p.step)}: {_worded(plan, p.step, p.option)}" if p.step
                           else _asked(plan, p.module, p.question), p.text, p.t, p.taken_t, p.taken_by)
            for p in state.proposals]
