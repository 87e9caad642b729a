"""A module's discussion: discussion.summary, and its corrections discussion.amended and discussion.withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import key
from engine.drill.event_types.errors import EventError
from engine.drill.records import CorrectionRecord, SummaryRecord

if TYPE_CHECKING:
    from engine.drill.state import DrillState


@event_type
@dataclass(frozen=True, slots=True)
class DiscussionSummary(Payload):
    """discussion.summary: the gist of the discussion on one of a module's questions, as recorded.

    module: the scenario module's id; question: the question's id within that
    module; text: the summary, never blank; by: who recorded it ("" when not
    known). data is `{"module": str, "question": str, "text": str, "by": str}`.
    Raises DecodeError on a missing or non-text field or blank text; whether
    the module and question exist is the fold's check (EventError).
    """

    WIRE: ClassVar[str] = "discussion.summary"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    module: str = key(readers.text("a discussion summary names its module by id"))
    question: str = key(readers.text("a discussion summary names its question by id"))
    text: str = key(readers.filled("a discussion summary needs text"))
    by: str = key(readers.optional_text("who recorded a discussion summary must be text", lambda v: v or ""),
                  default="")

    def check(self, state: DrillState, t: float) -> None:
        module = next((m for m in state.plan.scenario.modules if m.id == self.module), None)
        if module is None:
            raise EventError(f"no module {self.module!r} in scenario {state.plan.scenario.scenario}")
        if all(q.id != self.question for q in module.questions):
            raise EventError(f"module {self.module} has no question {self.question!r}")

    def apply(self, state: DrillState, event: Event) -> None:
        state.summaries.append(SummaryRecord(self.module, self.question, self.text, self.by, event.t, event.seq))


def _known_summary(state: DrillState, seq: int) -> None:
    if not any(s.seq == seq for s in state.summaries):
        raise EventError(f"event {seq} is not a discussion summary")
    if seq in state.withdrawn_summaries():
        raise EventError(f"discussion summary {seq} is withdrawn already")


@event_type
@dataclass(frozen=True, slots=True)
class DiscussionAmended(Payload):
    """discussion.amended: a discussion summary's text is corrected (like note.amended). summary: the
    discussion.summary event's seq; text: the new text, never blank; by: who. data is `{"summary": int,
    "text": str, "by": str}`; DecodeError names the field."""

    WIRE: ClassVar[str] = "discussion.amended"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    summary: int = key(readers.event_number("a discussion summary"))
    text: str = key(readers.new_text)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        _known_summary(state, self.summary)

    def apply(self, state: DrillState, event: Event) -> None:
        state.corrections.append(CorrectionRecord(self.WIRE, str(self.summary), state.summary_text(self.summary),
                                                  self.text, "", self.by, event.t, event.seq))


@event_type
@dataclass(frozen=True, slots=True)
class DiscussionWithdrawn(Payload):
    """discussion.withdrawn: a discussion summary is withdrawn (it stays in the log, marked; like
    note.withdrawn). summary: its seq; reason: why, never blank; by: who."""

    WIRE: ClassVar[str] = "discussion.withdrawn"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    summary: int = key(readers.event_number("a discussion summary"))
    reason: str = key(readers.reason)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        _known_summary(state, self.summary)

    def apply(self, state: DrillState, event: Event) -> None:
        state.corrections.append(CorrectionRecord(self.WIRE, str(self.summary), state.summary_text(self.summary),
                                                  "", self.reason, self.by, event.t, event.seq))
