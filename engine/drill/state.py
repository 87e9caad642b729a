"""The state of a drill: a pure fold over the events of its log.

`DrillState(plan)` starts empty; `apply(event)` moves it on by one event, or
raises EventError and changes nothing. Nothing here reads a clock or a
file, so resuming a drill is replaying its log, and the report is computed
from the same fold. The rules are in docs/format.md ("How steps move").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine import feedback
from engine.bounds import MAX_CLOCK_SECONDS
from engine.drill import events as ev
from engine.drill.clock import parse_wall
from engine.drill.events import EventError
from engine.drill.plan import Opener, Plan, PlanInject
from engine.drill.words import decision_words

# the events a drill may still take once ended
_AFTER_END = frozenset({ev.NOTE, ev.RATING, ev.HOTWASH_ANSWER, ev.NOTE_AMENDED, ev.NOTE_WITHDRAWN,
                        ev.DISCUSSION_SUMMARY, ev.FEEDBACK_OPENED, ev.FEEDBACK_CLOSED, ev.FEEDBACK_SUBMITTED,
                        ev.DISCUSSION_AMENDED, ev.DISCUSSION_WITHDRAWN, ev.DECISION_AMENDED})


class StepStatus(enum.StrEnum):
    DORMANT = "dormant"  # a branch step nothing has opened yet
    WAITING = "waiting"  # opened; something it needs is not done or skipped
    READY = "ready"
    ACTIVE = "active"
    DONE = "done"
    SKIPPED = "skipped"
    BLOCKED = "blocked"  # a service it requires is down


UNFINISHED = (StepStatus.WAITING, StepStatus.READY, StepStatus.ACTIVE)


@dataclass
class StepRecord:
    opened_t: float | None = None
    started_t: float | None = None
    done_t: float | None = None
    skipped_t: float | None = None
    skip_reason: str | None = None
    skipped_by: str | None = None  # "facilitator" or "branch not taken"
    blocked_t: float | None = None  # when it last became blocked (None: not blocked)
    covered_t: float | None = None  # when its fallback, done while it was blocked, stood in for it
    ticks: set[int] = field(default_factory=set)
    off_branch: str | None = None  # started or done on a branch a revised decision no longer takes: which one


@dataclass(frozen=True)
class DecisionRecord:
    step: str
    option: str
    rationale: str
    by: str
    t: float
    seq: int


@dataclass(frozen=True)
class NoteRecord:
    kind: str
    text: str
    step: str | None
    by: str
    t: float
    seq: int
    # For areas for improvement, the improvement-plan columns (all optional):
    action: str = ""  # the corrective action
    element: str = ""  # capability element: planning, organization, equipment, training, exercise
    owner: str = ""
    due: str = ""  # a date, as written
    objective: str = ""  # runbook/objective an evaluator linked it to ("" when not given)


@dataclass(frozen=True)
class CorrectionRecord:
    """One correction event: kind is its wire name (decision.revised, ...); subject the step key, inject id
    or note seq (as text) it corrects; old and new: what was said before and now (option, text; "" if none);
    reason, by, t (scenario seconds), seq: the correction's own."""

    kind: str
    subject: str
    old: str
    new: str
    reason: str
    by: str
    t: float
    seq: int


@dataclass(frozen=True)
class SummaryRecord:
    """The gist of the discussion on one module question (discussion.summary), in log order."""

    module: str  # the module's id
    question: str  # the question's id within the module
    text: str
    by: str  # who recorded it ("" when not known)
    t: float  # scenario seconds when it was recorded
    seq: int


@dataclass(frozen=True)
class FeedbackRecord:
    """One participant's feedback form (feedback.submitted), in log order. ratings: statement id -> 1..5;
    answers: question id -> text; name, role, organisation: "" when not given."""

    respondent: str
    name: str
    role: str
    organisation: str
    ratings: dict[str, int]
    answers: dict[str, str]
    t: float
    seq: int


@dataclass(frozen=True)
class RatingRecord:
    objective: str
    rating: str
    comment: str
    t: float


@dataclass(frozen=True)
class FiredInject:
    id: str
    t: float  # scenario seconds it counts from: its due time when a clock jump passed it, else when it fired
    manual: bool
    seq: int
    late_t: float | None = None  # when a clock jump passed it: the scenario time it actually fired at


@dataclass(frozen=True)
class AdhocRecord:
    """An inject written during the drill (inject.adhoc): id, text, to (roles), services, event, by, as
    recorded; t (scenario seconds) and seq of its event."""

    id: str
    text: str
    to: tuple[str, ...]
    services: dict[str, str]
    event: str | None
    by: str
    t: float
    seq: int
    expect: str = ""  # the response expected, what evaluators rate it against ("" when none)
    objectives: tuple[str, ...] = ()  # runbook/objective keys it bears on


