"""The state of a drill: a pure fold over the events of its log.

`DrillState(plan)` starts empty; `apply(event)` moves it on by one event, or
raises EventError and changes nothing. Nothing here reads a clock or a
file, so resuming a drill is replaying its log, and the report is computed
from the same fold. The rules are in docs/format.md ("How steps move").

DrillState holds the data and answers the queries (status, resolved, due,
upcoming, ...); what one event type does is that type's own `check` and
`apply` (engine.drill.event_types), which DrillState.check and apply call.
The step machinery several types share (_deliver, _set_service, _settle,
_skip, _reconsider_branches, ...) stays here, beside the data it moves.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from engine import step_rules
from engine.drill import events as ev
from engine.drill.events import EventError
from engine.drill.plan import Opener, Plan, PlanInject
from engine.drill.records import (  # noqa: F401  (re-exported: importers read them from here)
    UNFINISHED,
    AdhocRecord,
    AttendanceRecord,
    CorrectionRecord,
    DecisionRecord,
    FeedbackRecord,
    FiredInject,
    GapRecord,
    NoteRecord,
    PollRecord,
    ProposalRecord,
    RatingRecord,
    StepStatus,
    SummaryRecord,
)


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
    worked: list[tuple[float, float]] = field(default_factory=list)  # (start, done) before each reopening

    def intervals(self) -> list[tuple[float, float | None]]:
        """When the step was at work, in scenario seconds: (start, done) before each reopening, then the
        current one (its end None while active); empty if never started. A reopened step's time is the
        sum of these, never the wait between them."""
        end = self.done_t if self.done_t is not None else self.skipped_t
        current = [] if self.started_t is None else [(self.started_t, end)]
        return [*self.worked, *current]


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
        self.attendance: list[AttendanceRecord] = []  # each stay of a seat in the room, in the order joined
        self.seated: dict[str, int] = {}  # seat id -> its row in `attendance`, for the seats in now
        self.polls: dict[str, PollRecord] = {}  # polls put to the room, by id, in the order opened
        self.proposals: list[ProposalRecord] = []  # participants' suggestions, in the order sent
        # Timed decisions (`within`): when each became ready, the start of its countdown (engine.drill.timed).
        self.ready_t: dict[str, float] = {}
        self._index()

    # ----- indexes built once from the plan -----

    def _index(self) -> None:
        plan = self.plan
        ties = step_rules.Ties(plan.steps)
        self._requiring: dict[str, list[str]] = {s: [] for s in plan.services}
        self._requiring.update(ties.requiring)
        self._listening: dict[str, list[str]] = ties.listening
        self._arms: dict[str, list[PlanInject]] = {}
        for inject in plan.injects:
            if inject.after_step:
                self._arms.setdefault(inject.after_step, []).append(inject)
        self._order = {key: i for i, key in enumerate(plan.steps)}
        self._backed_by: dict[str, list[str]] = ties.backed_by  # fallback -> the steps it stands in for
        self._opens: dict[str, list[str]] = ties.opens  # step -> its fallback and its options' targets
        self._timed = [key for key, step in plan.steps.items() if step.within is not None and step.options]

    # ----- reading the state -----

    def status(self, key: str) -> StepStatus:
        """The status of step `key` (`runbook/step`) now; KeyError for a key not in the plan."""
        return step_rules.status(self.steps[key], key, self.plan.steps[key].needs, self)

    def resolved(self, key: str) -> bool:
        """Done or skipped, or blocked with its fallback done: what `needs` waits for."""
        record = self.steps.get(key)
        return True if record is None else step_rules.resolved(record, key, self)

    def covering(self, key: str) -> bool:
        """Blocked right now, with its fallback done."""
        fallback = self.plan.steps[key].fallback
        return fallback is not None and step_rules.covering(self.steps[fallback].done_t is not None,
                                                            self.steps[key], self.down(key))

    _covering = covering

    def _mark_covered(self, keys: list[str], t: float) -> None:
        """Once a fallback has stood in for a blocked step, steps that need it stay free to go,
        even after the service comes back and the step itself could be done after all."""
        for key in keys:
            record = self.steps[key]
            if record.covered_t is None and record.done_t is None and self.covering(key):
                record.covered_t = t

    def down(self, key: str) -> bool:
        """Whether a service step `key` requires is down now."""
        return step_rules.blocked(self.plan.steps[key].requires, self.services)

    _down = down

    # what the step rules read of other steps (engine.step_rules.World)
    def is_done(self, key: str) -> bool:
        return self.steps[key].done_t is not None

    def is_skipped(self, key: str) -> bool:
        return self.steps[key].skipped_t is not None

    def chosen(self, key: str) -> str | None:
        decision = self.decisions.get(key)
        return None if decision is None else decision.option

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

    def apply(self, event: ev.Event, decoded: ev.Payload | None = None) -> ev.Payload:
        """Apply one event and return its typed payload, or raise EventError (DecodeError for a bad shape)
        and change nothing. A wall time that cannot be read (drill.started, clock.resumed or clock.jumped)
        raises ValueError. What each type does is its payload's `apply` (engine.drill.event_types).
        `decoded`: the event's payload already decoded by this state's `version` (see check)."""
        payload = self.check(event, decoded)
        payload.apply(self, event)
        if self._timed and payload.MOVES_STEPS:
            self._watch_timed(event.t)
        self.seq = event.seq
        self.wall = event.wall
        self.t = payload.time_after(event.t)
        return payload

    def check(self, event: ev.Event, decoded: ev.Payload | None = None) -> ev.Payload:
        """The event's typed payload if it can be applied now; else raise EventError saying why.

        The envelope is checked first (numbered in order, a known type, time
        not going backwards, drill.started first and once, after drill.ended
        only the types whose AFTER_END flag says so), then the shape of the
        data (events.decode raises DecodeError), then the state, by the
        payload's own `check`: the step, inject, service or objective
        exists, and the step can move so. `decoded`, when given, is taken as the data's decode by this
        state's `version` (a log reader that checked the shape already: LogStream.payload_of).
        """
        self._check_envelope(event)
        payload = decoded if decoded is not None else ev.decode(event.type, event.data, self.version)
        payload.check(self, event.t)
        return payload

    def _check_envelope(self, event: ev.Event) -> None:
        if event.seq != self.seq + 1:
            raise EventError(f"event number {event.seq} follows {self.seq}; events must be numbered in order")
        kind = event.type
        cls = ev.REGISTRY.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ev.UnknownEventType(kind)
        if event.t < self.t:
            raise EventError(f"scenario time goes backwards ({event.t} after {self.t})")
        if not isinstance(event.wall, str):
            raise EventError(f"the wall time must be text like 2026-01-22T19:33:00.000Z, not {event.wall!r}")
        if not isinstance(event.data, dict):
            raise ev.DecodeError(kind, "event data must be a mapping")
        if self.started is (kind == ev.STARTED):
            raise EventError("the drill has already started" if self.started
                             else "the first event of a drill must be drill.started")
        if self.ended and not cls.AFTER_END:
            raise EventError(f"the drill has ended; {kind} cannot follow")

    def _watch_timed(self, t: float) -> None:
        """Start the countdown of each timed decision that has become ready (or active) at `t`; forget it for
        one that is no longer open to decide (back to waiting or dormant, or skipped), so it starts again."""
        for key in self._timed:
            if key in self.decisions:  # decided: done for good (a decision is revised, never reopened)
                continue
            status = self.status(key)
            if status in (StepStatus.READY, StepStatus.ACTIVE):
                self.ready_t.setdefault(key, t)
            elif status in (StepStatus.DORMANT, StepStatus.WAITING, StepStatus.SKIPPED):
                self.ready_t.pop(key, None)

    @property
    def feedback_open(self) -> bool:
        """Whether the participant feedback form takes answers: once the drill has ended, unless the facilitator
        closed it; before that only if the facilitator opened it."""
        return self.ended if self.feedback_set is None else self.feedback_set

    def open_poll(self) -> PollRecord | None:
        """The poll open now (one at a time), or None."""
        return next((p for p in reversed(self.polls.values()) if p.open), None)

    def proposal(self, seq: int) -> ProposalRecord | None:
        """The proposal made by event `seq`, or None."""
        return next((p for p in self.proposals if p.seq == seq), None)

    def withdrawn_notes(self) -> set[int]:
        """The seq of every note withdrawn."""
        return {int(c.subject) for c in self.corrections if c.kind == ev.NOTE_WITHDRAWN}

    def note_text(self, seq: int) -> str:
        """A note's text as last amended (its first text if never amended)."""
        text = _by_seq(self.notes, seq).text
        for c in self.corrections:
            if c.kind == ev.NOTE_AMENDED and c.subject == str(seq):
                text = c.new
        return text

    def withdrawn_summaries(self) -> set[int]:
        """The seq of every discussion summary withdrawn (discussion.withdrawn)."""
        return {int(c.subject) for c in self.corrections if c.kind == ev.DISCUSSION_WITHDRAWN}

    def summary_text(self, seq: int) -> str:
        """A discussion summary's text as last amended (discussion.amended; its first text if never amended)."""
        text = _by_seq(self.summaries, seq).text
        for c in self.corrections:
            if c.kind == ev.DISCUSSION_AMENDED and c.subject == str(seq):
                text = c.new
        return text

    def _branch_of(self, targets: list[str]) -> list[str]:
        """The steps an option opens, with their fallbacks and the branches of decisions among them."""
        out: list[str] = []
        queue = list(targets)
        while queue:
            key = queue.pop()
            if key in out:
                continue
            out.append(key)
            queue.extend(self._opens[key])
        return out

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

    def _carries(self, inject_id: str, name: str) -> bool:
        return self._event_of(inject_id) == name

    def _event_of(self, inject_id: str) -> str | None:
        """The event a fired inject carries (a scenario inject's, or what an ad-hoc one was written with)."""
        adhoc = self.adhoc.get(inject_id)
        if adhoc is not None:
            return adhoc.event
        inject = self.plan.inject(inject_id)
        return inject.event if inject else None

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
            if step.fallback and step_rules.opens_fallback(record, self.down(key)):
                fallback = self.steps[step.fallback]
                if fallback.opened_t is None and fallback.skipped_t is None:
                    fallback.opened_t = t
                    queue.append(step.fallback)
            if record.opened_t is None and record.skipped_t is None and step_rules.not_taken(step.openers, self):
                self._skip(key, t, self._why_skipped(step.openers), "branch not taken")
            if record.done_t is not None or record.skipped_t is not None:
                queue.extend(self._opens[key])

    def _why_skipped(self, openers: list[Opener]) -> str:
        """Why a branch step is skipped, in the runbook's words (step titles, option labels): the same text in
        the console, the room and the report."""
        parts = []
        for opener in openers:
            source = self.plan.steps.get(opener.source)
            title = source.title if source else opener.source
            if opener.kind == "next":
                decision = self.decisions.get(opener.source)
                chosen = (f"“{self.plan.worded(opener.source, decision.option)}” was chosen" if decision
                          else "that decision was skipped")
                option = self.plan.worded(opener.source, opener.option or "")
                parts.append(f"it follows “{option}” in “{title}”; {chosen}")
            else:
                parts.append(f"“{title}” finished without needing its fallback")
        return "branch not taken: " + "; ".join(parts)


_R = TypeVar("_R", NoteRecord, SummaryRecord)


def _by_seq(records: list[_R], seq: int) -> _R:
    """The record of the event `seq` in a list of records the fold appended in log order (so sorted by seq):
    found by halving, not by a walk through the list (a report asks for every note's text). Raises
    StopIteration when there is none, as the walk did."""
    at = bisect_left(records, seq, key=_seq_of)
    if at < len(records) and records[at].seq == seq:
        return records[at]
    return next(r for r in records if r.seq == seq)  # not in order after all: walk


def _seq_of(record: NoteRecord | SummaryRecord) -> int:
    return record.seq
