"""Placing MSEL rows on the scenario clock: clock times or offsets, days, midnight, and T+0.

The time column is read as one of two things, decided for the whole column and
said on stderr: offsets from T+0 (`T+1:30`, `1h30m`, `0:00, 0:15, ...`) or
clock times (`08:00`, `7:29 PM`, `0700`). Cells that can only be one kind
decide it; where every cell could be either (`08:00`), the header decides
(`Scenario time` is offsets, `Real time` clock times), then a Date column beside
it (clock times), then the first cell (`0:00` starts an offset column; any
other time of day is a clock). `--times` overrides all of that.

Clock times are placed on exercise days: a Date cell (carried down to the rows
below it until the next one) gives the calendar day, a `Day 2` cell or prefix
the exercise day, and a time earlier than the row before by more than twelve
hours is the next day (a night shift 22:00 -> 01:00 goes forward). T+0 is
--anchor when given, else the earliest time; the scenario's `anchor` is
written when the moment of T+0 is known with its time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.msel import MselError
from engine.msel.columns import CLOCK_HEADERS, OFFSET_HEADERS, normalise
from engine.msel.times import MAX_SECONDS, Reading, clock_text
from engine.msel.zones import localise, refuse_crossing

_NIGHT = 12 * 3600


@dataclass
class Slot:
    """One scheduled row: its time cell and its date cell (carried down), read."""

    row: int
    time: Reading | None
    date: Reading | None = None
    paired: dt.datetime | None = None  # a real date-time beside a scenario time, for inferring the anchor


@dataclass
class Placement:
    seconds: list[int]  # scenario time of each slot, in slot order
    anchor: dt.datetime | None  # the anchor to write, when T+0 is known with a zone
    notes: list[str] = field(default_factory=list)


def decide(slots: list[Slot], header: str, forced: str | None, dated: bool) -> tuple[str, str]:
    """("clock" | "offset", why) for the time column. Raises MselError for a column that mixes both."""
    if forced:
        return forced, f"--times {forced}"
    kinds: dict[str, Slot] = {}
    for slot in slots:
        if slot.time is not None:
            kinds.setdefault(slot.time.kind, slot)
    certain_offset = kinds.get("offset")
    certain_clock = kinds.get("clock") or kinds.get("wall")
    if certain_offset and kinds.get("clock"):
        raise MselError(f"rows {certain_offset.row} and {kinds['clock'].row} mix a time since T+0 and a time "
                        "of day in one column; write all of them one way, or pass --times clock|offset")
    if certain_offset or ("plus" in kinds and not certain_clock):
        row = (certain_offset or kinds["plus"]).row
        return "offset", f"row {row} can only be a time since T+0"
    if certain_clock:
        return "clock", f"row {certain_clock.row} can only be a time of day"
    name = normalise(header)
    if name in OFFSET_HEADERS:
        return "offset", f'the header "{header}" says so'
    if name in CLOCK_HEADERS:
        return "clock", f'the header "{header}" says so'
    if dated:
        return "clock", "a date column goes with them"
    first = next((s for s in slots if s.time is not None), None)
    if first is None or first.time is None or first.time.seconds == 0:
        return "offset", "the first one is 0:00"
    return "clock", f"the first one, {clock_text(first.time.seconds)} (row {first.row}), is not 0:00"


def place(slots: list[Slot], mode: str, anchor: dt.datetime | None, where: Callable[[int], str],
          zone: dt.tzinfo | None = None) -> Placement:
    """Scenario seconds for every slot. Raises MselError naming the row (`where(row)`) of a time before T+0,
    of a moment far from all the others (a typo in a date), or of a time more than MAX_SECONDS after T+0.
    Dated local times are placed in `zone` when given (zones.py), else refused across a daylight-saving change."""
    placement = _offsets(slots, anchor, where, zone) if mode == "offset" else _clocks(slots, anchor, where, zone)
    for slot, seconds in zip(slots, placement.seconds, strict=True):
        if seconds > MAX_SECONDS:
            raise MselError(f"{where(slot.row)}: this is {seconds // 86400} days after T+0; an exercise spans at "
                            f"most {MAX_SECONDS // 86400} days (a typo in the day or the date?)")
    return placement


def _offsets(slots: list[Slot], anchor: dt.datetime | None, where: Callable[[int], str],
             zone: dt.tzinfo | None) -> Placement:
    notes: list[str] = []
    written = anchor or _paired_anchor(slots, notes)
    out = []
    for slot in slots:
        reading = slot.time
        assert reading is not None
        if reading.kind == "wall":
            if written is None:
                raise MselError(f"{where(slot.row)}: a real time with nothing to relate it to; pass --anchor, "
                                "or fill its scenario time")
            moment = reading.moment
            assert moment is not None
            if zone is not None and moment.tzinfo is None:
                moment = localise(moment, zone, where(slot.row))
            out.append(_since(moment, written, slot.row, where))
            continue
        days = reading.day or 0
        if slot.date is not None and slot.date.kind == "day":
            days = slot.date.day or 0
        out.append(days * 86400 + reading.seconds)
    return Placement(out, written, notes)


def _paired_anchor(slots: list[Slot], notes: list[str]) -> dt.datetime | None:
    """T+0 from rows that give both a scenario time and a real date-time with a zone."""
    found = [(s.row, s.paired - dt.timedelta(seconds=s.time.seconds)) for s in slots
             if s.paired is not None and s.paired.tzinfo is not None and s.time is not None
             and s.time.kind in ("offset", "either", "plus")]
    if not found:
        return None
    row, anchor = found[0]
    odd = [r for r, a in found if a != anchor]
    if odd:
        rows = ", ".join(str(r) for r in odd[:8])
        notes.append(f"row(s) {rows}: the real time does not match the scenario time with T+0 at "
                     f"{anchor.isoformat()} (from row {row}); the scenario time is kept")
    return anchor


def _clocks(slots: list[Slot], anchor: dt.datetime | None, where: Callable[[int], str],
            zone: dt.tzinfo | None) -> Placement:
    walls: list[tuple[int, dt.datetime | None]] = []
    day, previous = 0, None
    for slot in slots:
        moment, day, previous = _clock_of(slot, day, previous, anchor)
        walls.append((slot.row, moment))
    undated = [row for row, moment in walls if moment is None]
    if undated:
        raise MselError(f"{where(undated[0])}: no time of day to place the row at")
    walls = _local(walls, zone, where)
    moments = _comparable([m for _, m in walls if m is not None], anchor)
    placed = [(row, m) for (row, _), m in zip(walls, moments, strict=True)]
    on_dates = [row for row, m in placed if not _undated(m)]
    off_dates = [row for row, m in placed if _undated(m)]
    if on_dates and off_dates and anchor is None:
        raise MselError(f"{where(off_dates[0])}: a time with no date, while row {on_dates[0]} has one; "
                        "give every row a date (a Date cell holds for the rows below it)")
    _far_from_the_rest(placed, where)
    zero = anchor or min(moments)
    notes = [f"T+0 is {_show(zero)}" + (" (--anchor)" if anchor else f" (row {placed[moments.index(zero)][0]}, "
                                          "the earliest)")]
    out = [_since(m, zero, row, where) for row, m in placed]
    written = zero if zero.tzinfo is not None else None
    if written is None and any(s.date is not None and s.date.kind == "date" for s in slots):
        notes.append("the file gives no time zone, so the scenario gets no anchor; pass --anchor "
                     f"{zero.strftime('%Y-%m-%dT%H:%M:%S')}Z (or your offset) to set one")
    return Placement(out, written, notes)


def _local(walls: list[tuple[int, dt.datetime | None]], zone: dt.tzinfo | None,
           where: Callable[[int], str]) -> list[tuple[int, dt.datetime | None]]:
    """Dated local times with no zone: placed in `zone` (as UTC), or refused across a daylight-saving change."""
    naive = [(row, m) for row, m in walls if m is not None and m.tzinfo is None and not _undated(m)]
    if not naive:
        return walls
    if zone is None:
        refuse_crossing(naive, where)
        return walls
    return [(row, localise(m, zone, where(row)) if m is not None and m.tzinfo is None and not _undated(m) else m)
            for row, m in walls]


def _far_from_the_rest(placed: list[tuple[int, dt.datetime]], where: Callable[[int], str]) -> None:
    """Refuse a moment more than MAX_SECONDS from the middle of the others: `231200AUG2014` among `AUG2011`."""
    if len(placed) < 2 or all(_undated(m) for _, m in placed):
        return  # clock times with no dates: the day count is checked against MAX_SECONDS in place()
    middle = sorted(m for _, m in placed)[len(placed) // 2]
    limit = dt.timedelta(seconds=MAX_SECONDS)
    for row, moment in placed:
        if abs(moment - middle) > limit:
            days = abs((moment - middle).days)
            raise MselError(f"{where(row)}: {_show(moment)} is {days} days from the other rows (around "
                            f"{_show(middle)}); a typo in the date? An exercise spans at most "
                            f"{MAX_SECONDS // 86400} days")


_BASE = dt.datetime(1, 1, 1)  # a Monday: clock times with no date are placed on days counted from here


def _clock_of(slot: Slot, day: int, previous: int | None,
              anchor: dt.datetime | None) -> tuple[dt.datetime | None, int, int | None]:
    """The slot's moment (naive for clock times with no date), the current day and clock for the next row."""
    reading = slot.time
    if reading is not None and reading.kind == "wall":
        return reading.moment, day, previous
    date = slot.date
    if reading is None:
        moment = date.moment if date is not None and date.kind == "date" else None
        return moment, day, previous
    seconds = reading.seconds
    if date is not None and date.kind == "date" and date.date is not None:
        moment = dt.datetime.combine(date.date, dt.time()) + dt.timedelta(seconds=seconds)
        return moment, day, None  # local: given a zone in _local(), else the anchor's in _comparable()
    if reading.day is not None or (date is not None and date.kind == "day"):
        day = reading.day if reading.day is not None else (date.day or 0)  # type: ignore[union-attr]
    elif previous is not None and previous - seconds > _NIGHT:
        day += 1
    base = _BASE if anchor is None else dt.datetime.combine(anchor.date(), dt.time(), anchor.tzinfo)
    return base + dt.timedelta(days=day, seconds=seconds), day, seconds


