"""Times in an MSEL cell, as people write them, each read into a Reading of one kind.

  offset   time since T+0 for certain: T+1:30, T+0, 1h30m, 90m, 26:00, an Excel duration
  plus     `+90m`: time since T+0, or the delay of a contingency inject's condition
  either   `08:00`, `1:30:00`, an Excel time: a clock time or an offset; the column decides (schedule.py)
  clock    a time of day for certain: 07:29 PM, 0700, the number 1100, Monday 9:30 AM, Day 2 08:00
  wall     a real moment: 2026-01-22T19:33:00Z, 2026-01-22 14:33, 3/14/2025 8:00 AM, 210900ZAUG2011,
           an Excel date-time serial
  date     a calendar date: 2025-03-14, 3/14/2025, 14 Mar 2025, an Excel date (Date columns)
  day      an exercise day: Day 2, D2, 2 (Date or Day columns)

Seconds are whole seconds; a clock's `day` is 0 for the first exercise day (or the weekday,
Monday 0). Everything raises TimeFormatError (a ValueError) for a cell it cannot read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from engine.duration import DurationError, format_duration, parse_duration

_HMS = re.compile(r"^(\d{1,6}):([0-5]\d)(?::([0-5]\d))?$")
_AMPM = re.compile(r"^(\d{1,2})(?::([0-5]\d))?(?::([0-5]\d))?\s*([ap])\.?\s*m\.?$", re.IGNORECASE)
_MILITARY = re.compile(r"^([01]\d|2[0-3])([0-5]\d)(?:\s*(?:h|hrs|hours|z|l))?$", re.IGNORECASE)
_DAY = re.compile(r"^(?:day|d)\s*(\d{1,3})$", re.IGNORECASE)
_DAY_CLOCK = re.compile(r"^(?:day|d)\s*(\d{1,3})\s*[,:\-/]?\s+(.+)$", re.IGNORECASE)
_WEEKDAY_CLOCK = re.compile(r"^([a-z]{3,9})\.?,?\s+(.+)$", re.IGNORECASE)
_DTG = re.compile(r"^(\d{2})(\d{2})(\d{2})\s*([A-Z])?\s*([A-Z]{3})\s*(\d{2}|\d{4})$", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_SPLIT = re.compile(r"^(.*?)[\sT,]+(\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?\s*m\.?)?|\d{4})$", re.IGNORECASE)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%b-%y", "%d%b%Y",
                 "%d%b%y", "%Y/%m/%d", "%d.%m.%Y")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
MAX_SECONDS = 366 * 86400  # no exercise runs for more than a year

HINT = ("write it like T+1:30, 1:30, 1h30m, 08:00, 7:29 PM, 0700, Day 2 08:00, "
        "or a date-time like 2026-01-22T19:33:00Z")


class TimeFormatError(ValueError):
    """A cell that reads as no kind of time."""


_When = TypeVar("_When", dt.datetime, dt.date)


def _in_years(moment: _When, shown: object) -> _When:
    """`moment` when its year lies between 1900 and 2999 (engine/bounds.py), where a scenario's anchor can
    be; else TimeFormatError (year 9999 or 0001 is a typo, and would overflow once placed)."""
    from engine.bounds import EARLIEST_WALL, LATEST_WALL

    if not EARLIEST_WALL.year <= moment.year <= LATEST_WALL.year:
        raise TimeFormatError(f"{shown!r} is outside the years {EARLIEST_WALL.year} to {LATEST_WALL.year}")
    return moment


@dataclass(frozen=True)
class Reading:
    kind: str  # offset | plus | either | clock | wall | date | day
    seconds: int = 0
    day: int | None = None
    moment: dt.datetime | None = None
    date: dt.date | None = None


def format_offset(seconds: int, *, sign: str = "T+") -> str:
    """Scenario time as an MSEL shows it: T+0:00, T+1:30, T+10:50, T+0:00:45."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    return sign + text


def parse_offset_text(text: str) -> int:
    """Seconds in an offset without its T+ or + sign: 0, 1:30, 01:30:00, 1h30m, 90m."""
    s = text.strip()
    if s == "0":
        return 0
    match = _HMS.match(s)
    if match:
        h, m, sec = match.groups()
        return _bounded(int(h) * 3600 + int(m) * 60 + int(sec or 0), text)
    try:
        return _bounded(parse_duration(s.lower()), text)
    except DurationError:
        raise TimeFormatError(f"{text!r} is not a time") from None


def _bounded(seconds: int, text: str) -> int:
    if seconds > MAX_SECONDS:
        raise TimeFormatError(f"{text!r} is more than a year after T+0")
    return seconds


