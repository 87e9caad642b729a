"""Durations and scenario times as people write them: 15m, 2h, 1h30m, 90s, T+20m, +30m."""

from __future__ import annotations

import re

from engine.bounds import MAX_DURATION_DIGITS, MAX_DURATION_SECONDS

_PART = re.compile(r"(\d+)([dhms])")
_WHOLE = re.compile(r"^(?:\d+[dhms])+$")
_UNIT = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_CLOCKLIKE = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")


class DurationError(ValueError):
    """A duration that does not read as <number><unit>..., e.g. 1h30m."""


def parse_duration(text: str) -> int:
    """Seconds in a duration such as `15m`, `2h`, `1h30m` or `45s`.

    Units must come largest first and each at most once, so `30m1h` and `1h1h`
    are mistakes, not synonyms. Raises DurationError for text that does not read
    so, or for more than 366 days (engine.bounds.MAX_DURATION_SECONDS).
    """
    s = text.strip().replace(" ", "")
    if not s or not _WHOLE.match(s):
        raise DurationError(f"{text!r} is not a duration; write it like 15m, 2h or 1h30m")
    total = 0
    last_rank = -1
    for number, unit in _PART.findall(s):
        rank = "dhms".index(unit)
        if rank <= last_rank:
            raise DurationError(f"{text!r}: put units largest first, each once (like 1h30m)")
        last_rank = rank
        if len(number.lstrip("0")) > MAX_DURATION_DIGITS:
            raise DurationError(f"{_shown(text)} is far too long; a duration is at most 366d")
        total += int(number) * _UNIT[unit]
    if total > MAX_DURATION_SECONDS:
        raise DurationError(f"{_shown(text)} is more than 366 days; a duration is at most 366d")
    return total


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_offset(text: str) -> tuple[str, int]:
    """A scenario time: (`"absolute"`, seconds) for `T+20m`, (`"relative"`, seconds) for `+30m`.

    After `T+` or `+` the time may also be `0` or hours and minutes as tabletop prints them
    (`T+1:30`, `+0:05`, `T+1:30:15`). A bare duration (`20m`) is read as absolute, like `T+20m`.
    Raises DurationError.
    """
    s = text.strip()
    if s[:2].upper() == "T+":
        return "absolute", _offset_amount(s[2:], text)
    if s[:2].upper() == "T-":
        raise DurationError(f"{text!r}: scenario time cannot be negative; start the first inject at T+0m")
    if s.startswith("+"):
        return "relative", _offset_amount(s[1:], text)
    return "absolute", parse_duration(s)


def _offset_amount(amount: str, text: str) -> int:
    """Seconds after a T+ or + sign: `0`, `1:30`, `1:30:15`, or a duration like `1h30m`."""
    s = amount.strip()
    if s == "0":
        return 0
    clock = _CLOCKLIKE.match(s)
    if clock:
        hours, minutes, seconds = clock.groups()
        if len(hours.lstrip("0")) > MAX_DURATION_DIGITS:
            raise DurationError(f"{_shown(text)} is far too long; a scenario time is at most 366d")
        total = int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)
        if total > MAX_DURATION_SECONDS:
            raise DurationError(f"{_shown(text)} is more than 366 days; a scenario time is at most 366d")
        return total
    if not _WHOLE.match(s.replace(" ", "")):
        raise DurationError(f"{_shown(text)} is not a scenario time; write it like T+20m, T+1:30 or +30m")
    return parse_duration(s)


def format_duration(seconds: int) -> str:
    """The shortest form that parses back: 5400 -> '1h30m', 0 -> '0m'."""
    if seconds == 0:
        return "0m"
    out = []
    for unit in "dhms":
        n, seconds = divmod(seconds, _UNIT[unit])
        if n:
            out.append(f"{n}{unit}")
    return "".join(out)
