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
    poll: str = ""  # the poll the decision cites (decision.made's `poll`; "" when none)
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


@dataclass
class PollRecord:
    """One poll put to the room (poll.opened), with what became of it. options: as shown, in order (empty:
    answers are free text); step: the decision it is on ("" when none); module, question: the module
    discussion question it asks ("" when none); answers: seat id -> its answer now (a seat's later answer
    replaces its earlier one; dict order is the order seats first answered); revealed_t, closed_t: scenario
    seconds (None: not yet); tally: the result poll.closed recorded (option -> seats; empty for free text)."""

    poll: str
    text: str
    options: tuple[str, ...]
    step: str
    module: str
    question: str
    by: str
    t: float
    seq: int
    answers: dict[str, str]
    revealed_t: float | None = None
    closed_t: float | None = None
    closed_by: str = ""
    tally: dict[str, int] | None = None

    @property
    def open(self) -> bool:
        return self.closed_t is None

    def count(self) -> dict[str, int]:
        """option -> how many seats chose it now, every option listed in order (empty for free text)."""
        out = dict.fromkeys(self.options, 0)
        for answer in self.answers.values():
            if answer in out:
                out[answer] += 1
        return out


@dataclass
class ProposalRecord:
    """A participant's suggestion (proposal.made): a decision option with its reason (step, option), or a
    written answer to a module's discussion question (module, question); text as written. seat, name, role:
    the seat that sent it, as it sat then. taken_t, taken_by: when the facilitator took it into the decision
    form or the discussion summary (proposal.taken; None: not taken)."""

    seat: str
    name: str
    role: str
    step: str
    option: str
    module: str
    question: str
    text: str
    t: float
    seq: int
    taken_t: float | None = None
    taken_by: str = ""
