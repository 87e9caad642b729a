"""Wall clocks. The drill core never reads the time itself: callers pass one of these in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current wall time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real time, for the console and the command line."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to: for tests and headless play."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    def set(self, when: datetime) -> None:
        self.current = when


def format_wall(when: datetime) -> str:
    """ISO 8601 UTC with milliseconds: 2026-01-22T19:33:00.000Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def parse_wall(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_t(seconds: float) -> str:
    """Scenario time as people read it: T+0:00, T+1:35, T+10:02 (hours:minutes)."""
    whole = int(seconds)
    return f"T+{whole // 3600}:{whole % 3600 // 60:02d}"
