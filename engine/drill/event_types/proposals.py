"""Participants' suggestions from the drill room: proposal.made, and proposal.taken when the facilitator takes
one into the decision form or the discussion summary.

A seat proposes a decision option with its reason, or answers a module's
discussion question in writing. The console lists them, attributed; taking
one fills the decision form (its option, the reason as the rationale) or the
summary form (the text), and is recorded, so the report says which were taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from engine import bounds
from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import key
from engine.drill.event_types.errors import EventError
from engine.drill.event_types.polls import _bounded
from engine.drill.event_types.seats import seat_id
from engine.drill.records import ProposalRecord, StepStatus

if TYPE_CHECKING:
    from engine.drill.state import DrillState


def _optional_id(what: str) -> readers.Reader:
    return readers.optional_text(f"{what} is an id (text)", lambda v: v or None)


@event_type
@dataclass(frozen=True, slots=True)
class ProposalMade(Payload):
    """proposal.made: a seat suggests a decision option with its reason, or answers a discussion question.

    seat: the seat that sends it (in the room now); step and option: a
    decision that is ready and one of its options; or module and question: a
    module's discussion question; text: the reason, or the written answer
    (not blank, at most MAX_PROPOSAL characters). data is `{"seat": str,
    "step"?: str, "option"?: str, "module"?: str, "question"?: str, "text":
    str}`. Raises DecodeError unless it names exactly one of a decision with an
    option or a module with a question; the fold refuses a seat not in the
    room, an unknown decision or one not ready, an option it does not have, an
    unknown module or question, and more than MAX_PROPOSALS proposals, or
    MAX_PROPOSALS_A_SEAT from one seat.
    """

    WIRE: ClassVar[str] = "proposal.made"
    AFTER_END: ClassVar[bool] = True  # a written answer in the hot wash; a decision proposal is refused then
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    seat: str = key(seat_id)
    step: str | None = key(_optional_id("the decision proposed on"), omit=readers.none, default=None)
    option: str | None = key(_optional_id("the option proposed"), omit=readers.none, default=None)
    module: str | None = key(_optional_id("the module answered"), omit=readers.none, default=None)
    question: str | None = key(_optional_id("the question answered"), omit=readers.none, default=None)
    text: str = key(_bounded("a proposal", bounds.MAX_PROPOSAL), default="")

    def whole(self) -> tuple[str, str | None] | None:
        on_decision = self.step is not None and self.option is not None
        on_question = self.module is not None and self.question is not None
        if on_decision == on_question or (self.step is None) != (self.option is None) \
                or (self.module is None) != (self.question is None):
            return "a proposal names a decision and its option, or a module and its question", "step"
        return None

    def check(self, state: DrillState, t: float) -> None:
        if self.seat not in state.seated:
            raise EventError(f"seat {self.seat} is not in the room; join to propose")
        if len(state.proposals) >= bounds.MAX_PROPOSALS:
            raise EventError(f"this drill has {bounds.MAX_PROPOSALS} proposals, the most it takes")
        if sum(p.seat == self.seat for p in state.proposals) >= bounds.MAX_PROPOSALS_A_SEAT:
            raise EventError(f"seat {self.seat} has sent {bounds.MAX_PROPOSALS_A_SEAT} proposals, the most a seat "
                             f"sends")
        if self.step is not None:
            step = state.plan.steps.get(self.step)
            if step is None or not step.options:
                raise EventError(f"{self.step!r} is not a decision of the drill's runbooks")
            status = state.status(self.step)
            if state.ended or status not in (StepStatus.READY, StepStatus.ACTIVE):
                # as a poll is put on a ready decision only: the room shows no other, nor their options
                raise EventError(f"decision {self.step} is {'closed: the drill has ended' if state.ended else status}"
                                 f"; a proposal is on a decision that is ready")
            if self.option not in step.options:
                raise EventError(f"decision {self.step} has no option {self.option!r}; options: "
                                 f"{', '.join(step.options)}")
        else:
            module = next((m for m in state.plan.scenario.modules if m.id == self.module), None)
            if module is None:
                raise EventError(f"no module {self.module!r} in scenario {state.plan.scenario.scenario}")
            if all(q.id != self.question for q in module.questions):
                raise EventError(f"module {self.module} has no question {self.question!r}")

    def apply(self, state: DrillState, event: Event) -> None:
        stay = state.attendance[state.seated[self.seat]]
        state.proposals.append(ProposalRecord(self.seat, stay.name, stay.role, self.step or "", self.option or "",
                                              self.module or "", self.question or "", self.text, event.t, event.seq))


@event_type
@dataclass(frozen=True, slots=True)
class ProposalTaken(Payload):
    """proposal.taken: the facilitator takes a proposal into the decision form or the discussion summary.

    proposal: the proposal.made event's seq; by: who took it. data is
    `{"proposal": int, "by": str}`. Refused for an event that is not a
    proposal, and for one taken already.
    """

    WIRE: ClassVar[str] = "proposal.taken"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    proposal: int = key(readers.event_number("a proposal"))
    by: str = key(readers.optional_text("who took a proposal must be text", lambda v: v or ""), default="")

    def check(self, state: DrillState, t: float) -> None:
        record = state.proposal(self.proposal)
        if record is None:
            raise EventError(f"event {self.proposal} is not a proposal")
        if record.taken_t is not None:
            raise EventError(f"proposal {self.proposal} was taken already")

    def apply(self, state: DrillState, event: Event) -> None:
        record = state.proposal(self.proposal)
        assert record is not None
        record.taken_t, record.taken_by = event.t, self.by
