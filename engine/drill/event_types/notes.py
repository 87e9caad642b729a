"""What evaluators and the hot wash record: note, rating and hotwash.answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import Bad, key
from engine.drill.event_types.errors import EventError
from engine.drill.event_types.steps import known_step
from engine.drill.records import NoteRecord, RatingRecord

if TYPE_CHECKING:
    from engine.drill.state import DrillState

NOTE_KINDS = ("observation", "strength", "improvement")
RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
CAPABILITY_ELEMENTS = ("planning", "organization", "equipment", "training", "exercise")  # HSEEP POETE


def _kind(value: Any, data: Mapping[str, Any]) -> str:
    if value not in NOTE_KINDS:
        raise Bad(f"a note is one of {', '.join(NOTE_KINDS)}, not {value!r}")
    return str(value)


def _optional_step(value: Any, data: Mapping[str, Any]) -> str | None:
    return None if value is None else readers.step(value, data)


def _element(value: Any, data: Mapping[str, Any]) -> str | None:
    if value not in (None, "") and value not in CAPABILITY_ELEMENTS:
        raise Bad(f"a capability element is one of {', '.join(CAPABILITY_ELEMENTS)}, not {value!r}")
    return value


def _column(name: str) -> Any:
    """One of a note's optional text columns: None when not given, and then not written."""
    return key(readers.optional_text(f"a note's {name} must be text"), omit=readers.none, default=None)


@event_type
@dataclass(frozen=True, slots=True)
class Note(Payload):
    """note: an evaluator's or facilitator's note.

    kind: observation, strength or improvement; text: never empty; step: the
    step key it is about, or None; by: who wrote it; objective: the
    objective it bears on, `runbook/objective` (None: not given, not
    written). An area for improvement
    may carry the improvement-plan columns action, element (a POETE
    capability element: planning, organization, equipment, training,
    exercise), owner and due (a date as written); None: not given, and not
    written.
    """

    WIRE: ClassVar[str] = "note"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    kind: str = key(_kind)
    text: str = key(readers.filled("a note needs text"))
    step: str | None = key(_optional_step, default=None)
    by: str | None = key(readers.optional_text("a note's by must be text"), default="")
    objective: str | None = _column("objective")
    action: str | None = _column("action")
    element: str | None = key(_element, omit=readers.none, default=None)
    owner: str | None = _column("owner")
    due: str | None = _column("due")

    def check(self, state: DrillState, t: float) -> None:
        if self.step is not None:
            known_step(state, self.step)

    def apply(self, state: DrillState, event: Event) -> None:
        state.notes.append(NoteRecord(self.kind, self.text, self.step, self.by or "", event.t, event.seq,
                                      self.action or "", self.element or "", self.owner or "", self.due or "",
                                      self.objective or ""))


def _rating(value: Any, data: Mapping[str, Any]) -> str:
    if not isinstance(value, str) or value not in RATINGS:
        raise Bad(f"a rating is P, S, M or U, not {value!r}")
    return value


@event_type
@dataclass(frozen=True, slots=True)
class Rating(Payload):
    """rating: an objective rated on the HSEEP scale. objective: `runbook/objective`; rating: P, S, M or U."""

    WIRE: ClassVar[str] = "rating"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    objective: str = key(readers.text_named("no objective {!r} in the drill's runbooks"))
    rating: str = key(_rating)
    comment: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        if self.objective not in state.plan.objectives:
            raise EventError(f"no objective {self.objective!r} in the drill's runbooks")

    def apply(self, state: DrillState, event: Event) -> None:
        state.ratings[self.objective] = RatingRecord(self.objective, self.rating, self.comment, event.t)


def _said(value: Any, data: Mapping[str, Any]) -> str:
    if not isinstance(value, str):
        raise Bad("a hot-wash answer needs a question and an answer", None)
    return value


@event_type
@dataclass(frozen=True, slots=True)
class HotwashAnswer(Payload):
    """hotwash.answer: the answer to one hot-wash question, both as said."""

    WIRE: ClassVar[str] = "hotwash.answer"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    question: str = key(_said)
    answer: str = key(_said)

    def apply(self, state: DrillState, event: Event) -> None:
        state.hotwash.append((self.question, self.answer, event.t))
