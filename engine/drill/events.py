"""The drill log's contract: the envelope of every event and one typed payload class per event type.

A log is one JSON object a line (docs/drill-log.md). Every line is an
envelope, `Event`: `seq` (0, 1, 2, ...), `wall` (UTC wall time,
`2026-01-22T19:33:00.000Z`), `t` (scenario seconds since T+0), `type` (the
wire name, `step.done`) and `data` (a JSON object). The log adds `prev`, the
hash of the line before, when it writes the line.

`data` is what the log holds, byte for byte. Its typed view is the payload:
`decode(type, data)` checks the shape (the right keys with the right kinds of
value) and returns an instance of the payload class registered for the type,
or raises `DecodeError` saying what is wrong. Whether the event can happen in
the drill's state (a step that exists, a step that is ready) is not a shape
question; the fold (engine.drill.state) checks that. `payload.encode()` gives
the `data` back, key for key in the order tabletop has always written it, and
`Event.of(seq, wall, t, payload)` builds an envelope from a payload: every
writer (the console, headless play, explore) builds events that way.

A new event type is one class here: a frozen dataclass deriving `Payload`
with its `WIRE` name, its fields (units in the docstring), `decode` and
`encode`, registered with `@event_type`. A type that changes shape in a later
log version overrides `upcast` to turn an older `data` into the current one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from engine import feedback
from engine.bounds import MAX_CLOCK_SECONDS

LOG_VERSION = 1  # `version` in drill.started; a reader upcasts the data of older versions

NOTE_KINDS = ("observation", "strength", "improvement")
RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
HEALTH = ("up", "degraded", "down")
CAPABILITY_ELEMENTS = ("planning", "organization", "equipment", "training", "exercise")  # HSEEP POETE


class EventError(ValueError):
    """An event that cannot be applied: a bad shape (DecodeError) or one that cannot happen in this state
    (an unknown step, a step not ready). The message says what is wrong, in words for the facilitator."""


class DecodeError(EventError):
    """An event's `data` does not have the shape of its type. `type` is the wire name, `field` the key at
    fault (None: the whole event)."""

    def __init__(self, type: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.type = type
        self.field = field


class UnknownEventType(DecodeError):
    """The event's `type` is not one this version of tabletop knows."""

    def __init__(self, type: str) -> None:
        super().__init__(type, f"unknown event type {type!r}")


# ----- the envelope -----

@dataclass(frozen=True, slots=True)
class Event:
    """One line of a drill log, without its `prev` hash.

    seq: 0-based position in the log; wall: UTC wall time as written
    (`2026-01-22T19:33:00.000Z`); t: scenario seconds since T+0 (for
    clock.jumped, the time the jump was made); type: the wire name; data:
    the payload as a JSON object, exactly as the log holds it.
    """

    seq: int
    wall: str
    t: float
    type: str
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, seq: int, wall: str, t: float, payload: Payload) -> Event:
        """The envelope of a payload: its wire name and its encoded data."""
        return cls(seq, wall, t, payload.WIRE, payload.encode())

    def payload(self, version: int = LOG_VERSION) -> Payload:
        """The typed payload (decoded anew on each call). Raises DecodeError (UnknownEventType included)."""
        return decode(self.type, self.data, version)

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "wall": self.wall, "t": self.t, "type": self.type, "data": self.data}


# ----- payloads -----

P = TypeVar("P", bound="Payload")


class Payload:
    """The typed `data` of one event type. Subclasses are frozen dataclasses registered with @event_type."""

    __slots__ = ()
    WIRE: ClassVar[str]

    @classmethod
    def decode(cls: type[P], data: Mapping[str, Any]) -> P:
        """The payload of a `data` mapping of the current log version. Raises DecodeError."""
        raise NotImplementedError

    @classmethod
    def upcast(cls, data: Mapping[str, Any], version: int) -> Mapping[str, Any]:
        """The `data` of a log of an older `version`, rewritten in the current shape (v1 is current)."""
        return data

    def encode(self) -> dict[str, Any]:
        """The `data` to write, keys in the order tabletop writes them."""
        raise NotImplementedError


REGISTRY: dict[str, type[Payload]] = {}  # wire name -> payload class


