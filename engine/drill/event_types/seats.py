"""Who is in the drill room: seat.joined and seat.left, the attendance sheet's events.

A seat is one participant's place in the room: an opaque id the room gives a
browser (or a team file gives a scripted player), a name the participant
typed and a role (one of the roles of the drill's runbooks, or "observer").
A seat that left may join again, under the same or another name and role:
each stay is a row of the attendance sheet (state.attendance).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from engine import bounds
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import Bad, key
from engine.drill.event_types.errors import EventError
from engine.drill.records import AttendanceRecord

if TYPE_CHECKING:
    from engine.drill.state import DrillState

SEAT_ID = re.compile(r"[A-Za-z0-9_-]+")


def seat_id(value: Any, data: Mapping[str, Any]) -> str:
    """A seat id: 1 to MAX_SEAT_ID letters, digits, `-` or `_`."""
    if not isinstance(value, str) or not SEAT_ID.fullmatch(value) or len(value) > bounds.MAX_SEAT_ID:
        raise Bad(f"a seat id is 1 to {bounds.MAX_SEAT_ID} letters, digits, - or _, not {str(value)[:80]!r}")
    return value


def name_problem(value: Any) -> str | None:
    """What is wrong with a name to join with, in words (None: nothing): text, not blank, at most
    MAX_SEAT_NAME characters, no control or format characters (no line breaks, no bidi overrides)."""
    if not isinstance(value, str) or not value.strip():
        return "a seat needs a name"
    if len(value) > bounds.MAX_SEAT_NAME:
        return f"a name is at most {bounds.MAX_SEAT_NAME} characters"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value):
        return "a name holds no control characters, line breaks or direction marks"
    return None


def _name(value: Any, data: Mapping[str, Any]) -> str:
    problem = name_problem(value)
    if problem:
        raise Bad(problem)
    return str(value)


def _role(value: Any, data: Mapping[str, Any]) -> str:
    if not isinstance(value, str) or not value:
        raise Bad("a seat needs a role")
    return value


@event_type
@dataclass(frozen=True, slots=True)
class SeatJoined(Payload):
    """seat.joined: a participant takes a seat in the drill room, or takes it again after leaving.

    seat: the seat id; name: as the participant typed it; role: a role id of
    the drill's runbooks, or "observer". data is `{"seat", "name", "role": str}`.
    Raises DecodeError for a malformed id or name; the fold refuses (EventError)
    an unknown role, a seat already in, and more than MAX_SEATS seats in at
    once or MAX_ATTENDANCE joins in all.
    """

    WIRE: ClassVar[str] = "seat.joined"
    AFTER_END: ClassVar[bool] = True  # the feedback form is answered from a seat once the drill has ended
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    seat: str = key(seat_id)
    name: str = key(_name)
    role: str = key(_role)

    def check(self, state: DrillState, t: float) -> None:
        roles = state.plan.roles
        if self.role not in roles:
            raise EventError(f"no role {self.role[:80]!r} in the drill's runbooks (roles: {', '.join(roles)})")
        if self.seat in state.seated:
            raise EventError(f"seat {self.seat} is already in the room")
        if len(state.seated) >= bounds.MAX_SEATS:
            raise EventError(f"the room is full: {bounds.MAX_SEATS} seats are taken")
        if len(state.attendance) >= bounds.MAX_ATTENDANCE:
            raise EventError(f"the attendance sheet is full: {bounds.MAX_ATTENDANCE} joins are recorded")

    def apply(self, state: DrillState, event: Event) -> None:
        state.seated[self.seat] = len(state.attendance)
        state.attendance.append(AttendanceRecord(self.seat, self.name, self.role, event.t, event.seq))


@event_type
@dataclass(frozen=True, slots=True)
class SeatLeft(Payload):
    """seat.left: a seat leaves the drill room (it may join again). seat: the seat id. data is `{"seat": str}`.
    The fold refuses (EventError) a seat that is not in the room."""

    WIRE: ClassVar[str] = "seat.left"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    seat: str = key(seat_id)

    def check(self, state: DrillState, t: float) -> None:
        if self.seat not in state.seated:
            raise EventError(f"seat {self.seat} is not in the room")

    def apply(self, state: DrillState, event: Event) -> None:
        row = state.seated.pop(self.seat)
        state.attendance[row] = replace(state.attendance[row], left_t=event.t, left_seq=event.seq)
