"""The exercise clock: clock.paused, clock.resumed, clock.jumped and clock.gap (the time away after a crash)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine.bounds import MAX_CLOCK_SECONDS
from engine.drill.clock import parse_wall
from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import Bad, key
from engine.drill.event_types.errors import EventError
from engine.drill.records import GapRecord

if TYPE_CHECKING:
    from engine.drill.state import DrillState


@event_type
@dataclass(frozen=True, slots=True)
class ClockPaused(Payload):
    """clock.paused: scenario time stops. reason: why, when the tool paused it (on resume), else absent."""

    WIRE: ClassVar[str] = "clock.paused"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "clock"
    reason: str | None = key(readers.optional_text("the reason must be text"), omit=readers.none, default=None)

    def check(self, state: DrillState, t: float) -> None:
        if not state.running:
            raise EventError("the clock is already paused")

    def apply(self, state: DrillState, event: Event) -> None:
        state.running = False
        state.base_t = event.t


@event_type
@dataclass(frozen=True, slots=True)
class ClockResumed(Payload):
    """clock.resumed: scenario time runs again from where it stopped."""

    WIRE: ClassVar[str] = "clock.resumed"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "clock"

    def check(self, state: DrillState, t: float) -> None:
        if state.running:
            raise EventError("the clock is already running")

    def apply(self, state: DrillState, event: Event) -> None:
        state.running = True
        state.base_t = event.t
        state.base_wall = parse_wall(event.wall)


def _jump_to(value: Any, data: Mapping[str, Any]) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise Bad(f"the clock jumps to a number of scenario seconds, not {value!r}")
    if not 0 <= value <= MAX_CLOCK_SECONDS:
        raise Bad(f"the clock cannot jump beyond T+{MAX_CLOCK_SECONDS // 86400}d")
    return value


@event_type
@dataclass(frozen=True, slots=True)
class ClockJumped(Payload):
    """clock.jumped: scenario time jumps forward. to: the scenario seconds it jumps to (after the event's t)."""

    WIRE: ClassVar[str] = "clock.jumped"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "clock"
    to: float = key(_jump_to)

    def check(self, state: DrillState, t: float) -> None:
        if self.to <= t:
            raise EventError(f"the clock jumps forward only; T+{self.to} is not after T+{t}")

    def apply(self, state: DrillState, event: Event) -> None:
        state.jumped_to = float(self.to)
        state.base_t = float(self.to)
        state.base_wall = parse_wall(event.wall)

    def time_after(self, t: float) -> float:
        return float(self.to)


def _away(value: Any, data: Mapping[str, Any]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_CLOCK_SECONDS:
        raise Bad(f"the time away is a number of seconds, not {value!r}")
    return float(value)


def _counted(value: Any, data: Mapping[str, Any]) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"`counted` is true or false, not {value!r}")
    return value


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
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "clock"
    since: str = key(readers.text("`since` is the wall time of the last event before the stop"))
    away: float = key(_away)
    counted: bool = key(_counted)

    def check(self, state: DrillState, t: float) -> None:
        if state.running:
            raise EventError("the time away is settled while the clock is paused, as it is on resume")
        try:
            parse_wall(self.since)
        except ValueError:
            raise EventError(f"`since` must be a wall time like 2026-01-22T19:33:00.000Z, "
                             f"not {self.since!r}") from None
        if self.counted and t + self.away > MAX_CLOCK_SECONDS:
            raise EventError(f"the clock cannot run beyond T+{MAX_CLOCK_SECONDS // 86400}d")

    def apply(self, state: DrillState, event: Event) -> None:
        t = event.t
        state.gaps.append(GapRecord(self.since, self.away, self.counted, t, event.seq))
        if self.counted:
            state.jumped_to = state.base_t = state.t = t + self.away
            state.base_wall = parse_wall(event.wall)

    def time_after(self, t: float) -> float:
        return t + self.away if self.counted else t
