"""What every event type shares: the envelope, the errors, the payload base class and the registry.

A payload class is a frozen dataclass deriving `Payload`, registered with
`@event_type`. It carries, in one place, all that one event type means:

- `WIRE`, its name in the log (`step.done`), and its fields in the order
  the log writes them, each declared with `codec.key` (how the key is read
  and checked, when it is left out on writing);
- its flags, decided explicitly on every class (tests/drill/test_event_types.py
  fails on a class that leaves one out): `AFTER_END` (may follow
  drill.ended), `MOVES_STEPS` (can change a step's status: replay compares
  statuses and frontier looks again at steps only after these) and `PUBLIC`
  (what the drill room's participant seat calls it: "inject", "services",
  "clock", "ended", "feedback"; None: the seat is not told);
- `check(state, t)`, whether it can happen in this DrillState (raises
  EventError in words for the facilitator), and `apply(state, event)`, how it
  changes the state; DrillState.check and DrillState.apply call them;
- `touched(links, plan)`, the steps it can change directly, and
  `time_after(t)`, the scenario time after it (a jump moves it);
- `upcast(data, version)`, for a type whose shape changed in a later log version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from engine.drill.event_types import codec
from engine.drill.event_types.errors import DecodeError, UnknownEventType

if TYPE_CHECKING:
    from engine.drill.frontier import Links
    from engine.drill.plan import Plan
    from engine.drill.state import DrillState

LOG_VERSION = 1  # `version` in drill.started; a reader upcasts the data of older versions
FLAGS = ("AFTER_END", "MOVES_STEPS", "PUBLIC")  # every payload class sets each of these itself


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


P = TypeVar("P", bound="Payload")


class Payload:
    """The typed `data` of one event type, with its flags, its check and its apply (see the module doc)."""

    __slots__ = ()
    WIRE: ClassVar[str]
    AFTER_END: ClassVar[bool]
    MOVES_STEPS: ClassVar[bool]
    PUBLIC: ClassVar[str | None]
    CODEC: ClassVar[codec.Codec]

    @classmethod
    def decode(cls: type[P], data: Mapping[str, Any]) -> P:
        """The payload of a `data` mapping of the current log version. Raises DecodeError."""
        return cls.CODEC.decode(data)

    @classmethod
    def upcast(cls, data: Mapping[str, Any], version: int) -> Mapping[str, Any]:
        """The `data` of a log of an older `version`, rewritten in the current shape (v1 is current)."""
        return data

    def encode(self) -> dict[str, Any]:
        """The `data` to write, keys in the order tabletop writes them."""
        return self.CODEC.encode(self)

    def whole(self) -> tuple[str, str | None] | None:
        """What is wrong with the decoded fields taken together, as (message, field at fault or None);
        None: nothing. The codec raises it as a DecodeError."""
        return None

    def check(self, state: DrillState, t: float) -> None:
        """Raise EventError when this cannot happen in `state` at scenario time `t` (seconds)."""

    def apply(self, state: DrillState, event: Event) -> None:
        """Change `state` by this checked payload, carried by `event`."""

    def time_after(self, t: float) -> float:
        """The scenario time (seconds) once this event, made at `t`, is applied."""
        return t

    def touched(self, links: Links, plan: Plan) -> list[str]:
        """The steps this event can change directly (frontier.Frontier.update follows on from them):
        none when it moves no step, else every step unless the type knows better."""
        return list(plan.steps) if self.MOVES_STEPS else []


REGISTRY: dict[str, type[Payload]] = {}  # wire name -> payload class


def event_type(cls: type[P]) -> type[P]:
    """Register a payload class under its WIRE name and build its codec from its fields (a class decorator).
    Raises ValueError for a wire name registered twice."""
    if cls.WIRE in REGISTRY:
        raise ValueError(f"event type {cls.WIRE} is registered twice")
    cls.CODEC = codec.Codec(cls, whole=cls.whole is not Payload.whole)
    REGISTRY[cls.WIRE] = cls
    return cls


def undecided(cls: type[Payload]) -> list[str]:
    """The flags (FLAGS) a payload class leaves undecided: set neither on it nor on a payload class it derives
    from (Payload itself decides none)."""
    own = {name for klass in cls.__mro__ if klass is not Payload for name in vars(klass)}
    return [name for name in FLAGS if name not in own]


def decode(type: str, data: Any, version: int = LOG_VERSION) -> Payload:
    """The typed payload of an event. Raises UnknownEventType, or DecodeError for data of the wrong shape."""
    cls = REGISTRY.get(type) if isinstance(type, str) else None
    if cls is None:
        raise UnknownEventType(type)
    if not isinstance(data, dict):
        raise DecodeError(type, "event data must be a mapping")
    if version != LOG_VERSION:
        data = cls.upcast(data, version)
    return cls.CODEC.decode(data)
