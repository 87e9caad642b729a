"""Participant feedback (HSEEP's feedback form, asked in the drill room; its items are in engine.feedback):
feedback.opened, feedback.closed and feedback.submitted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine import feedback
from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import Bad, Reader, key
from engine.drill.event_types.errors import EventError
from engine.drill.records import FeedbackRecord

if TYPE_CHECKING:
    from engine.drill.state import DrillState


@event_type
@dataclass(frozen=True, slots=True)
class FeedbackOpened(Payload):
    """feedback.opened: the facilitator opens the participant feedback form before the drill ends (it opens by
    itself at drill.ended). by: who opened it (may be empty). data is `{"by": str}`."""

    WIRE: ClassVar[str] = "feedback.opened"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "feedback"
    by: str = key(readers.optional_text("who opened the feedback form must be text", lambda v: v or ""), default="")

    def check(self, state: DrillState, t: float) -> None:
        if state.feedback_open:
            raise EventError("the feedback form is already open")

    def apply(self, state: DrillState, event: Event) -> None:
        state.feedback_set = True


@event_type
@dataclass(frozen=True, slots=True)
class FeedbackClosed(Payload):
    """feedback.closed: the facilitator closes the participant feedback form (it stays closed, even after
    drill.ended, until feedback.opened). by: who closed it. data is `{"by": str}`."""

    WIRE: ClassVar[str] = "feedback.closed"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "feedback"
    by: str = key(readers.optional_text("who closed the feedback form must be text", lambda v: v or ""), default="")

    def check(self, state: DrillState, t: float) -> None:
        if not state.feedback_open:
            raise EventError("the feedback form is already closed")

    def apply(self, state: DrillState, event: Event) -> None:
        state.feedback_set = False


def _bounded(name: str, value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise Bad(f"feedback {name} must be text", name)
    if len(value) > limit:
        raise Bad(f"feedback {name} is longer than {limit} characters", name)
    return value


def _about(name: str) -> Reader:
    return lambda value, data: _bounded(name, value, feedback.MAX_ABOUT)


def _ratings(value: Any, data: Mapping[str, Any]) -> dict[str, int]:
    if not isinstance(value, dict):
        raise Bad("feedback ratings map statement ids to a score")
    for item, score in value.items():
        if not isinstance(item, str) or isinstance(score, bool) or score not in feedback.SCALE:
            raise Bad(f"a feedback rating is a whole number from {feedback.SCALE[0]} to {feedback.SCALE[-1]}, "
                      f"not {score!r}")
    return dict(value)


def _answers(value: Any, data: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Bad("feedback answers map question ids to text")
    for item, text in value.items():
        if not isinstance(item, str) or not isinstance(text, str) or not text.strip():
            raise Bad("a feedback answer is text, never blank")
        _bounded("answers", text, feedback.MAX_ANSWER)
    return dict(value)


@event_type
@dataclass(frozen=True, slots=True)
class FeedbackSubmitted(Payload):
    """feedback.submitted: one participant's feedback form, as sent from the drill room.

    respondent: an opaque random id the room gives each browser ("" when not
    known), so one browser answers once; it names no one. name, role,
    organisation: as the participant chose to give them ("" each: not given;
    at most feedback.MAX_ABOUT characters). ratings: statement id ->
    1..5 (5 strongly agree); answers: open question id -> text (never blank,
    at most feedback.MAX_ANSWER characters); an item left out was not
    answered, and at least one is answered. data is `{"respondent", "name",
    "role", "organisation": str, "ratings": {id: int}, "answers": {id: str}}`.
    Raises DecodeError naming the field; whether the form is open, the ids
    known and the respondent new is the fold's check (EventError).
    """

    WIRE: ClassVar[str] = "feedback.submitted"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    respondent: str = key(_about("respondent"), absent="")
    name: str = key(_about("name"), absent="")
    role: str = key(_about("role"), absent="")
    organisation: str = key(_about("organisation"), absent="")
    ratings: dict[str, int] = key(_ratings, absent={}, write=dict)
    answers: dict[str, str] = key(_answers, absent={}, write=dict)

    def whole(self) -> tuple[str, str | None] | None:
        if not self.ratings and not self.answers:
            return "a feedback form needs at least one rating or answer", "ratings"
        return None

    def check(self, state: DrillState, t: float) -> None:
        if not state.feedback_open:
            raise EventError("the feedback form is closed; it opens when the drill ends, or when the facilitator "
                             "opens it")
        unknown = sorted((set(self.ratings) - feedback.STATEMENT_IDS) | (set(self.answers) - feedback.QUESTION_IDS))
        if unknown:
            raise EventError(f"the feedback form has no item {unknown[0]!r}")
        if self.respondent and any(f.respondent == self.respondent for f in state.feedback):
            raise EventError("this browser has already sent its feedback")
        if len(state.feedback) >= feedback.MAX_RESPONSES:
            raise EventError(f"the feedback form is full: {feedback.MAX_RESPONSES} answers are recorded")

    def apply(self, state: DrillState, event: Event) -> None:
        state.feedback.append(FeedbackRecord(self.respondent, self.name, self.role, self.organisation,
                                             dict(self.ratings), dict(self.answers), event.t, event.seq))
