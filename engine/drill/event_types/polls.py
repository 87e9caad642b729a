"""Polls put to the drill room: poll.opened, poll.answered, poll.revealed and poll.closed.

The facilitator opens a poll from the console: on a decision that is ready
(its options, from the runbook), on a question with options typed on the
spot, or a free-text question (a module's discussion question fits). Seats
answer from the room, one answer a seat, changeable until the poll closes;
the projector shows the tally once the facilitator reveals it; closing
records the result. A poll never moves the drill: the facilitator still
decides, and decision.made may cite the poll (its `poll` field).
One poll is open at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine import bounds
from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import Bad, key
from engine.drill.event_types.errors import EventError
from engine.drill.event_types.seats import seat_id
from engine.drill.records import PollRecord, StepStatus

if TYPE_CHECKING:
    from engine.drill.state import DrillState

POLL_ID = re.compile(r"[A-Za-z0-9_-]+")
_READY = (StepStatus.READY, StepStatus.ACTIVE)


def poll_id(value: Any, data: Mapping[str, Any]) -> str:
    """A poll id: 1 to MAX_POLL_ID letters, digits, `-` or `_`."""
    if not isinstance(value, str) or not POLL_ID.fullmatch(value) or len(value) > bounds.MAX_POLL_ID:
        raise Bad(f"a poll id is 1 to {bounds.MAX_POLL_ID} letters, digits, - or _, not {str(value)[:80]!r}")
    return value


def text_problem(value: Any, what: str, limit: int, *, one_line: bool = False) -> str | None:
    """What is wrong with a poll's question, option or answer, in words (None: nothing): text, not blank, at
    most `limit` characters; `one_line`: no control or format characters (an option is shown on one line)."""
    if not isinstance(value, str) or not value.strip():
        return f"{what} needs text"
    if len(value) > limit:
        return f"{what} is at most {limit} characters"
    if any(_bad_char(c, one_line) for c in value):
        return f"{what} holds no control characters or direction marks" + (", nor line breaks" if one_line else "")
    return None


def _bad_char(c: str, one_line: bool) -> bool:
    if c in "\n\t":
        return one_line
    return unicodedata.category(c) in (("Cc", "Cf", "Zl", "Zp") if one_line else ("Cc", "Cf"))


def _bounded(what: str, limit: int, one_line: bool = False) -> Any:
    def read(value: Any, data: Mapping[str, Any]) -> str:
        problem = text_problem(value, what, limit, one_line=one_line)
        if problem:
            raise Bad(problem)
        return str(value)
    return read


def options_problem(value: Any) -> str | None:
    """What is wrong with a poll's options (None: nothing): none (free text) or 2 to MAX_POLL_OPTIONS
    different texts of one line each, with no space at either end (the room trims what a seat sends)."""
    if not isinstance(value, (list, tuple)):
        return "a poll's options are a list of texts"
    if len(value) == 1 or len(value) > bounds.MAX_POLL_OPTIONS:
        return f"a poll has no options (free text) or 2 to {bounds.MAX_POLL_OPTIONS}"
    for option in value:
        problem = text_problem(option, "an option", bounds.MAX_POLL_OPTION, one_line=True)
        if problem:
            return problem
        if option != option.strip():
            return f"an option has no space at its ends, not {option[:80]!r}"
    if len(set(value)) != len(value):
        return "a poll's options are all different"
    return None


def _options(value: Any, data: Mapping[str, Any]) -> tuple[str, ...]:
    value = [] if value is None else value
    problem = options_problem(value)
    if problem:
        raise Bad(problem)
    return tuple(value)


def _optional_id(what: str) -> Any:
    return readers.optional_text(f"{what} is an id (text)", lambda v: v or None)


def known_poll(state: DrillState, poll: str) -> PollRecord:
    """The poll with this id; EventError when there is none."""
    record = state.polls.get(poll)
    if record is None:
        raise EventError(f"no poll {poll!r} in this drill")
    return record


@event_type
@dataclass(frozen=True, slots=True)
class PollOpened(Payload):
    """poll.opened: the facilitator puts a question to the room.

    poll: the id the drill gives it (`poll-1`, ...); text: the question as
    asked (not blank, at most MAX_POLL_QUESTION characters); options: what a
    seat chooses from (2 to MAX_POLL_OPTIONS one-line texts; empty: answers
    are free text); step: the decision it is on (its options are then the
    decision's option ids, in the runbook's order), or None; module and
    question: the module discussion question it asks, or None; by: who opened
    it. data is `{"poll": str, "text": str, "options": [str], "step"?: str,
    "module"?: str, "question"?: str, "by": str}`. The fold refuses a poll
    while another is open, an id used before, a decision that is not ready,
    options that are not the decision's, an unknown module or question, and
    more than MAX_POLLS polls.
    """

    WIRE: ClassVar[str] = "poll.opened"
    AFTER_END: ClassVar[bool] = True  # a poll in the hot wash
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "poll"
    poll: str = key(poll_id)
    text: str = key(_bounded("a poll's question", bounds.MAX_POLL_QUESTION))
    options: tuple[str, ...] = key(_options, write=list, default=())
    step: str | None = key(_optional_id("the decision a poll is on"), omit=readers.none, default=None)
    module: str | None = key(_optional_id("a poll's module"), omit=readers.none, default=None)
    question: str | None = key(_optional_id("a poll's module question"), omit=readers.none, default=None)
    by: str = key(readers.optional_text("who opened a poll must be text", lambda v: v or ""), default="")

    def whole(self) -> tuple[str, str | None] | None:
        if (self.module is None) != (self.question is None):
            return "a poll on a module question names both the module and the question", "module"
        if self.step is not None and self.module is not None:
            return "a poll is on a decision or on a module question, not both", "step"
        return None

    def check(self, state: DrillState, t: float) -> None:
        now = state.open_poll()
        if now is not None:
            raise EventError(f"poll {now.poll} is open; close it before opening another")
        if self.poll in state.polls:
            raise EventError(f"poll {self.poll} was opened before; a poll needs an id of its own")
        if len(state.polls) >= bounds.MAX_POLLS:
            raise EventError(f"this drill has had {bounds.MAX_POLLS} polls, the most it takes")
        if self.step is not None:
            self._check_decision(state)
        if self.module is not None:
            module = next((m for m in state.plan.scenario.modules if m.id == self.module), None)
            if module is None:
                raise EventError(f"no module {self.module!r} in scenario {state.plan.scenario.scenario}")
            if all(q.id != self.question for q in module.questions):
                raise EventError(f"module {self.module} has no question {self.question!r}")

    def _check_decision(self, state: DrillState) -> None:
        step = state.plan.steps.get(self.step or "")
        if step is None or not step.options:
            raise EventError(f"{self.step!r} is not a decision of the drill's runbooks")
        status = state.status(step.key)
        if status not in _READY:
            raise EventError(f"decision {step.key} is {status}; a poll is put on a decision that is ready")
        if sorted(self.options) != sorted(step.options):  # in any order: a plan read from a log knows no order
            raise EventError(f"a poll on decision {step.key} offers its options: {', '.join(step.options)}")

    def apply(self, state: DrillState, event: Event) -> None:
        state.polls[self.poll] = PollRecord(self.poll, self.text, self.options, self.step or "", self.module or "",
                                            self.question or "", self.by, event.t, event.seq, {})


@event_type
@dataclass(frozen=True, slots=True)
class PollAnswered(Payload):
    """poll.answered: a seat answers a poll, or changes its answer (the later one counts).

    poll: the poll's id; seat: the seat that answers (in the room now);
    answer: one of the poll's options, or for a free-text poll the text (not
    blank, at most MAX_POLL_ANSWER characters). data is `{"poll", "seat",
    "answer": str}`. The fold refuses an unknown or closed poll, a poll on a
    decision made or skipped since, a seat not in the room, and an answer
    that is not one of the options.
    """

    WIRE: ClassVar[str] = "poll.answered"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "poll"
    poll: str = key(poll_id)
    seat: str = key(seat_id)
    answer: str = key(_bounded("an answer", bounds.MAX_POLL_ANSWER))

    def check(self, state: DrillState, t: float) -> None:
        record = known_poll(state, self.poll)
        if not record.open:
            raise EventError(f"poll {self.poll} is closed; it takes no more answers")
        if record.step and state.status(record.step) in (StepStatus.DONE, StepStatus.SKIPPED):
            # as a proposal on it is refused: a later answer would change the tally the decision cites
            raise EventError(f"decision {record.step} is {state.status(record.step)}; poll {self.poll} on it "
                             f"takes no more answers")
        if self.seat not in state.seated:
            raise EventError(f"seat {self.seat} is not in the room; join to answer")
        if record.options and self.answer not in record.options:
            raise EventError(f"poll {self.poll} has no option {self.answer[:80]!r}; options: "
                             f"{', '.join(record.options)}")

    def apply(self, state: DrillState, event: Event) -> None:
        state.polls[self.poll].answers[self.seat] = self.answer


@event_type
@dataclass(frozen=True, slots=True)
class PollRevealed(Payload):
    """poll.revealed: the facilitator shows a poll's tally on the projector (and to the seats). poll: its id;
    by: who. data is `{"poll": str, "by": str}`. Refused for an unknown poll or one revealed already."""

    WIRE: ClassVar[str] = "poll.revealed"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "poll"
    poll: str = key(poll_id)
    by: str = key(readers.optional_text("who revealed a poll must be text", lambda v: v or ""), default="")

    def check(self, state: DrillState, t: float) -> None:
        if known_poll(state, self.poll).revealed_t is not None:
            raise EventError(f"poll {self.poll} is shown already")

    def apply(self, state: DrillState, event: Event) -> None:
        state.polls[self.poll].revealed_t = event.t


def _tally(value: Any, data: Mapping[str, Any]) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool) and n >= 0 for k, n in value.items()):
        raise Bad("a poll's tally maps each option to a whole number of seats")
    return dict(value)


def _answered(value: Any, data: Mapping[str, Any]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Bad(f"a poll's count of answers is a whole number, not {value!r}")
    return value


@event_type
@dataclass(frozen=True, slots=True)
class PollClosed(Payload):
    """poll.closed: the facilitator closes a poll; no more answers, and its result is recorded.

    poll: its id; tally: option -> how many seats chose it at the close,
    every option in order (empty for a free-text poll); answered: how many
    seats answered; by: who closed it. data is `{"poll": str, "tally": {str:
    int}, "answered": int, "by": str}`. The fold refuses an unknown or closed
    poll, and a tally or count that is not the poll's own.
    """

    WIRE: ClassVar[str] = "poll.closed"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "poll"
    poll: str = key(poll_id)
    tally: dict[str, int] = key(_tally, write=dict, default_factory=dict)
    answered: int = key(_answered, default=0)
    by: str = key(readers.optional_text("who closed a poll must be text", lambda v: v or ""), default="")

    def check(self, state: DrillState, t: float) -> None:
        record = known_poll(state, self.poll)
        if not record.open:
            raise EventError(f"poll {self.poll} is closed already")
        if list(self.tally.items()) != list(record.count().items()) or self.answered != len(record.answers):
            raise EventError(f"poll {self.poll}'s result is not its answers: {record.count()} from "
                             f"{len(record.answers)} seats")

    def apply(self, state: DrillState, event: Event) -> None:
        record = state.polls[self.poll]
        record.closed_t, record.closed_by, record.tally = event.t, self.by, dict(self.tally)
