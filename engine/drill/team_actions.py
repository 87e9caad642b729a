"""The `actions:` of a team file: what a facilitator does in the console or the room, scripted for headless play.

Each entry is taken at a scenario time (`at: T+0:30`), when a step is done
(`after: assess`) or after drill.ended (`at: end`), and names one action with
its fields:

    actions:
      - at: T+0:30
        revise: {decision: route, option: fail-over, reason: the relay is ready, by: ic}
      - after: assess
        id: calm-call                     # so a later action can amend or withdraw this note
        observation: {text: A calm first call, step: assess, by: Ann}
      - at: T+1h
        amend-note: {note: calm-call, text: A calm and quick first call}

ACTIONS is the table: action name -> the fields it takes (a pydantic model)
and what it does through the Drill API (each event checked, fsynced, applied,
as the console does). A new action is one entry. engine.drill.team_entries
reads the entries and resolves the names a field gives (a step, a decision
and its option, an objective, a service, an inject, a module and its
question, the `id` of an earlier entry) against the plan when the file is
read, so a mistake is reported at its file:line:col before anything is
played. The format is in docs/drill-log.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.drill import events as ev
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.model import Health, Offset

NonEmpty = Annotated[str, Field(min_length=1)]


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Revise(_Fields):
    decision: str
    option: str
    reason: NonEmpty
    by: str = ""


class AmendDecision(_Fields):
    decision: str
    rationale: NonEmpty
    decided_by: NonEmpty
    reason: NonEmpty
    by: str = ""


class Reopen(_Fields):
    step: str
    reason: NonEmpty
    by: str = ""


class Skip(_Fields):
    step: str
    reason: NonEmpty


class Tick(_Fields):
    step: str
    item: Annotated[int, Field(ge=1)]  # 1-based, as the console shows the checklist
    checked: bool = True


class WithdrawInject(_Fields):
    inject: str  # a scenario inject id, or the id of an earlier adhoc entry
    reason: NonEmpty
    by: str = ""


class AmendNote(_Fields):
    note: str  # the id of an earlier entry that recorded the note
    text: NonEmpty
    by: str = ""


class WithdrawNote(_Fields):
    note: str
    reason: NonEmpty
    by: str = ""


class NoteFields(_Fields):  # observation, strength
    text: NonEmpty
    step: str | None = None
    objective: str | None = None
    by: str = ""


class ImprovementFields(NoteFields):  # with the improvement plan's columns
    action: str | None = None
    element: Literal["planning", "organization", "equipment", "training", "exercise"] | None = None
    owner: str | None = None
    due: str | None = None


class Adhoc(_Fields):
    say: NonEmpty
    to: list[str] = []
    services: dict[str, Health] = {}
    event: str | None = None
    by: str = ""
    expect: str = ""  # the response expected of the team, what evaluators rate it against
    objectives: list[str] = []  # runbook/objective keys it bears on


class SetService(_Fields):
    service: str
    health: Health


class Fire(_Fields):
    inject: str


class Jump(_Fields):
    to: Offset


class Summary(_Fields):
    module: str
    question: str
    text: NonEmpty
    by: str = ""


class AmendSummary(_Fields):
    summary: str  # the id of an earlier summary entry
    text: NonEmpty
    by: str = ""


class WithdrawSummary(_Fields):
    summary: str
    reason: NonEmpty
    by: str = ""


class Feedback(_Fields):
    ratings: dict[str, int] = {}
    answers: dict[str, str] = {}
    respondent: str = ""
    name: str = ""
    role: str = ""
    organisation: str = ""


class Join(_Fields):
    seat: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", max_length=64)]
    name: NonEmpty
    role: str  # a role id of the drill's runbooks, or "observer"


class Leave(_Fields):
    seat: str


class OpenPoll(_Fields):
    ask: str = ""  # the question as put; default: the decision's question, or the module question's text
    options: list[str] = []  # none: free-text answers (a poll on a decision takes the decision's options)
    decision: str | None = None
    module: str | None = None
    question: str | None = None
    by: str = ""


class Answer(_Fields):
    poll: str  # the id of an earlier open-poll entry
    seat: str
    answer: NonEmpty  # an option (a decision poll's option id), or free text


class PollBy(_Fields):  # reveal-poll, close-poll
    poll: str
    by: str = ""


class Propose(_Fields):
    seat: str
    text: NonEmpty  # the reason for the option, or the written answer
    decision: str | None = None
    option: str | None = None
    module: str | None = None
    question: str | None = None


class TakeProposal(_Fields):
    proposal: str  # the id of an earlier propose entry
    by: str = ""


class By(_Fields):  # next-module, open-feedback, close-feedback
    by: str = ""


Refs = dict[str, Any]  # entry id -> the seq of the note or summary it recorded, or the ad-hoc inject's id
Perform = Callable[[Drill, Any, Refs], ev.Event]


@dataclass(frozen=True)
class Action:
    """One kind of action: its fields, what it does, and the kind of id it gives its entry (None: no id)."""

    fields: type[_Fields]
    perform: Perform
    gives: str | None = None  # "note", "summary", "inject", "poll" or "proposal": what a later entry refers to


def _note(kind: str) -> Perform:
    def perform(drill: Drill, f: Any, refs: Refs) -> ev.Event:
        extra = {name: getattr(f, name) for name in ("action", "element", "owner", "due")} \
            if isinstance(f, ImprovementFields) else {}
        return drill.note(kind, f.text, f.step, f.by, objective=f.objective, **extra)
    return perform


def _ref(refs: Refs, entry_id: str) -> Any:
    """What the entry `entry_id` recorded; EventError when it was not taken (refused, or not due yet)."""
    from engine.drill.state import EventError

    if entry_id not in refs:
        raise EventError(f"the entry with id {entry_id!r} has recorded nothing yet (refused, or its time has not "
                         "come)")
    return refs[entry_id]


def poll_question(plan: Plan, f: Any) -> str:
    """What an open-poll entry asks, as the console's poll form: the question as given, else the decision's
    question (or title), else the module question's own text."""
    ask: str = f.ask
    if not ask and f.decision is not None:
        step = plan.steps[f.decision]
        ask = step.question or step.title
    if not ask and f.module is not None:
        module = next(m for m in plan.scenario.modules if m.id == f.module)
        ask = next(q.ask for q in module.questions if q.id == f.question)
    return ask