def event_type(cls: type[P]) -> type[P]:
    """Register a payload class under its WIRE name (a class decorator)."""
    if cls.WIRE in REGISTRY:
        raise ValueError(f"event type {cls.WIRE} is registered twice")
    REGISTRY[cls.WIRE] = cls
    return cls


def decode(type: str, data: Any, version: int = LOG_VERSION) -> Payload:
    """The typed payload of an event. Raises UnknownEventType, or DecodeError for data of the wrong shape."""
    cls = REGISTRY.get(type) if isinstance(type, str) else None
    if cls is None:
        raise UnknownEventType(type)
    if not isinstance(data, dict):
        raise DecodeError(type, "event data must be a mapping")
    if version != LOG_VERSION:
        data = cls.upcast(data, version)
    return cls.decode(data)


def _text(wire: str, data: Mapping[str, Any], key: str, message: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise DecodeError(wire, message, key)
    return value


def _optional_text(wire: str, data: Mapping[str, Any], key: str, message: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise DecodeError(wire, message, key)
    return value


def _step(wire: str, data: Mapping[str, Any]) -> str:
    key = data.get("step")
    if not isinstance(key, str):
        raise DecodeError(wire, f"no step {key!r} in the drill's runbooks", "step")
    return key


def _services(wire: str, services: Any) -> dict[str, str]:
    if not isinstance(services, dict):
        raise DecodeError(wire, "services must map service ids to up, degraded or down", "services")
    for health in services.values():
        if health not in HEALTH:
            raise DecodeError(wire, f"service health must be up, degraded or down, not {health!r}", "services")
    return services


@dataclass(frozen=True, slots=True)
class LoggedFile:
    """A file a drill ran with, as drill.started names it: id, path (as given, `/`-separated), SHA-256 (hex)."""

    id: str
    path: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "path": self.path, "sha256": self.sha256}


def _logged_file(value: Any) -> LoggedFile:
    if not (isinstance(value, dict) and all(isinstance(value.get(k), str) for k in ("id", "path", "sha256"))):
        raise DecodeError(Started.WIRE, "drill.started names each file as {id, path, sha256}", "runbooks")
    return LoggedFile(value["id"], value["path"], value["sha256"])


@event_type
@dataclass(frozen=True, slots=True)
class Started(Payload):
    """drill.started, the first event of every log.

    version: LOG_VERSION of the writer; tool: `tabletop <version>`; mode:
    `live` (the console), `headless` (play) or `explore`; scenario and
    runbooks: the files, with their SHA-256; facilitator: a name or None;
    participants: role id -> name.
    """

    WIRE: ClassVar[str] = "drill.started"
    version: int | None
    tool: str | None
    mode: str | None
    scenario: LoggedFile | None
    runbooks: tuple[LoggedFile, ...]
    facilitator: str | None
    participants: dict[str, str]

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Started:
        participants = data.get("participants", {})
        if not isinstance(participants, dict) or not all(isinstance(v, str) for v in participants.values()):
            raise DecodeError(cls.WIRE, "participants must map roles to names", "participants")
        version = data.get("version")
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise DecodeError(cls.WIRE, f"the log version must be a whole number, not {version!r}", "version")
        scenario = data.get("scenario")
        runbooks = data.get("runbooks") or []
        if not isinstance(runbooks, list):
            raise DecodeError(cls.WIRE, "drill.started names each file as {id, path, sha256}", "runbooks")
        return cls(version, _optional_text(cls.WIRE, data, "tool", "the tool must be text"),
                   _optional_text(cls.WIRE, data, "mode", "the mode must be text"),
                   None if scenario is None else _logged_file(scenario), tuple(_logged_file(r) for r in runbooks),
                   _optional_text(cls.WIRE, data, "facilitator", "the facilitator must be a name"), participants)

    def encode(self) -> dict[str, Any]:
        return {"version": self.version, "tool": self.tool, "mode": self.mode,
                "scenario": self.scenario.to_dict() if self.scenario else None,
                "runbooks": [r.to_dict() for r in self.runbooks], "facilitator": self.facilitator,
                "participants": dict(self.participants)}


@event_type
@dataclass(frozen=True, slots=True)
class Ended(Payload):
    """drill.ended: the exercise is over (notes, ratings and hot-wash answers may follow). reason: words."""

    WIRE: ClassVar[str] = "drill.ended"
    reason: str | None = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Ended:
        return cls(_optional_text(cls.WIRE, data, "reason", "the reason must be text"))

    def encode(self) -> dict[str, Any]:
        return {"reason": self.reason}


@event_type
@dataclass(frozen=True, slots=True)
class InjectFired(Payload):
    """inject.fired: an inject of the scenario was delivered.

    inject: the inject id; manual: fired by hand rather than at its time;
    event: the event id it carries (opens `on:` steps), if any; services:
    service id -> up, degraded or down, the health it sets (empty: none);
    due: scenario seconds the inject was due at, written only when it fired late
    because a clock jump passed its time (the event's own `t` is when it fired).
    `event`, `services` and `due` are written only when there is one.
    """

    WIRE: ClassVar[str] = "inject.fired"
    inject: str
    manual: bool = False
    event: str | None = None
    services: dict[str, str] = field(default_factory=dict)
    due: float | None = None

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> InjectFired:
        inject = data.get("inject")
        if not isinstance(inject, str):
            raise DecodeError(cls.WIRE, f"no inject {inject!r} in the scenario", "inject")
        event = data.get("event")
        due = data.get("due")
        if due is not None and (isinstance(due, bool) or not isinstance(due, (int, float)) or not due >= 0):
            raise DecodeError(cls.WIRE, f"an inject's due time is scenario seconds, not {due!r}", "due")
        return cls(inject, bool(data.get("manual")), event if isinstance(event, str) and event else None,
                   _services(cls.WIRE, data.get("services", {})), None if due is None else float(due))

    def encode(self) -> dict[str, Any]:
        out: dict[str, Any] = {"inject": self.inject, "manual": self.manual}
        if self.event:
            out["event"] = self.event
        if self.services:
            out["services"] = dict(self.services)
        if self.due is not None:
            out["due"] = self.due
        return out


@event_type
@dataclass(frozen=True, slots=True)
class ServiceChanged(Payload):
    """service.changed: the facilitator set a service's health. service: its id; to: up, degraded or down."""

    WIRE: ClassVar[str] = "service.changed"
    service: str
    to: str

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> ServiceChanged:
        service, to = data.get("service"), data.get("to")
        if not isinstance(service, str):
            raise DecodeError(cls.WIRE, f"no service {service!r} in the drill's runbooks", "service")
        if to not in HEALTH:
            raise DecodeError(cls.WIRE, f"service health must be up, degraded or down, not {to!r}", "to")
        return cls(service, to)

    def encode(self) -> dict[str, Any]:
        return {"service": self.service, "to": self.to}


@event_type
@dataclass(frozen=True, slots=True)
class StepStarted(Payload):
    """step.started: work on a ready step began. step: the step key, `runbook/step`."""

    WIRE: ClassVar[str] = "step.started"
    step: str

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> StepStarted:
        return cls(_step(cls.WIRE, data))

    def encode(self) -> dict[str, Any]:
        return {"step": self.step}


@event_type
@dataclass(frozen=True, slots=True)
class StepDone(Payload):
    """step.done: a ready or active step (not a decision) is finished. step: the step key."""

    WIRE: ClassVar[str] = "step.done"
    step: str

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> StepDone:
        return cls(_step(cls.WIRE, data))

    def encode(self) -> dict[str, Any]:
        return {"step": self.step}


@event_type
@dataclass(frozen=True, slots=True)
class StepSkipped(Payload):
    """step.skipped: the facilitator skipped a step. step: the step key; reason: why, never empty."""

    WIRE: ClassVar[str] = "step.skipped"
    step: str
    reason: str

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> StepSkipped:
        step = _step(cls.WIRE, data)
        reason = data.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise DecodeError(cls.WIRE, "skipping a step needs a reason", "reason")
        return cls(step, reason)

    def encode(self) -> dict[str, Any]:
        return {"step": self.step, "reason": self.reason}


@event_type
@dataclass(frozen=True, slots=True)
class CheckTicked(Payload):
    """check.ticked: a checklist item of a step was ticked (checked) or unticked.

    step: the step key; item: 0-based index into the step's `do` list.
    """

    WIRE: ClassVar[str] = "check.ticked"
    step: str
    item: int
    checked: bool = True

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> CheckTicked:
        step = _step(cls.WIRE, data)
        item = data.get("item")
        if not isinstance(item, int) or isinstance(item, bool) or item < 0:
            raise DecodeError(cls.WIRE, f"step {step} has no checklist item {item!r}", "item")
        return cls(step, item, bool(data.get("checked", True)))

    def encode(self) -> dict[str, Any]:
        return {"step": self.step, "item": self.item, "checked": self.checked}


@event_type
@dataclass(frozen=True, slots=True)
class DecisionMade(Payload):
    """decision.made: a decision step was decided, which finishes it and opens the option's steps.

    step: the decision step's key; option: the option id; rationale: why,
    as said; by: who decided (a name or role, may be empty).
    """

    WIRE: ClassVar[str] = "decision.made"
    step: str
    option: str
    rationale: str = ""
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> DecisionMade:
        step = _step(cls.WIRE, data)
        option = data.get("option")
        if not isinstance(option, str):
            raise DecodeError(cls.WIRE, f"decision {step} has no option {option!r}", "option")
        return cls(step, option, str(data.get("rationale") or ""), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"step": self.step, "option": self.option, "rationale": self.rationale, "by": self.by}


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
    kind: str
    text: str
    step: str | None = None
    by: str | None = ""
    objective: str | None = None
    action: str | None = None
    element: str | None = None
    owner: str | None = None
    due: str | None = None

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Note:
        kind = data.get("kind")
        if kind not in NOTE_KINDS:
            raise DecodeError(cls.WIRE, f"a note is one of {', '.join(NOTE_KINDS)}, not {kind!r}", "kind")
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DecodeError(cls.WIRE, "a note needs text", "text")
        step = data.get("step")
        if step is not None and not isinstance(step, str):
            raise DecodeError(cls.WIRE, f"no step {step!r} in the drill's runbooks", "step")
        element = data.get("element")
        if element not in (None, "") and element not in CAPABILITY_ELEMENTS:
            raise DecodeError(cls.WIRE, f"a capability element is one of {', '.join(CAPABILITY_ELEMENTS)}, "
                                        f"not {element!r}", "element")
        objective, action, owner, due, by = (
            _optional_text(cls.WIRE, data, name, f"a note's {name} must be text")
            for name in ("objective", "action", "owner", "due", "by"))
        return cls(kind, text, step, by, objective, action, element, owner, due)

    def encode(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text, "step": self.step, "by": self.by}
        for name in ("objective", "action", "element", "owner", "due"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@event_type
@dataclass(frozen=True, slots=True)
class ClockPaused(Payload):
    """clock.paused: scenario time stops. reason: why, when the tool paused it (on resume), else absent."""

    WIRE: ClassVar[str] = "clock.paused"
    reason: str | None = None

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> ClockPaused:
        return cls(_optional_text(cls.WIRE, data, "reason", "the reason must be text"))

    def encode(self) -> dict[str, Any]:
        return {} if self.reason is None else {"reason": self.reason}


@event_type
@dataclass(frozen=True, slots=True)
class ClockResumed(Payload):
    """clock.resumed: scenario time runs again from where it stopped."""

    WIRE: ClassVar[str] = "clock.resumed"

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> ClockResumed:
        return cls()

    def encode(self) -> dict[str, Any]:
        return {}


@event_type
@dataclass(frozen=True, slots=True)
class ClockJumped(Payload):
    """clock.jumped: scenario time jumps forward. to: the scenario seconds it jumps to (after the event's t)."""

    WIRE: ClassVar[str] = "clock.jumped"
    to: float

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> ClockJumped:
        to = data.get("to")
        if not isinstance(to, (int, float)) or isinstance(to, bool):
            raise DecodeError(cls.WIRE, f"the clock jumps to a number of scenario seconds, not {to!r}", "to")
        if not 0 <= to <= MAX_CLOCK_SECONDS:
            raise DecodeError(cls.WIRE, f"the clock cannot jump beyond T+{MAX_CLOCK_SECONDS // 86400}d", "to")
        return cls(to)

    def encode(self) -> dict[str, Any]:
        return {"to": self.to}


@event_type
@dataclass(frozen=True, slots=True)
class HotwashAnswer(Payload):
    """hotwash.answer: the answer to one hot-wash question, both as said."""

    WIRE: ClassVar[str] = "hotwash.answer"
    question: str
    answer: str

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> HotwashAnswer:
        question, answer = data.get("question"), data.get("answer")
        if not isinstance(question, str) or not isinstance(answer, str):
            raise DecodeError(cls.WIRE, "a hot-wash answer needs a question and an answer")
        return cls(question, answer)

    def encode(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer}


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
    module: str
    question: str
    text: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> DiscussionSummary:
        module = _text(cls.WIRE, data, "module", "a discussion summary names its module by id")
        question = _text(cls.WIRE, data, "question", "a discussion summary names its question by id")
        text = _text(cls.WIRE, data, "text", "a discussion summary needs text")
        if not text.strip():
            raise DecodeError(cls.WIRE, "a discussion summary needs text", "text")
        by = _optional_text(cls.WIRE, data, "by", "who recorded a discussion summary must be text")
        return cls(module, question, text, by or "")

    def encode(self) -> dict[str, Any]:
        return {"module": self.module, "question": self.question, "text": self.text, "by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class Rating(Payload):
    """rating: an objective rated on the HSEEP scale. objective: `runbook/objective`; rating: P, S, M or U."""

    WIRE: ClassVar[str] = "rating"
    objective: str
    rating: str
    comment: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Rating:
        objective = data.get("objective")
        if not isinstance(objective, str):
            raise DecodeError(cls.WIRE, f"no objective {objective!r} in the drill's runbooks", "objective")
        rating = data.get("rating")
        if rating not in RATINGS:
            raise DecodeError(cls.WIRE, f"a rating is P, S, M or U, not {rating!r}", "rating")
        return cls(objective, rating, str(data.get("comment") or ""))

    def encode(self) -> dict[str, Any]:
        return {"objective": self.objective, "rating": self.rating, "comment": self.comment}


# ----- participant feedback (HSEEP's feedback form, asked in the drill room; items in engine.feedback), and
# ----- corrections to discussion summaries -----

@event_type
@dataclass(frozen=True, slots=True)
class FeedbackOpened(Payload):
    """feedback.opened: the facilitator opens the participant feedback form before the drill ends (it opens by
    itself at drill.ended). by: who opened it (may be empty). data is `{"by": str}`."""

    WIRE: ClassVar[str] = "feedback.opened"
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> FeedbackOpened:
        return cls(_optional_text(cls.WIRE, data, "by", "who opened the feedback form must be text") or "")

    def encode(self) -> dict[str, Any]:
        return {"by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class FeedbackClosed(Payload):
    """feedback.closed: the facilitator closes the participant feedback form (it stays closed, even after
    drill.ended, until feedback.opened). by: who closed it. data is `{"by": str}`."""

    WIRE: ClassVar[str] = "feedback.closed"
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> FeedbackClosed:
        return cls(_optional_text(cls.WIRE, data, "by", "who closed the feedback form must be text") or "")

    def encode(self) -> dict[str, Any]:
        return {"by": self.by}


def _bounded(wire: str, value: Any, key: str, limit: int) -> str:
    if not isinstance(value, str):
        raise DecodeError(wire, f"feedback {key} must be text", key)
    if len(value) > limit:
        raise DecodeError(wire, f"feedback {key} is longer than {limit} characters", key)
    return value


def _feedback_ratings(wire: str, value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise DecodeError(wire, "feedback ratings map statement ids to a score", "ratings")
    for key, score in value.items():
        if not isinstance(key, str) or isinstance(score, bool) or score not in feedback.SCALE:
            raise DecodeError(wire, f"a feedback rating is a whole number from {feedback.SCALE[0]} to "
                                    f"{feedback.SCALE[-1]}, not {score!r}", "ratings")
    return dict(value)


def _feedback_answers(wire: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise DecodeError(wire, "feedback answers map question ids to text", "answers")
    for key, text in value.items():
        if not isinstance(key, str) or not isinstance(text, str) or not text.strip():
            raise DecodeError(wire, "a feedback answer is text, never blank", "answers")
        _bounded(wire, text, "answers", feedback.MAX_ANSWER)
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
    respondent: str
    name: str
    role: str
    organisation: str
    ratings: dict[str, int]
    answers: dict[str, str]

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> FeedbackSubmitted:
        respondent, name, role, organisation = (_bounded(cls.WIRE, data.get(key, ""), key, feedback.MAX_ABOUT)
                                                for key in ("respondent", "name", "role", "organisation"))
        ratings = _feedback_ratings(cls.WIRE, data.get("ratings", {}))
        answers = _feedback_answers(cls.WIRE, data.get("answers", {}))
        if not ratings and not answers:
            raise DecodeError(cls.WIRE, "a feedback form needs at least one rating or answer", "ratings")
        return cls(respondent, name, role, organisation, ratings, answers)

    def encode(self) -> dict[str, Any]:
        return {"respondent": self.respondent, "name": self.name, "role": self.role,
                "organisation": self.organisation, "ratings": dict(self.ratings), "answers": dict(self.answers)}


def _summary_seq(wire: str, data: Mapping[str, Any]) -> int:
    seq = data.get("summary")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise DecodeError(wire, f"a discussion summary is named by its event number, not {seq!r}", "summary")
    return seq


@event_type
@dataclass(frozen=True, slots=True)
class DiscussionAmended(Payload):
    """discussion.amended: a discussion summary's text is corrected (like note.amended). summary: the
    discussion.summary event's seq; text: the new text, never blank; by: who. data is `{"summary": int,
    "text": str, "by": str}`; DecodeError names the field."""

    WIRE: ClassVar[str] = "discussion.amended"
    summary: int
    text: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> DiscussionAmended:
        return cls(_summary_seq(cls.WIRE, data), _reason(cls.WIRE, data, "text"), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"summary": self.summary, "text": self.text, "by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class DiscussionWithdrawn(Payload):
    """discussion.withdrawn: a discussion summary is withdrawn (it stays in the log, marked; like
    note.withdrawn). summary: its seq; reason: why, never blank; by: who."""

    WIRE: ClassVar[str] = "discussion.withdrawn"
    summary: int
    reason: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> DiscussionWithdrawn:
        return cls(_summary_seq(cls.WIRE, data), _reason(cls.WIRE, data), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"summary": self.summary, "reason": self.reason, "by": self.by}


# ----- corrections: the log stays append-only; these events correct what an earlier one said -----

def _reason(wire: str, data: Mapping[str, Any], key: str = "reason") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DecodeError(wire, f"a correction needs a {key}, never empty", key)
    return value


def _note_seq(wire: str, data: Mapping[str, Any]) -> int:
    seq = data.get("note")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise DecodeError(wire, f"a note is named by its event number, not {seq!r}", "note")
    return seq


@event_type
@dataclass(frozen=True, slots=True)
class DecisionRevised(Payload):
    """decision.revised: a decision already made is changed to another option.

    step: the decision step's key; option: the new option id; reason: why,
    never empty; by: who revised it (may be empty). The old branch's steps
    not started go back to dormant (skipped "branch not taken"), the new
    branch opens; started or done steps of the old branch stay, marked.
    """

    WIRE: ClassVar[str] = "decision.revised"
    step: str
    option: str
    reason: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> DecisionRevised:
        step = _step(cls.WIRE, data)
        option = data.get("option")
        if not isinstance(option, str):
            raise DecodeError(cls.WIRE, f"decision {step} has no option {option!r}", "option")
        return cls(step, option, _reason(cls.WIRE, data), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"step": self.step, "option": self.option, "reason": self.reason, "by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class DecisionAmended(Payload):
    """decision.amended: a decision's rationale and who decided are put right; the option stays.

    step: the decision step's key (decided); rationale: the rationale as it
    should read, never blank; decided_by: who decided, as it should read,
    never blank; reason: why it is corrected, never blank; by: who corrected
    it (may be empty). At least one of rationale and decided_by differs from
    the decision as it stands (the fold checks). data is `{"step": str,
    "rationale": str, "decided_by": str, "reason": str, "by": str}`;
    DecodeError names the field.
    """

    WIRE: ClassVar[str] = "decision.amended"
    step: str
    rationale: str
    decided_by: str
    reason: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> DecisionAmended:
        return cls(_step(cls.WIRE, data), _reason(cls.WIRE, data, "rationale"), _reason(cls.WIRE, data, "decided_by"),
                   _reason(cls.WIRE, data), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"step": self.step, "rationale": self.rationale, "decided_by": self.decided_by,
                "reason": self.reason, "by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class InjectWithdrawn(Payload):
    """inject.withdrawn: an inject fired by mistake is taken back.

    inject: the inject id (fired, not withdrawn); reason: why, never empty;
    by: who. Its service changes are undone where nothing later changed the
    same service; contingency injects armed since it fired and not fired are disarmed.
    """

    WIRE: ClassVar[str] = "inject.withdrawn"
    inject: str
    reason: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> InjectWithdrawn:
        inject = data.get("inject")
        if not isinstance(inject, str):
            raise DecodeError(cls.WIRE, f"no inject {inject!r} in the scenario", "inject")
        return cls(inject, _reason(cls.WIRE, data), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"inject": self.inject, "reason": self.reason, "by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class StepReopened(Payload):
    """step.reopened: a step marked done or skipped by mistake is open again. step: the key; reason; by."""

    WIRE: ClassVar[str] = "step.reopened"
    step: str
    reason: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> StepReopened:
        return cls(_step(cls.WIRE, data), _reason(cls.WIRE, data), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"step": self.step, "reason": self.reason, "by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class NoteAmended(Payload):
    """note.amended: a note's text is corrected. note: the note event's seq; text: the new text; by: who."""

    WIRE: ClassVar[str] = "note.amended"
    note: int
    text: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> NoteAmended:
        return cls(_note_seq(cls.WIRE, data), _reason(cls.WIRE, data, "text"), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"note": self.note, "text": self.text, "by": self.by}


@event_type
@dataclass(frozen=True, slots=True)
class NoteWithdrawn(Payload):
    """note.withdrawn: a note is withdrawn (it stays in the log, marked). note: its seq; reason; by."""

    WIRE: ClassVar[str] = "note.withdrawn"
    note: int
    reason: str
    by: str = ""

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> NoteWithdrawn:
        return cls(_note_seq(cls.WIRE, data), _reason(cls.WIRE, data), str(data.get("by") or ""))

    def encode(self) -> dict[str, Any]:
        return {"note": self.note, "reason": self.reason, "by": self.by}


# Wire names, for code that compares an envelope's `type` without decoding it.
STARTED = Started.WIRE
ENDED = Ended.WIRE
INJECT_FIRED = InjectFired.WIRE
SERVICE_CHANGED = ServiceChanged.WIRE
STEP_STARTED = StepStarted.WIRE
STEP_DONE = StepDone.WIRE
STEP_SKIPPED = StepSkipped.WIRE
CHECK_TICKED = CheckTicked.WIRE
DECISION_MADE = DecisionMade.WIRE
NOTE = Note.WIRE
CLOCK_PAUSED = ClockPaused.WIRE
CLOCK_RESUMED = ClockResumed.WIRE
CLOCK_JUMPED = ClockJumped.WIRE
HOTWASH_ANSWER = HotwashAnswer.WIRE
RATING = Rating.WIRE
DECISION_REVISED = DecisionRevised.WIRE
INJECT_WITHDRAWN = InjectWithdrawn.WIRE
STEP_REOPENED = StepReopened.WIRE
NOTE_AMENDED = NoteAmended.WIRE
NOTE_WITHDRAWN = NoteWithdrawn.WIRE
DISCUSSION_SUMMARY = DiscussionSummary.WIRE
FEEDBACK_OPENED = FeedbackOpened.WIRE
FEEDBACK_CLOSED = FeedbackClosed.WIRE
FEEDBACK_SUBMITTED = FeedbackSubmitted.WIRE
DISCUSSION_AMENDED = DiscussionAmended.WIRE
DISCUSSION_WITHDRAWN = DiscussionWithdrawn.WIRE
DECISION_AMENDED = DecisionAmended.WIRE
TYPES = tuple(REGISTRY)


# ----- written during the drill: an ad-hoc inject, and the time away after a crash -----

def _roles(wire: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(r, str) and r.strip() for r in value):
        raise DecodeError(wire, "`to` is a list of roles (each a non-empty text)", "to")
    return tuple(value)


@event_type
@dataclass(frozen=True, slots=True)
class InjectAdhoc(Payload):
    """inject.adhoc: an inject the facilitator wrote during the drill, delivered at once.

    inject: the id the drill gave it (`adhoc-1`, ...; never a scenario
    inject's id); text: what is read out, never blank; to: the roles it is
    for (empty: the whole room); services: service id -> up, degraded or
    down, the health it sets (empty: none); event: the event id it carries
    (opens `on:` steps like a scenario inject's), or None; by: who wrote it;
    expect: the response the team is expected to give (what evaluators rate
    it against; "" when none); objectives: the `runbook/objective` keys it
    bears on. `services`, `event`, `expect` and `objectives` are written only
    when there is one. It counts as fired by hand, and inject.withdrawn takes
    it back like any other. data is `{"inject": str, "text": str, "to": [str],
    "services"?: {str: str}, "event"?: str, "by": str, "expect"?: str,
    "objectives"?: [str]}`. Raises DecodeError on a blank id or text, a `to`
    or `objectives` that is not a list of texts, or a health not in HEALTH.
    """

    WIRE: ClassVar[str] = "inject.adhoc"
    inject: str
    text: str
    to: tuple[str, ...] = ()
    services: dict[str, str] = field(default_factory=dict)
    event: str | None = None
    by: str = ""
    expect: str = ""
    objectives: tuple[str, ...] = ()

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> InjectAdhoc:
        inject = data.get("inject")
        if not isinstance(inject, str) or not inject.strip():
            raise DecodeError(cls.WIRE, f"an ad-hoc inject needs an id, not {inject!r}", "inject")
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DecodeError(cls.WIRE, "an ad-hoc inject needs its text", "text")
        event = _optional_text(cls.WIRE, data, "event", "the event an inject carries is an id (text)")
        by = _optional_text(cls.WIRE, data, "by", "who wrote the inject must be text")
        expect = _optional_text(cls.WIRE, data, "expect", "the expected action must be text")
        objectives = data.get("objectives", [])
        if not isinstance(objectives, list) or not all(isinstance(o, str) and o.strip() for o in objectives):
            raise DecodeError(cls.WIRE, "`objectives` is a list of runbook/objective keys", "objectives")
        return cls(inject, text, _roles(cls.WIRE, data.get("to")), _services(cls.WIRE, data.get("services", {})),
                   event or None, by or "", expect or "", tuple(objectives))

    def encode(self) -> dict[str, Any]:
        out: dict[str, Any] = {"inject": self.inject, "text": self.text, "to": list(self.to)}
        if self.services:
            out["services"] = dict(self.services)
        if self.event:
            out["event"] = self.event
        out["by"] = self.by
        if self.expect:
            out["expect"] = self.expect
        if self.objectives:
            out["objectives"] = list(self.objectives)
        return out


@event_type
@dataclass(frozen=True, slots=True)
class ClockGap(Payload):
    """clock.gap: on resume after a crash, the facilitator's answer to "count the time away?".

    since: the wall time of the last event written before the drill stopped
    (as the log has it, `2026-01-22T19:52:10.000Z`); away: wall seconds from
    then to this answer; counted: true moves the exercise clock forward by
    `away` (as if it had run all along: injects it passes fire late, like a
    jump's), false leaves it where it stopped. The clock stays paused either
    way. data is `{"since": str, "away": float, "counted": bool}`. Raises
    DecodeError on a `since` that is not text, an `away` that is not a
    number of seconds from 0 to engine.bounds.MAX_CLOCK_SECONDS, or a
    `counted` that is not true or false.
    """

    WIRE: ClassVar[str] = "clock.gap"
    since: str
    away: float
    counted: bool

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> ClockGap:
        since = _text(cls.WIRE, data, "since", "`since` is the wall time of the last event before the stop")
        away = data.get("away")
        if isinstance(away, bool) or not isinstance(away, (int, float)) or not 0 <= away <= MAX_CLOCK_SECONDS:
            raise DecodeError(cls.WIRE, f"the time away is a number of seconds, not {away!r}", "away")
        counted = data.get("counted")
        if not isinstance(counted, bool):
            raise DecodeError(cls.WIRE, f"`counted` is true or false, not {counted!r}", "counted")
        return cls(since, float(away), counted)

    def encode(self) -> dict[str, Any]:
        return {"since": self.since, "away": self.away, "counted": self.counted}


INJECT_ADHOC = InjectAdhoc.WIRE
CLOCK_GAP = ClockGap.WIRE
TYPES = tuple(REGISTRY)
