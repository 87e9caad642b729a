"""Times in an MSEL: scenario time (T+1:30), clock times (07:29 PM), and real date-times.

A spreadsheet cell can hold a time in many spellings; each parses into one of
three kinds, and convert.py decides how it places the inject:
  ("offset", seconds)   from T+0: T+1:30, 1:30, 01:30:00, 1h30m, T+90m, or an Excel time/duration
  ("clock", seconds)    a time of day with no date: 07:29 PM, Monday 9:30 AM (weekday adds days)
  ("wall", datetime)    a real moment: 2026-01-22T19:33:00Z, 2026-01-22 14:33 (zone from the anchor)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from engine.duration import DurationError, format_duration, parse_duration

_HMS = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")
_CLOCK = re.compile(
    r"^(?:(?P<day>[a-z]+)\s+)?(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?$",
    re.IGNORECASE,
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")

HINT = "write it like T+1:30, 1:30, 01:30:00 or 1h30m, or as a date-time like 2026-01-22T19:33:00Z"


class TimeFormatError(ValueError):
    """A cell that reads as no kind of time."""


def format_offset(seconds: int, *, sign: str = "T+") -> str:
    """Scenario time as an MSEL shows it: T+0:00, T+1:30, T+10:50, T+0:00:45."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    return sign + text


def parse_offset_text(text: str) -> int:
    """Seconds in an offset without its T+ or + sign: 1:30, 01:30:00, 1h30m, 90m."""
    s = text.strip()
    match = _HMS.match(s)
    if match:
        h, m, sec = match.groups()
        return int(h) * 3600 + int(m) * 60 + int(sec or 0)
    try:
        return parse_duration(s)
    except DurationError:
        raise TimeFormatError(f"{text!r} is not a time") from None


def parse_cell(value: Any, column: str) -> tuple[str, Any]:
    """Read one time cell; `column` is "time" (scenario time), "real" or "date". Raises TimeFormatError."""
    if isinstance(value, dt.datetime):
        return "wall", value
    if isinstance(value, dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return ("offset", seconds) if column == "time" else ("clock", seconds)
    if isinstance(value, dt.timedelta):
        return "offset", int(value.total_seconds())
    if isinstance(value, dt.date):
        raise TimeFormatError(f"{value.isoformat()} is a date with no time")
    if not isinstance(value, str):
        raise TimeFormatError(f"{value!r} is a bare number; format the column as text")
    s = value.strip()
    if _ISO.match(s):
        return "wall", _parse_iso(s)
    if column == "time":
        if s[:2].upper() == "T+":
            return "offset", parse_offset_text(s[2:])
        if s.upper().startswith("T-") or s.startswith("-"):
            raise TimeFormatError(f"{s!r} is before T+0; start the first inject at T+0:00")
        if s.startswith("+"):
            return "relative", parse_offset_text(s[1:])
        if not re.search(r"[ap]\.?m\.?$|^[a-z]+\s", s, re.IGNORECASE):
            return "offset", parse_offset_text(s)
    clock = _clock(s)
    if clock is None:
        raise TimeFormatError(f"{s!r} is not a time")
    return "clock", clock


def _clock(text: str) -> int | None:
    match = _CLOCK.match(text)
    if not match:
        return None
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"][0].lower() == "p" else 0)
    elif hour > 23:
        return None
    days = 0
    if match["day"]:
        day = match["day"].lower()
        found = [i for i, name in enumerate(_WEEKDAYS) if name.startswith(day) and len(day) >= 3]
        if not found:
            return None
        days = found[0]
    return days * 86400 + hour * 3600 + minute * 60 + second


def _parse_iso(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise TimeFormatError(f"{text!r} is not a date-time") from None


def format_wall(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: 2026-01-22T19:33:00Z."""
    utc = moment.astimezone(dt.UTC).replace(microsecond=0)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_anchor(text: str) -> dt.datetime:
    """A scenario anchor (ISO 8601 with a zone). Raises TimeFormatError."""
    moment = _parse_iso(text.strip())
    if moment.tzinfo is None:
        raise TimeFormatError(f"{text!r} has no time zone; add Z for UTC")
    return moment


def tabletop_at(kind: str, seconds: int) -> str:
    """The scenario file's spelling of a time: T+1h30m (absolute) or +30m (relative)."""
    return ("T+" if kind == "absolute" else "+") + format_duration(seconds)