def _open_poll(drill: Drill, f: Any, refs: Refs) -> ev.Event:
    return drill.open_poll(poll_question(drill.plan, f), f.options, step=f.decision, module=f.module,
                           question=f.question, by=f.by)


def _next_module(drill: Drill, f: Any, refs: Refs) -> ev.Event:
    """As the console's `m`: the clock jumps to the next module's start, or, for a module without one, its
    injects fire now. Raises EventError when there is no next module."""
    from engine.drill import modules
    from engine.drill.state import EventError

    where = modules.view(drill.state, drill.now_t())
    if where is None or where.following is None:
        raise EventError("there is no next module" if where else "this scenario has no modules")
    target = where.following_t
    if target is not None and target > drill.now_t():
        return drill.jump(target)
    opening = modules.opening_injects(drill.state, where.following)
    if not opening:
        raise EventError(f"module {where.following.id} has no injects left to fire")
    return [drill.fire(inject, manual=True) for inject in opening][-1]


ACTIONS: dict[str, Action] = {
    "revise": Action(Revise, lambda d, f, r: d.revise(f.decision, f.option, f.reason, f.by)),
    "amend-decision": Action(AmendDecision, lambda d, f, r: d.amend_decision(f.decision, f.rationale, f.decided_by,
                                                                             f.reason, f.by)),
    "reopen": Action(Reopen, lambda d, f, r: d.reopen(f.step, f.reason, f.by)),
    "skip": Action(Skip, lambda d, f, r: d.skip_step(f.step, f.reason)),
    "tick": Action(Tick, lambda d, f, r: d.tick(f.step, f.item - 1, f.checked)),
    "withdraw-inject": Action(WithdrawInject, lambda d, f, r: d.withdraw(
        f.inject if d.plan.inject(f.inject) else _ref(r, f.inject), f.reason, f.by)),
    "amend-note": Action(AmendNote, lambda d, f, r: d.amend_note(_ref(r, f.note), f.text, f.by)),
    "withdraw-note": Action(WithdrawNote, lambda d, f, r: d.withdraw_note(_ref(r, f.note), f.reason, f.by)),
    "observation": Action(NoteFields, _note("observation"), gives="note"),
    "strength": Action(NoteFields, _note("strength"), gives="note"),
    "improvement": Action(ImprovementFields, _note("improvement"), gives="note"),
    "adhoc": Action(Adhoc, lambda d, f, r: d.adhoc(f.say, f.to, f.services, f.event, f.by, f.expect,
                                                    f.objectives), gives="inject"),
    "fire": Action(Fire, lambda d, f, r: d.fire(f.inject, manual=True)),
    "set-service": Action(SetService, lambda d, f, r: d.set_service(f.service, f.health)),
    "next-module": Action(By, _next_module),
    "jump": Action(Jump, lambda d, f, r: d.jump(f.to[1])),
    "summary": Action(Summary, lambda d, f, r: d.summarise(f.module, f.question, f.text, f.by), gives="summary"),
    "amend-summary": Action(AmendSummary, lambda d, f, r: d.amend_summary(_ref(r, f.summary), f.text, f.by)),
    "withdraw-summary": Action(WithdrawSummary,
                               lambda d, f, r: d.withdraw_summary(_ref(r, f.summary), f.reason, f.by)),
    "feedback": Action(Feedback, lambda d, f, r: d.submit_feedback(
        f.ratings, f.answers, respondent=f.respondent, name=f.name, role=f.role, organisation=f.organisation)),
    "join": Action(Join, lambda d, f, r: d.join(f.seat, f.name, f.role)),
    "leave": Action(Leave, lambda d, f, r: d.leave(f.seat)),
    "open-poll": Action(OpenPoll, _open_poll, gives="poll"),
    "answer": Action(Answer, lambda d, f, r: d.answer_poll(_ref(r, f.poll), f.seat, f.answer)),
    "reveal-poll": Action(PollBy, lambda d, f, r: d.reveal_poll(_ref(r, f.poll), f.by)),
    "close-poll": Action(PollBy, lambda d, f, r: d.close_poll(_ref(r, f.poll), f.by)),
    "propose": Action(Propose, lambda d, f, r: d.propose(f.seat, f.text, step=f.decision, option=f.option,
                                                         module=f.module, question=f.question), gives="proposal"),
    "take-proposal": Action(TakeProposal, lambda d, f, r: d.take_proposal(_ref(r, f.proposal), f.by)),
    "open-feedback": Action(By, lambda d, f, r: d.open_feedback(f.by)),
    "close-feedback": Action(By, lambda d, f, r: d.close_feedback(f.by)),
}

WHEN_KEYS = ("at", "after", "id")


@dataclass
class TeamAction:
    """One `actions:` entry, resolved against the plan: names are step keys, objective keys, ids."""

    name: str  # the action, a key of ACTIONS
    fields: Any  # its _Fields, with names resolved
    at: int | None  # scenario seconds
    after: str | None  # a step key: taken when that step is done
    # Neither: `at: end`, taken after drill.ended (only what may follow the end: notes, summaries, feedback)
    id: str | None  # what later entries call it
    where: str  # file:line:col of the entry, for a refusal at play time
    order: int  # its place in the file: actions due together are taken in file order

    @property
    def at_end(self) -> bool:
        return self.at is None and self.after is None

    def perform(self, drill: Drill, refs: Refs) -> ev.Event:
        """Take the action through the Drill API; remember what it gave under its id. Raises EventError
        (refused: nothing written), DecodeError (a field the event refuses) or LogError."""
        event = ACTIONS[self.name].perform(drill, self.fields, refs)
        gives = ACTIONS[self.name].gives
        if self.id is not None and gives is not None:
            refs[self.id] = event.data.get(gives) if gives in ("inject", "poll") else event.seq
        return event
