"""Moments in incident records, in any zone: ISO 8601 with Z or an offset, a zone name, or epoch seconds.

A time with its own offset (`2026-01-22T14:33:00-05:00`, `...Z`, `+0100`) is
read as written. A time without one takes the zone given with `--tz` (an IANA
name such as `America/New_York`, so daylight saving time is applied for that
date); a wall time that falls in the hour skipped when clocks go forward is
refused, and one in the hour repeated when they go back is read as the first
of the two and said. A few unambiguous abbreviations are read too (UTC, GMT,
Z, EST/EDT, CST/CDT, MST/MDT, PST/PDT, CET/CEST, BST). Every moment must lie
between 1900 and 2999 (engine.bounds).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.bounds import OutOfBounds, check_wall
from engine.incident import IncidentError

_ABBREVIATIONS = {"UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
                  "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "BST": 1}
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*"
                  r"(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?$")


def zone(name: str | None) -> dt.tzinfo | None:
    """The zone `--tz` names, or None. Raises IncidentError for an unknown name."""
    if not name:
        return None
    if name.upper() in _ABBREVIATIONS:
        return dt.timezone(dt.timedelta(hours=_ABBREVIATIONS[name.upper()]))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise IncidentError(f"--tz {name!r} is not a time zone; give an IANA name like Europe/Berlin") from None


def moment(text: object, where: str, tz: dt.tzinfo | None, notes: list[str] | None = None) -> dt.datetime:
    """The aware moment `text` names (see module doc). Raises IncidentError naming `where`."""
    if not isinstance(text, str) or not text.strip():
        raise IncidentError(f"{where}: expected a date and time like 2026-01-22T19:33:00Z, got {_shown(text)}")
    match = _ISO.match(text.strip())
    if not match:
        raise IncidentError(f"{where}: {text.strip()[:60]!r} is not a date and time like 2026-01-22T19:33:00Z")
    day, clock, offset = match.groups()
    try:
        naive = dt.datetime.fromisoformat(f"{day}T{_seconds(clock)}")
    except ValueError:
        raise IncidentError(f"{where}: {text.strip()[:60]!r} is not a real date and time") from None
    if offset:
        when = naive.replace(tzinfo=_offset(offset, where))
    elif tz is None:
        raise IncidentError(f"{where}: {text.strip()[:60]!r} has no time zone; add one (Z, +01:00) or pass --tz ZONE")
    else:
        when = _in_zone(naive, tz, where, notes)
    return bounded(when, where)


def epoch(value: object, where: str) -> dt.datetime:
    """The moment of Unix seconds (a number or a string such as Slack's `"1769110380.000200"`)."""
    try:
        seconds = float(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    except ValueError:
        seconds = None
    if seconds is None or seconds != seconds or abs(seconds) > 1e11:
        raise IncidentError(f"{where}: expected Unix seconds like \"1769110380.000200\", got {_shown(value)}")
    return bounded(dt.datetime.fromtimestamp(seconds, dt.UTC), where)


def bounded(when: dt.datetime, where: str) -> dt.datetime:
    """`when` in UTC, if between 1900 and 2999. In UTC because Python compares and subtracts two times of
    the same zone by their wall clocks, which is wrong across a change of daylight saving time."""
    try:
        return check_wall(when, where).astimezone(dt.UTC)
    except OutOfBounds as exc:
        raise IncidentError(str(exc)) from None


def _seconds(clock: str) -> str:
    clock = clock.replace(",", ".")
    hours, rest = clock.split(":", 1)
    clock = f"{int(hours):02d}:{rest}"
    if "." in clock:  # fromisoformat in 3.11 wants 3 or 6 digits of a fraction
        whole, fraction = clock.split(".")
        clock = f"{whole}.{(fraction + '000000')[:6]}"
    return clock


def _offset(text: str, where: str) -> dt.tzinfo:
    upper = text.upper()
    if upper in _ABBREVIATIONS:
        return dt.timezone(dt.timedelta(hours=_ABBREVIATIONS[upper]))
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", text)
    if not match:
        raise IncidentError(f"{where}: the zone {text!r} is not an offset like +01:00 or a known abbreviation")
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 23 or minutes > 59:
        raise IncidentError(f"{where}: the offset {text!r} is out of range")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if match.group(1) == "-" else delta)


def _in_zone(naive: dt.datetime, tz: dt.tzinfo, where: str, notes: list[str] | None) -> dt.datetime:
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
        if back != naive:  # the hour skipped when the clocks went forward
            raise IncidentError(f"{where}: {naive.isoformat(' ')} does not exist in {tz} (the clocks went forward)")
        if notes is not None:
            notes.append(f"{where}: {naive.isoformat(' ')} happens twice in {tz}; read as the first "
                         f"({first.isoformat()})")
    return first


def _shown(value: object) -> str:
    return "nothing" if value is None else repr(value)[:60]