@dataclass(frozen=True)
class GapRecord:
    """The facilitator's answer on resume (clock.gap): since (wall time of the last event before the stop),
    away (wall seconds), counted; t: scenario seconds when answered (before any move); seq."""

    since: str
    away: float
    counted: bool
    t: float
    seq: int


class DrillState:
    """Everything known about a drill after the events applied so far."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.seq = -1
        self.started = False
        self.ended = False
        self.end_reason: str | None = None
        self.start_info: dict[str, Any] = {}  # drill.started's data as logged
        self.version = ev.LOG_VERSION  # the log version drill.started gave; later events decode by it
        self.facilitator: str | None = None
        self.participants: dict[str, str] = {}
        self.t = 0.0  # scenario time of the last event (after it, for a jump)
        self.wall: str | None = None
        self.running = False
        self.base_t = 0.0  # the clock reads base_t + (wall - base_wall) while running
        self.base_wall: datetime | None = None
        self.services = {s: "up" for s in plan.services}
        self.steps = {key: StepRecord() for key in plan.steps}
        self.decisions: dict[str, DecisionRecord] = {}
        self.fired: dict[str, FiredInject] = {}  # scenario injects and ad-hoc ones (those also in `adhoc`)
        self.adhoc: dict[str, AdhocRecord] = {}  # injects written during the drill, by their id
        self.gaps: list[GapRecord] = []  # the time away after each crash, and whether it counted
        self.armed: dict[str, float] = {}  # contingency inject -> when its condition came true
        self.jumped_to: float | None = None  # the target of the last clock jump: injects due before it fire late
        self.arrived: dict[str, float] = {}  # event id -> when it first arrived
        self.notes: list[NoteRecord] = []  # as first written; corrections are in `corrections`
        self.corrections: list[CorrectionRecord] = []
        self.withdrawn: dict[str, CorrectionRecord] = {}  # inject id -> its withdrawal
        self._service_before: dict[str, dict[str, str]] = {}  # inject id -> health of each service it set, before
        self._service_last: dict[str, int] = {}  # service -> seq of the event that last changed it
        self.ratings: dict[str, RatingRecord] = {}
        self.hotwash: list[tuple[str, str, float]] = []
        self.summaries: list[SummaryRecord] = []  # discussion summaries, in the order recorded
        self.feedback: list[FeedbackRecord] = []  # participant feedback forms, in the order sent
        self.feedback_set: bool | None = None  # opened (True) or closed (False) by hand; None: open once ended
        self._index()

    # ----- indexes built once from the plan -----

    def _index(self) -> None:
        plan = self.plan
        self._requiring: dict[str, list[str]] = {s: [] for s in plan.services}
        self._listening: dict[str, list[str]] = {}
        self._arms: dict[str, list[PlanInject]] = {}
        for key, step in plan.steps.items():
            for service in step.requires:
                self._requiring.setdefault(service, []).append(key)
            if step.on:
                self._listening.setdefault(step.on, []).append(key)
        for inject in plan.injects:
            if inject.after_step:
                self._arms.setdefault(inject.after_step, []).append(inject)
        self._order = {key: i for i, key in enumerate(plan.steps)}
        self._backed_by: dict[str, list[str]] = {}  # fallback -> the steps it stands in for
        for key, step in plan.steps.items():
            if step.fallback:
                self._backed_by.setdefault(step.fallback, []).append(key)

    # ----- reading the state -----

    def status(self, key: str) -> StepStatus:
        """The status of step `key` (`runbook/step`) now; KeyError for a key not in the plan."""
        record = self.steps[key]
        if record.done_t is not None:
            return StepStatus.DONE
        if record.skipped_t is not None:
            return StepStatus.SKIPPED
        if record.opened_t is None:
            return StepStatus.DORMANT
        if self._down(key):
            return StepStatus.BLOCKED
        if record.started_t is not None:
            return StepStatus.ACTIVE
        if all(self.resolved(n) for n in self.plan.steps[key].needs):
            return StepStatus.READY
        return StepStatus.WAITING

    def resolved(self, key: str) -> bool:
        """Done or skipped, or blocked with its fallback done: what `needs` waits for."""
        record = self.steps.get(key)
        if record is None:
            return True
        if record.done_t is not None or record.skipped_t is not None:
            return True
        return record.covered_t is not None or self._covering(key)

    def _covering(self, key: str) -> bool:
        """Blocked right now, with its fallback done."""
        record = self.steps[key]
        fallback = self.plan.steps[key].fallback
        return (fallback is not None and record.opened_t is not None and self._down(key)
                and self.steps[fallback].done_t is not None)

    def _mark_covered(self, keys: list[str], t: float) -> None:
        """Once a fallback has stood in for a blocked step, steps that need it stay free to go,
        even after the service comes back and the step itself could be done after all."""
        for key in keys:
            record = self.steps[key]
            if record.covered_t is None and record.done_t is None and self._covering(key):
                record.covered_t = t

    def _down(self, key: str) -> bool:
        return any(self.services.get(s) == "down" for s in self.plan.steps[key].requires)

    def statuses(self) -> dict[str, StepStatus]:
        """Every step's status, keyed `runbook/step`, in plan order."""
        return {key: self.status(key) for key in self.plan.steps}

    def scenario_time(self, wall: datetime) -> float:
        """Scenario seconds at a wall time, by the exercise clock as the events left it."""
        if not self.running or self.base_wall is None:
            return self.base_t
        return max(self.t, round(self.base_t + (wall - self.base_wall).total_seconds(), 3))

    def due_time(self, inject: PlanInject) -> float | None:
        """When an inject comes due in scenario time; None while a contingency inject is not armed."""
        if inject.contingent:
            armed = self.armed.get(inject.id)
            return None if armed is None else armed + (inject.at or 0)
        return float(inject.at or 0)

    def due(self, now_t: float) -> list[PlanInject]:
        """Injects not fired whose time has come, soonest first."""
        out = [(t, i) for i in self.plan.injects
               if i.id not in self.fired and (t := self.due_time(i)) is not None and t <= now_t]
        return [i for _, i in sorted(out, key=lambda pair: pair[0])]

    def upcoming(self) -> list[tuple[float, PlanInject]]:
        """Injects not fired with a known time, soonest first (due ones included)."""
        out = [(t, i) for i in self.plan.injects if i.id not in self.fired and (t := self.due_time(i)) is not None]
        return sorted(out, key=lambda pair: pair[0])

    def inject(self, inject_id: str) -> PlanInject | None:
        """The inject with this id: the scenario's, or one written during the drill (as a PlanInject with
        `say` its text, `to` its roles joined by ", ", its `expect` as written, no time); None when neither."""
        planned = self.plan.inject(inject_id)
        if planned is not None or inject_id not in self.adhoc:
            return planned
        adhoc = self.adhoc[inject_id]
        return PlanInject(id=adhoc.id, at=None, after_step=None, after_option=None, event=adhoc.event,
                          services=dict(adhoc.services), to=", ".join(adhoc.to) or None, say=adhoc.text,
                          expect=adhoc.expect or None, title="ad hoc")

    def planned_fired(self) -> int:
        """How many of the scenario's injects have fired (ad-hoc ones not counted)."""
        return sum(1 for i in self.plan.injects if i.id in self.fired)

    def finished(self) -> bool:
        """No step is waiting, ready or active, and no blocked step is left without a done fallback."""
        for key in self.plan.steps:
            status = self.status(key)
            if status in UNFINISHED or (status is StepStatus.BLOCKED and not self.resolved(key)):
                return False
        return True

    # ----- moving on -----

    def apply(self, event: ev.Event) -> ev.Payload:
        """Apply one event and return its typed payload, or raise EventError (DecodeError for a bad shape)
        and change nothing. A wall time that cannot be read (drill.started, clock.resumed or clock.jumped)
        raises ValueError."""
        payload = self.check(event)
        self._apply(event, payload)
        self.seq = event.seq
        self.wall = event.wall
        if not isinstance(payload, ev.ClockJumped) and not (isinstance(payload, ev.ClockGap) and payload.counted):
            self.t = event.t
        return payload

    def check(self, event: ev.Event) -> ev.Payload:
        """The event's typed payload if it can be applied now; else raise EventError saying why.

        The envelope is checked first (numbered in order, a known type, time
        not going backwards, drill.started first and once, only notes,
        ratings and hot-wash answers after drill.ended), then the shape of
        the data (events.decode raises DecodeError), then the state: the
        step, inject, service or objective exists, and the step can move so.
        """
        if event.seq != self.seq + 1:
            raise EventError(f"event number {event.seq} follows {self.seq}; events must be numbered in order")
        kind = event.type
        if kind not in ev.REGISTRY:
            raise ev.UnknownEventType(kind)
        if event.t < self.t:
            raise EventError(f"scenario time goes backwards ({event.t} after {self.t})")
        if not isinstance(event.wall, str):
            raise EventError(f"the wall time must be text like 2026-01-22T19:33:00.000Z, not {event.wall!r}")
        if not isinstance(event.data, dict):
            raise ev.DecodeError(kind, "event data must be a mapping")
        if not self.started and kind != ev.STARTED:
            raise EventError("the first event of a drill must be drill.started")
        if self.started and kind == ev.STARTED:
            raise EventError("the drill has already started")
        if self.ended and kind not in _AFTER_END:
            raise EventError(f"the drill has ended; {kind} cannot follow")
        payload = ev.decode(kind, event.data, self.version)
        self._check(payload, event.t)
        return payload

    def _check(self, payload: ev.Payload, t: float) -> None:
        """The state checks of one payload (its shape is checked already); most frequent types first."""
        match payload:
            case ev.CheckTicked():
                key = self._known_step(payload.step)
                if payload.item >= len(self.plan.steps[key].do):
                    raise EventError(f"step {key} has no checklist item {payload.item!r}")
            case ev.Note():
                if payload.step is not None:
                    self._known_step(payload.step)
            case ev.ServiceChanged():
                self._check_services({payload.service: payload.to})
            case ev.StepStarted():
                key = self._known_step(payload.step)
                status = self.status(key)
                if status is not StepStatus.READY:
                    raise EventError(f"step {key} is {status}, not ready; it cannot start")
            case ev.StepDone():
                key = self._known_step(payload.step)
                status = self.status(key)
                if status not in (StepStatus.READY, StepStatus.ACTIVE):
                    raise EventError(f"step {key} is {status}; only a ready or active step can be done")
                if self.plan.steps[key].options:
                    raise EventError(f"step {key} is a decision; record the decision to finish it")
            case ev.InjectFired():
                if self.plan.inject(payload.inject) is None:
                    raise EventError(f"no inject {payload.inject!r} in scenario {self.plan.scenario.scenario}")
                if payload.inject in self.fired:
                    raise EventError(f"inject {payload.inject} has already fired")
                if payload.due is not None and payload.due > t:
                    raise EventError(f"inject {payload.inject} cannot be late: it was due at T+{payload.due}, "
                                     f"after T+{t}")
                self._check_services(payload.services)
            case ev.DecisionMade():
                self._check_decision(payload)
            case ev.StepSkipped():
                key = self._known_step(payload.step)
                status = self.status(key)
                if status in (StepStatus.DONE, StepStatus.SKIPPED):
                    raise EventError(f"step {key} is already {status}")
            case ev.ClockPaused():
                if not self.running:
                    raise EventError("the clock is already paused")
            case ev.ClockResumed():
                if self.running:
                    raise EventError("the clock is already running")
            case ev.ClockJumped():
                if payload.to <= t:
                    raise EventError(f"the clock jumps forward only; T+{payload.to} is not after T+{t}")
            case ev.Rating():
                if payload.objective not in self.plan.objectives:
                    raise EventError(f"no objective {payload.objective!r} in the drill's runbooks")
            case (ev.DecisionRevised() | ev.InjectWithdrawn() | ev.StepReopened()
                  | ev.NoteAmended() | ev.NoteWithdrawn()):
                self._check_correction(payload)
            case ev.DiscussionSummary():
                self._check_question(payload.module, payload.question)
            case ev.InjectAdhoc() | ev.ClockGap():
                self._check_written(payload, t)
            case ev.FeedbackSubmitted() | ev.FeedbackOpened() | ev.FeedbackClosed():
                self._check_feedback(payload)
            case ev.DecisionAmended():
                self._check_amended_decision(payload)
            case ev.DiscussionAmended() | ev.DiscussionWithdrawn():
                if not any(s.seq == payload.summary for s in self.summaries):
                    raise EventError(f"event {payload.summary} is not a discussion summary")
                if payload.summary in self.withdrawn_summaries():
                    raise EventError(f"discussion summary {payload.summary} is withdrawn already")
            case _:  # drill.started, drill.ended, hotwash.answer: nothing in the state to check
                pass

    def _check_amended_decision(self, payload: ev.DecisionAmended) -> None:
        key = self._known_step(payload.step)
        decision = self.decisions.get(key)
        if decision is None:
            raise EventError(f"decision {key} has not been made; there is nothing to amend")
        if (payload.rationale, payload.decided_by) == (decision.rationale, decision.by):
            raise EventError(f"decision {key} already reads so: change the rationale or who decided")

    def _known_step(self, key: str) -> str:
        if key not in self.plan.steps:
            raise EventError(f"no step {key!r} in the drill's runbooks")
        return key

    def _check_question(self, module_id: str, question_id: str) -> None:
        module = next((m for m in self.plan.scenario.modules if m.id == module_id), None)
        if module is None:
            raise EventError(f"no module {module_id!r} in scenario {self.plan.scenario.scenario}")
        if all(q.id != question_id for q in module.questions):
            raise EventError(f"module {module_id} has no question {question_id!r}")

    @property
    def feedback_open(self) -> bool:
        """Whether the participant feedback form takes answers: once the drill has ended, unless the facilitator
        closed it; before that only if the facilitator opened it."""
        return self.ended if self.feedback_set is None else self.feedback_set

    def _check_feedback(self, payload: ev.Payload) -> None:
        if isinstance(payload, ev.FeedbackOpened) and self.feedback_open:
            raise EventError("the feedback form is already open")
        if isinstance(payload, ev.FeedbackClosed) and not self.feedback_open:
            raise EventError("the feedback form is already closed")
        if not isinstance(payload, ev.FeedbackSubmitted):
            return
        if not self.feedback_open:
            raise EventError("the feedback form is closed; it opens when the drill ends, or when the facilitator "
                             "opens it")
        unknown = sorted((set(payload.ratings) - feedback.STATEMENT_IDS) | (set(payload.answers)
                                                                           - feedback.QUESTION_IDS))
        if unknown:
            raise EventError(f"the feedback form has no item {unknown[0]!r}")
        if payload.respondent and any(f.respondent == payload.respondent for f in self.feedback):
            raise EventError("this browser has already sent its feedback")
        if len(self.feedback) >= feedback.MAX_RESPONSES:
            raise EventError(f"the feedback form is full: {feedback.MAX_RESPONSES} answers are recorded")

    def _check_services(self, services: dict[str, str]) -> None:
        for service in services:
            if service not in self.services:
                raise EventError(f"no service {service!r} in the drill's runbooks")

    def _check_decision(self, payload: ev.DecisionMade) -> None:
        key = self._known_step(payload.step)
        options = self.plan.steps[key].options
        if not options:
            raise EventError(f"step {key} is not a decision")
        status = self.status(key)
        if status not in (StepStatus.READY, StepStatus.ACTIVE):
            raise EventError(f"decision {key} is {status}; it can be made when ready or active")
        if payload.option not in options:
            raise EventError(f"decision {key} has no option {payload.option!r}; options: {', '.join(options)}")

    def _check_correction(self, payload: ev.Payload) -> None:
        match payload:
            case ev.DecisionRevised():
                key = self._known_step(payload.step)
                decision = self.decisions.get(key)
                if decision is None:
                    raise EventError(f"decision {key} has not been made; there is nothing to revise")
                if payload.option not in (self.plan.steps[key].options or {}):
                    raise EventError(f"decision {key} has no option {payload.option!r}")
                if payload.option == decision.option:
                    raise EventError(f"decision {key} is already `{payload.option}`")
            case ev.InjectWithdrawn():
                if payload.inject not in self.fired:
                    raise EventError(f"inject {payload.inject!r} has not fired; there is nothing to withdraw")
                if payload.inject in self.withdrawn:
                    raise EventError(f"inject {payload.inject} is already withdrawn")
            case ev.StepReopened():
                key = self._known_step(payload.step)
                record = self.steps[key]
                if self.plan.steps[key].options and key in self.decisions:
                    raise EventError(f"step {key} is a decision made; revise the decision instead")
                if record.done_t is None and record.skipped_by != "facilitator":
                    raise EventError(f"step {key} is {self.status(key)}; only a step done or skipped by hand "
                                     "can be reopened")
            case ev.NoteAmended() | ev.NoteWithdrawn():
                if not any(n.seq == payload.note for n in self.notes):
                    raise EventError(f"event {payload.note} is not a note")
                if payload.note in self.withdrawn_notes():
                    raise EventError(f"note {payload.note} is withdrawn already")

    def _check_written(self, payload: ev.Payload, t: float) -> None:
        match payload:
            case ev.InjectAdhoc():
                if self.plan.inject(payload.inject) is not None:
                    raise EventError(f"{payload.inject} is an inject of the scenario; an ad-hoc inject needs "
                                     "an id of its own")
                if payload.inject in self.fired:
                    raise EventError(f"inject {payload.inject} has already fired")
                self._check_services(payload.services)
                for objective in payload.objectives:
                    if objective not in self.plan.objectives:
                        raise EventError(f"no objective {objective!r} in the drill's runbooks")
            case ev.ClockGap():
                if self.running:
                    raise EventError("the time away is settled while the clock is paused, as it is on resume")
                try:
                    parse_wall(payload.since)
                except ValueError:
                    raise EventError(f"`since` must be a wall time like 2026-01-22T19:33:00.000Z, "
                                     f"not {payload.since!r}") from None
                if payload.counted and t + payload.away > MAX_CLOCK_SECONDS:
                    raise EventError(f"the clock cannot run beyond T+{MAX_CLOCK_SECONDS // 86400}d")

    def withdrawn_notes(self) -> set[int]:
        """The seq of every note withdrawn."""
        return {int(c.subject) for c in self.corrections if c.kind == ev.NOTE_WITHDRAWN}

    def note_text(self, seq: int) -> str:
        """A note's text as last amended (its first text if never amended)."""
        text = next(n.text for n in self.notes if n.seq == seq)
        for c in self.corrections:
            if c.kind == ev.NOTE_AMENDED and c.subject == str(seq):
                text = c.new
        return text

    def withdrawn_summaries(self) -> set[int]:
        """The seq of every discussion summary withdrawn (discussion.withdrawn)."""
        return {int(c.subject) for c in self.corrections if c.kind == ev.DISCUSSION_WITHDRAWN}

    def summary_text(self, seq: int) -> str:
        """A discussion summary's text as last amended (discussion.amended; its first text if never amended)."""
        text = next(s.text for s in self.summaries if s.seq == seq)
        for c in self.corrections:
            if c.kind == ev.DISCUSSION_AMENDED and c.subject == str(seq):
                text = c.new
        return text

    def _apply(self, event: ev.Event, payload: ev.Payload) -> None:
        """Change the state by one checked payload; most frequent types first."""
        t = event.t
        match payload:
            case ev.CheckTicked():
                ticks = self.steps[payload.step].ticks
                if payload.checked:
                    ticks.add(payload.item)
                else:
                    ticks.discard(payload.item)
            case ev.Note():
                self.notes.append(NoteRecord(payload.kind, payload.text, payload.step, payload.by or "", t,
                                             event.seq, payload.action or "", payload.element or "",
                                             payload.owner or "", payload.due or "", payload.objective or ""))
            case ev.ServiceChanged():
                self._service_last[payload.service] = event.seq
                self._settle(self._set_service(payload.service, payload.to, t), t)
            case ev.StepStarted():
                self.steps[payload.step].started_t = t
            case ev.StepDone():
                self._step_done(payload.step, t)
            case ev.InjectFired():
                self._inject_fired(payload, event)
            case ev.DecisionMade():
                self._decision_made(payload, event)
            case ev.StepSkipped():
                self._skip(payload.step, t, payload.reason, "facilitator")
                self._settle([payload.step], t)
            case ev.ClockPaused():
                self.running = False
                self.base_t = t
            case ev.ClockResumed():
                self.running = True
                self.base_t = t
                self.base_wall = parse_wall(event.wall)
            case ev.ClockJumped():
                self.jumped_to = float(payload.to)
                self.base_t = float(payload.to)
                self.base_wall = parse_wall(event.wall)
                self.t = self.base_t
            case ev.HotwashAnswer():
                self.hotwash.append((payload.question, payload.answer, t))
            case ev.Rating():
                self.ratings[payload.objective] = RatingRecord(payload.objective, payload.rating, payload.comment, t)
            case ev.DiscussionSummary():
                self.summaries.append(SummaryRecord(payload.module, payload.question, payload.text, payload.by, t,
                                                    event.seq))
            case ev.FeedbackSubmitted():
                self.feedback.append(FeedbackRecord(payload.respondent, payload.name, payload.role,
                                                    payload.organisation, dict(payload.ratings),
                                                    dict(payload.answers), t, event.seq))
            case ev.FeedbackOpened() | ev.FeedbackClosed():
                self.feedback_set = isinstance(payload, ev.FeedbackOpened)
            case ev.DecisionAmended():
                self._decision_amended(payload, event)
            case ev.DiscussionAmended():
                self.corrections.append(CorrectionRecord(payload.WIRE, str(payload.summary),
                                                         self.summary_text(payload.summary), payload.text, "",
                                                         payload.by, t, event.seq))
            case ev.DiscussionWithdrawn():
                self.corrections.append(CorrectionRecord(payload.WIRE, str(payload.summary),
                                                         self.summary_text(payload.summary), "", payload.reason,
                                                         payload.by, t, event.seq))
            case ev.Started():
                self._started(payload, event)
            case ev.InjectAdhoc():
                self.adhoc[payload.inject] = AdhocRecord(payload.inject, payload.text, payload.to,
                                                         dict(payload.services), payload.event, payload.by, t,
                                                         event.seq, payload.expect, payload.objectives)
                self.fired[payload.inject] = FiredInject(payload.inject, t, True, event.seq)
                self._deliver(payload.inject, payload.services, payload.event, event)
            case ev.ClockGap():
                self.gaps.append(GapRecord(payload.since, payload.away, payload.counted, t, event.seq))
                if payload.counted:
                    self.jumped_to = self.base_t = self.t = t + payload.away
                    self.base_wall = parse_wall(event.wall)
            case (ev.DecisionRevised() | ev.InjectWithdrawn() | ev.StepReopened()
                  | ev.NoteAmended() | ev.NoteWithdrawn()):
                self._apply_correction(payload, event)
            case ev.Ended():
                self.ended = True
                self.running = False
                self.base_t = t
                self.end_reason = payload.reason

    def _apply_correction(self, payload: ev.Payload, event: ev.Event) -> None:
        t, seq = event.t, event.seq
        match payload:
            case ev.DecisionRevised():
                old = self.decisions[payload.step].option
                self.corrections.append(CorrectionRecord(payload.WIRE, payload.step, old, payload.option,
                                                         payload.reason, payload.by, t, seq))
                self._decision_revised(payload, old, t, seq)
            case ev.InjectWithdrawn():
                record = CorrectionRecord(payload.WIRE, payload.inject, "", "", payload.reason, payload.by, t, seq)
                self.corrections.append(record)
                self.withdrawn[payload.inject] = record
                self._inject_withdrawn(payload.inject, t, seq)
            case ev.StepReopened():
                step = self.steps[payload.step]
                old = "done" if step.done_t is not None else "skipped"
                self.corrections.append(CorrectionRecord(payload.WIRE, payload.step, old, "", payload.reason,
                                                         payload.by, t, seq))
                step.done_t = step.skipped_t = step.skip_reason = step.skipped_by = None
                self._reconsider_branches(t)
            case ev.NoteAmended():
                self.corrections.append(CorrectionRecord(payload.WIRE, str(payload.note), self.note_text(payload.note),
                                                         payload.text, "", payload.by, t, seq))
            case ev.NoteWithdrawn():
                self.corrections.append(CorrectionRecord(payload.WIRE, str(payload.note), self.note_text(payload.note),
                                                         "", payload.reason, payload.by, t, seq))

    def _decision_amended(self, payload: ev.DecisionAmended, event: ev.Event) -> None:
        """The rationale and decider as amended; the option, its time and its branch stay. The correction
        keeps what it said before and after as `rationale (decided by who)`."""
        old = self.decisions[payload.step]
        self.corrections.append(CorrectionRecord(payload.WIRE, payload.step, decision_words(old.rationale, old.by),
                                                 decision_words(payload.rationale, payload.decided_by),
                                                 payload.reason, payload.by, event.t, event.seq))
        self.decisions[payload.step] = DecisionRecord(old.step, old.option, payload.rationale, payload.decided_by,
                                                      old.t, old.seq)

    def _branch_of(self, targets: list[str]) -> list[str]:
        """The steps an option opens, with their fallbacks and the branches of decisions among them."""
        out: list[str] = []
        queue = list(targets)
        while queue:
            key = queue.pop()
            if key in out:
                continue
            out.append(key)
            step = self.plan.steps[key]
            if step.fallback:
                queue.append(step.fallback)
            for more in (step.options or {}).values():
                queue.extend(more)
        return out

    def _decision_revised(self, payload: ev.DecisionRevised, old: str, t: float, seq: int) -> None:
        key, option = payload.step, payload.option
        self.decisions[key] = DecisionRecord(key, option, payload.reason, payload.by, t, seq)
        options = self.plan.steps[key].options or {}
        for target in self._branch_of(options[old]):
            record = self.steps[target]
            if record.started_t is not None or record.done_t is not None:
                record.off_branch = f"option `{old}` of {key}, revised to `{option}` at T+{t:g}s"
            elif record.skipped_by != "facilitator":
                record.opened_t = record.skipped_t = record.skip_reason = record.skipped_by = None
                record.blocked_t = record.covered_t = None
        for inject in self._arms.get(key, []):
            if inject.after_option == old and inject.id not in self.fired:
                self.armed.pop(inject.id, None)
            if inject.after_option == option:
                self.armed.setdefault(inject.id, t)
        for target in options[option]:
            record = self.steps[target]
            if record.skipped_by == "branch not taken":
                record.skipped_t = record.skip_reason = record.skipped_by = None
            if record.opened_t is None and record.skipped_t is None:
                record.opened_t = t
        self._reconsider_branches(t)

    def _reconsider_branches(self, t: float) -> None:
        """Skip anew, from scratch, the branches no opener can open any more: a step skipped as
        "branch not taken" that is still not taken keeps its first skip time and reason."""
        before = {k: (r.skipped_t, r.skip_reason) for k, r in self.steps.items() if r.skipped_by == "branch not taken"}
        for key in before:
            record = self.steps[key]
            record.skipped_t = record.skip_reason = record.skipped_by = None
        self._settle(list(self.plan.steps), t)
        for key, (skipped_t, reason) in before.items():
            record = self.steps[key]
            if record.skipped_by == "branch not taken" and record.skip_reason == reason:
                record.skipped_t = skipped_t

    def _inject_withdrawn(self, inject_id: str, t: float, seq: int) -> None:
        fired = self.fired[inject_id]
        touched: list[str] = []
        for service, health in self._service_before.get(inject_id, {}).items():
            if self._service_last.get(service) == fired.seq:
                touched += self._set_service(service, health, t)
                self._service_last[service] = seq
        name = self._event_of(inject_id)
        if name and not any(self._carries(other, name) for other in self.fired if other not in self.withdrawn):
            self.arrived.pop(name, None)
            opened = [k for k in self._listening.get(name, []) if self.steps[k].opened_t is not None]
            for key in opened:
                record = self.steps[key]
                if record.started_t is None and record.done_t is None and record.skipped_t is None:
                    record.opened_t = None
            for key in opened:
                for inject in self._arms.get(key, []):
                    if inject.id not in self.fired:
                        self.armed.pop(inject.id, None)
        self._settle(touched, t)

    def _carries(self, inject_id: str, name: str) -> bool:
        return self._event_of(inject_id) == name

    def _event_of(self, inject_id: str) -> str | None:
        """The event a fired inject carries (a scenario inject's, or what an ad-hoc one was written with)."""
        adhoc = self.adhoc.get(inject_id)
        if adhoc is not None:
            return adhoc.event
        inject = self.plan.inject(inject_id)
        return inject.event if inject else None

    def _started(self, payload: ev.Started, event: ev.Event) -> None:
        self.started = True
        self.start_info = dict(event.data)
        self.version = payload.version if payload.version is not None else ev.LOG_VERSION
        self.facilitator = payload.facilitator or None
        self.participants = dict(payload.participants)
        self.running = True
        self.base_t = event.t
        self.base_wall = parse_wall(event.wall)
        for key, step in self.plan.steps.items():
            if not step.branch:
                self.steps[key].opened_t = event.t
        self._settle(list(self.plan.steps), event.t)

    def _inject_fired(self, payload: ev.InjectFired, event: ev.Event) -> None:
        t = event.t
        late = payload.due is not None
        self.fired[payload.inject] = FiredInject(payload.inject, payload.due if late else t,  # type: ignore[arg-type]
                                                 payload.manual, event.seq, t if late else None)
        self._deliver(payload.inject, payload.services, payload.event, event)

    def _deliver(self, inject_id: str, services: dict[str, str], name: str | None, event: ev.Event) -> None:
        """What a fired inject (scenario or ad hoc) does: set its services' health, bring its event."""
        t = event.t
        touched: list[str] = []
        self._service_before[inject_id] = {s: self.services[s] for s in services}
        for service, health in services.items():
            touched += self._set_service(service, health, t)
            self._service_last[service] = event.seq
        if name:
            self.arrived.setdefault(name, t)
            for key in self._listening.get(name, []):
                record = self.steps[key]
                if record.opened_t is None and record.skipped_t is None:
                    record.opened_t = t
                    touched.append(key)
        self._settle(touched, t)

    def _set_service(self, service: str, health: str, t: float) -> list[str]:
        self.services[service] = health
        for key in self._requiring.get(service, []):
            record = self.steps[key]
            down = self._down(key)
            if down and record.blocked_t is None:
                record.blocked_t = t
            elif not down:
                record.blocked_t = None
        self._mark_covered(self._requiring.get(service, []), t)
        return list(self._requiring.get(service, []))

    def _step_done(self, key: str, t: float) -> None:
        record = self.steps[key]
        if record.started_t is None:
            record.started_t = t
        record.done_t = t
        self._mark_covered(self._backed_by.get(key, []), t)
        for inject in self._arms.get(key, []):
            if inject.after_option is None:
                self.armed.setdefault(inject.id, t)
        self._settle([key], t)

    def _decision_made(self, payload: ev.DecisionMade, event: ev.Event) -> None:
        key, option, t = payload.step, payload.option, event.t
        self.decisions[key] = DecisionRecord(key, option, payload.rationale, payload.by, t, event.seq)
        record = self.steps[key]
        record.started_t = record.started_t if record.started_t is not None else t
        record.done_t = t
        opened = []
        for target in (self.plan.steps[key].options or {})[option]:
            target_record = self.steps[target]
            if target_record.opened_t is None and target_record.skipped_t is None:
                target_record.opened_t = t
                opened.append(target)
        for inject in self._arms.get(key, []):
            if inject.after_option in (None, option):
                self.armed.setdefault(inject.id, t)
        self._settle([key, *opened], t)

    # ----- opening and skipping branches -----

    def _skip(self, key: str, t: float, reason: str, by: str) -> None:
        record = self.steps[key]
        record.skipped_t = t
        record.skip_reason = reason
        record.skipped_by = by

    def _settle(self, changed: list[str], t: float) -> None:
        """Open fallbacks of blocked steps and skip branches no opener can open any more, transitively."""
        queue = list(changed)
        while queue:
            key = queue.pop()
            step = self.plan.steps[key]
            record = self.steps[key]
            if (step.fallback and record.opened_t is not None and record.done_t is None
                    and record.skipped_t is None and self._down(key)):
                fallback = self.steps[step.fallback]
                if fallback.opened_t is None and fallback.skipped_t is None:
                    fallback.opened_t = t
                    queue.append(step.fallback)
            if record.opened_t is None and record.skipped_t is None and step.openers:
                if all(self._closed(o) for o in step.openers):
                    self._skip(key, t, self._why_skipped(step.openers), "branch not taken")
            if record.done_t is not None or record.skipped_t is not None:
                if step.fallback:
                    queue.append(step.fallback)
                for targets in (step.options or {}).values():
                    queue.extend(targets)

    def _closed(self, opener: Opener) -> bool:
        if opener.kind == "event":
            return False  # an event can come at any time
        source = self.steps[opener.source]
        if source.skipped_t is not None:
            return True
        if opener.kind == "fallback":
            return source.done_t is not None
        decision = self.decisions.get(opener.source)
        return decision is not None and decision.option != opener.option

    def _why_skipped(self, openers: list[Opener]) -> str:
        parts = []
        for opener in openers:
            if opener.kind == "next":
                decision = self.decisions.get(opener.source)
                chosen = f"`{decision.option}` was chosen" if decision else "that decision was skipped"
                parts.append(f"it follows option `{opener.option}` of {opener.source}; {chosen}")
            else:
                parts.append(f"{opener.source} finished without needing its fallback")
        return "branch not taken: " + "; ".join(parts)
