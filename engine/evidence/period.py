"""The evidence period: `FROM..TO`, two dates, both days included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    def holds(self, day: str) -> bool:
        """Whether a YYYY-MM-DD date falls in the period."""
        return self.start.isoformat() <= day <= self.end.isoformat()

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def parse_period(text: str | None, today: date) -> Period:
    """`FROM..TO` (YYYY-MM-DD each; either may be left out: `2026-01-01..` runs to today); None: the twelve
    months up to and including today. Raises ValueError with a message for the user."""
    if not text:
        return Period(_twelve_months_to(today), today)
    start_text, dots, end_text = text.strip().partition("..")
    if not dots:
        raise ValueError(f"--period {text!r} is not FROM..TO, like 2026-01-01..2026-12-31")
    try:
        start = _day(start_text) if start_text else _twelve_months_to(today)
        end = _day(end_text) if end_text else today
    except ValueError:
        raise ValueError(f"--period {text!r}: each end is a date like 2026-01-01") from None
    if end < start:
        raise ValueError(f"--period {text!r} ends before it starts")
    return Period(start, end)


def _day(text: str) -> date:
    """YYYY-MM-DD only (date.fromisoformat alone also takes 20260101 and week dates like 2026-W01-1)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _twelve_months_to(day: date) -> date:
    """The first day of the twelve months that end with `day`: the day after the same day a year earlier
    (after 28 February for 29 February); in year 1, the calendar's first day."""
    if day.year == 1:
        return date.min
    try:
        before = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        before = day.replace(year=day.year - 1, day=28)
    return before + timedelta(days=1)