def read_time(value: Any) -> Reading:
    """A Time, Scenario time or Real time cell. Raises TimeFormatError."""
    if isinstance(value, bool):
        raise TimeFormatError(f"{value!r} is not a time")
    if isinstance(value, dt.datetime):
        return Reading("wall", moment=_in_years(value, value.isoformat()))
    if isinstance(value, dt.time):
        return Reading("either", seconds=value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, dt.timedelta):
        return Reading("offset", seconds=_bounded(int(value.total_seconds()), str(value)))
    if isinstance(value, dt.date):
        raise TimeFormatError(f"{value.isoformat()} is a date with no time")
    if isinstance(value, (int, float)):
        return _number(value)
    return _text(str(value).strip())


def _number(value: float) -> Reading:
    """A number in a time cell: 1100 is 11:00; 0.375 an Excel time (09:00); 45678.5 an Excel date-time."""
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise TimeFormatError(f"{value!r} is not a time")
    if isinstance(value, int) or float(value).is_integer():
        whole = int(value)
        if whole <= 2359 and whole % 100 < 60:
            return Reading("clock", seconds=(whole // 100) * 3600 + (whole % 100) * 60)
        if 20000 <= whole <= 80000:
            return Reading("wall", moment=excel_moment(whole))
        raise TimeFormatError(f"{value!r} is neither a 24-hour time like 1100 nor an Excel date")
    if value < 1:
        return Reading("either", seconds=round(value * 86400))
    if 20000 <= value <= 80000:
        return Reading("wall", moment=excel_moment(value))
    raise TimeFormatError(f"{value!r} is not a time")


def excel_moment(serial: float) -> dt.datetime:
    """An Excel serial (days since 1899-12-30, the 1900 date system) as a naive date-time, to the second."""
    return _EXCEL_EPOCH + dt.timedelta(seconds=round(serial * 86400))


def _text(s: str) -> Reading:
    if not s:
        raise TimeFormatError("the time is empty")
    if s[:2].upper() == "T+":
        return Reading("offset", seconds=parse_offset_text(s[2:]))
    if s.upper().startswith("T-") or s.startswith("-"):
        raise TimeFormatError(f"{s!r} is before T+0; start the first inject at T+0:00")
    if s.startswith("+"):
        return Reading("plus", seconds=parse_offset_text(s[1:]))
    if _ISO.match(s):
        return Reading("wall", moment=parse_iso(s))
    dtg = _DTG.match(s)
    if dtg:
        return Reading("wall", moment=_dtg(dtg, s))
    match = _HMS.match(s)
    if match:
        seconds = parse_offset_text(s)
        return Reading("either" if int(match.group(1)) < 24 else "offset", seconds=seconds)
    if re.fullmatch(r"(?:\d+\s*[dhms]\s*)+", s, re.IGNORECASE):
        return Reading("offset", seconds=parse_offset_text(s.replace(" ", "")))
    if s.isdigit() and len(s) == 3:
        return _number(int(s))  # 0600 saved from a number cell as 600, like the number 600 in a workbook
    clock = _clock(s)
    if clock is not None:
        return clock
    return _date_time(s)


def _clock(s: str) -> Reading | None:
    """A time of day for certain: 7:29 PM, 0700, 1530 hrs, Day 2 08:00, Monday 9:30 AM."""
    ampm = _AMPM.match(s)
    if ampm:
        hour = int(ampm.group(1))
        if not 1 <= hour <= 12:
            raise TimeFormatError(f"{s!r}: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if ampm.group(4).lower() == "p" else 0)
        return Reading("clock", seconds=hour * 3600 + int(ampm.group(2) or 0) * 60 + int(ampm.group(3) or 0))
    military = _MILITARY.match(s)
    if military:
        return Reading("clock", seconds=int(military.group(1)) * 3600 + int(military.group(2)) * 60)
    day_clock = _DAY_CLOCK.match(s)
    if day_clock:
        return _on_day(int(day_clock.group(1)) - 1, day_clock.group(2), s)
    weekday = _WEEKDAY_CLOCK.match(s)
    if weekday:
        name = weekday.group(1).lower()
        found = [i for i, day in enumerate(_WEEKDAYS) if day.startswith(name)]
        if found:
            return _on_day(found[0], weekday.group(2), s)
    return None


def _on_day(day: int, rest: str, s: str) -> Reading:
    if day < 0:
        raise TimeFormatError(f"{s!r}: exercise days count from Day 1")
    inner = _text(rest.strip())
    if inner.kind not in ("either", "clock"):
        raise TimeFormatError(f"{s!r} is not a day and a time of day")
    return Reading("clock", seconds=inner.seconds, day=day)


def _date_time(s: str) -> Reading:
    """A date and a time in one cell: 3/14/2025 8:00 AM, 14 Mar 2025 0800."""
    split = _SPLIT.match(s)
    if split:
        date = read_date(split.group(1).strip())
        time = _text(split.group(2).strip())
        if date.kind == "date" and date.date is not None and time.kind in ("either", "clock"):
            moment = dt.datetime.combine(date.date, dt.time()) + dt.timedelta(seconds=time.seconds)
            return Reading("wall", moment=_in_years(moment, s))
    raise TimeFormatError(f"{s!r} is not a time")


def _dtg(match: re.Match[str], s: str) -> dt.datetime:
    """A military date-time group: DDHHMM, an optional zone letter, the month, the year (210900ZAUG2011)."""
    day, hour, minute, zone, month, year = match.groups()
    if month.lower() not in _MONTHS:
        raise TimeFormatError(f"{s!r}: {month} is not a month")
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        moment = dt.datetime(full_year, _MONTHS.index(month.lower()) + 1, int(day), int(hour), int(minute))
    except ValueError as exc:
        raise TimeFormatError(f"{s!r} is not a date-time group: {exc}") from None
    _in_years(moment, s)
    return moment.replace(tzinfo=_military_zone(zone, s)) if zone else moment


def _military_zone(letter: str, s: str) -> dt.tzinfo | None:
    """Z is UTC, A-M east (A +1 ... M +12, no J), N-Y west (N -1 ... Y -12); J is local time."""
    code = letter.upper()
    if code == "J":
        return None
    if code == "Z":
        return dt.UTC
    east = "ABCDEFGHIKLM"
    if code in east:
        return dt.timezone(dt.timedelta(hours=east.index(code) + 1))
    return dt.timezone(-dt.timedelta(hours="NOPQRSTUVWXY".index(code) + 1))


def read_date(value: Any, *, day_first: bool = False) -> Reading:
    """A Date or Day cell: a calendar date or an exercise day. Raises TimeFormatError."""
    if isinstance(value, bool):
        raise TimeFormatError(f"{value!r} is not a date")
    if isinstance(value, dt.datetime):
        _in_years(value, value.isoformat())
        return Reading("date", date=value.date(), moment=value if value.time() != dt.time() else None)
    if isinstance(value, dt.date):
        return Reading("date", date=_in_years(value, value.isoformat()))
    if isinstance(value, (int, float)):
        if value == int(value) and 1 <= value <= 366:
            return Reading("day", day=int(value) - 1)
        if 20000 <= value <= 80000:
            return Reading("date", date=excel_moment(value).date())
        raise TimeFormatError(f"{value!r} is neither a day number nor an Excel date")
    s = str(value).strip()
    if s.isdigit() and 1 <= int(s) <= 366:
        return Reading("day", day=int(s) - 1)  # `2` typed into a CSV's Day column, like the number 2 in a workbook
    day = _DAY.match(s)
    if day:
        if int(day.group(1)) < 1:
            raise TimeFormatError(f"{s!r}: exercise days count from Day 1")
        return Reading("day", day=int(day.group(1)) - 1)
    return Reading("date", date=_in_years(_calendar(s, day_first), s))


def _calendar(s: str, day_first: bool) -> dt.date:
    text = re.sub(r"^[a-z]+,?\s+(?=\d|[a-z]{3})", "", s, flags=re.IGNORECASE) if not s[:1].isdigit() else s
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(",", " "), flags=re.IGNORECASE)
    text = " ".join(text.split())
    slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    if slashed:
        first, second, year = (int(p) for p in slashed.groups())
        month, day = (second, first) if day_first or first > 12 else (first, second)
        try:
            return dt.date(year + (2000 if year < 100 else 0), month, day)
        except ValueError as exc:
            raise TimeFormatError(f"{s!r} is not a date: {exc}") from None
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise TimeFormatError(f"{s!r} is not a date; write it like 2025-03-14, 3/14/2025 or 14 Mar 2025, "
                          "or an exercise day like Day 2")


def parse_iso(text: str) -> dt.datetime:
    """An ISO 8601 date-time; Z or z is UTC. Raises TimeFormatError."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise TimeFormatError(f"{text!r} is not a date-time") from None
    return _in_years(moment, text)


def format_wall(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: 2026-01-22T19:33:00Z."""
    utc = moment.astimezone(dt.UTC).replace(microsecond=0)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_anchor(text: str) -> dt.datetime:
    """A scenario anchor (ISO 8601 with a zone). Raises TimeFormatError."""
    moment = parse_iso(text.strip())
    if moment.tzinfo is None:
        raise TimeFormatError(f"{text!r} has no time zone; add Z for UTC")
    return moment


def tabletop_at(kind: str, seconds: int) -> str:
    """The scenario file's spelling of a time: T+1h30m (absolute) or +30m (relative)."""
    return ("T+" if kind == "absolute" else "+") + format_duration(seconds)


def clock_text(seconds: int) -> str:
    """A time of day as people read it: 22:00, 08:05:30."""
    hours, rest = divmod(seconds % 86400, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
