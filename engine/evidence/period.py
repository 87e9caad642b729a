"""The evidence period: `FROM..TO`, two dates, both days included."""

from __future__ import annotations

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
        return Period(_year_before(today) + timedelta(days=1), today)
    start_text, dots, end_text = text.strip().partition("..")
    if not dots:
        raise ValueError(f"--period {text!r} is not FROM..TO, like 2026-01-01..2026-12-31")
    try:
        start = date.fromisoformat(start_text) if start_text else _year_before(today) + timedelta(days=1)
        end = date.fromisoformat(end_text) if end_text else today
    except ValueError:
        raise ValueError(f"--period {text!r}: each end is a date like 2026-01-01") from None
    if end < start:
        raise ValueError(f"--period {text!r} ends before it starts")
    return Period(start, end)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