def _undated(moment: dt.datetime) -> bool:
    """A clock time placed on a counted day from _BASE (no calendar date): within its first few years."""
    return moment.year < _BASE.year + 10


def _comparable(moments: list[dt.datetime], anchor: dt.datetime | None) -> list[dt.datetime]:
    """All naive or all aware: when any moment has a zone, the others are taken in the anchor's zone (else UTC)."""
    if all(m.tzinfo is None for m in moments) and anchor is None:
        return moments
    zone = anchor.tzinfo if anchor is not None and anchor.tzinfo is not None else dt.UTC
    return [m if m.tzinfo is not None else m.replace(tzinfo=zone) for m in moments]


def _since(moment: dt.datetime, zero: dt.datetime, row: int, where: Callable[[int], str]) -> int:
    if (moment.tzinfo is None) != (zero.tzinfo is None):
        moment = moment.replace(tzinfo=zero.tzinfo) if moment.tzinfo is None else moment
        zero = zero.replace(tzinfo=moment.tzinfo) if zero.tzinfo is None else zero
    seconds = int((moment - zero).total_seconds())
    if seconds < 0:
        raise MselError(f"{where(row)}: {_show(moment)} is before T+0 ({_show(zero)}); scenario time cannot be "
                        "negative")
    return seconds


def _show(moment: dt.datetime) -> str:
    """22:00 for a clock time with no date, 2025-03-14 08:00 for a dated one, ISO with its zone otherwise."""
    if moment.tzinfo is not None:
        return moment.isoformat()
    if _undated(moment):
        text = clock_text(moment.hour * 3600 + moment.minute * 60 + moment.second)
        return text if moment.date() == _BASE.date() else f"{text} on day {(moment - _BASE).days + 1}"
    return moment.strftime("%Y-%m-%d %H:%M") + (f":{moment.second:02d}" if moment.second else "")
