"""What the fold records about a drill, apart from its steps' own records (engine.drill.state): the step
statuses, and the records of decisions, notes, corrections, injects fired, ratings and the rest, each
with the scenario time (seconds) and seq of the event that made it."""

from __future__ import annotations

from dataclasses import dataclass

from engine.step_rules import UNFINISHED as UNFINISHED  # the step rules own the statuses; read from here too
from engine.step_rules import StepStatus as StepStatus


@dataclass(frozen=True)
class DecisionRecord:
    step: str
    option: str
    rationale: str
    by: str
    t: float
    seq: int
    fell_to_default: bool = False  # a timed decision whose time ran out: the drill clock took its default


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


@dataclass(frozen=True)
class AttendanceRecord:
    """One stay of one seat in the drill room (seat.joined, then seat.left), in the order joined. A seat that
    leaves and joins again has a row for each stay. joined_t, left_t: scenario seconds (left_t None: still
    in); joined_seq, left_seq: the events' seq."""

    seat: str
    name: str
    role: str
    joined_t: float
    joined_seq: int
    left_t: float | None = None
    left_seq: int | None = None
