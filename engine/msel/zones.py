"""Local clock times and daylight-saving changes.

An MSEL's dated clock times (`3/9/2025`, `01:30`) are local times. Scenario
time counts real hours, so across a daylight-saving change the wall clock and
T+ disagree by an hour (01:30 to 03:30 over the US spring-forward is T+1:00).
With a time zone (`--timezone America/Chicago`, or a `Time zone` row above the
header) each local time is placed in it; a time the change skips or repeats is
an error naming the cell. Without one, dated times that cross a change in a
common zone are refused, naming the rows and the option to pass; a file with
no daylight saving passes `--timezone UTC` (or its own zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from engine.msel import MselError

# Zones whose changes fall on the dates most MSELs use: North America, Europe, the southern hemisphere.
COMMON = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London",
          "Europe/Berlin", "Australia/Sydney", "Pacific/Auckland", "America/Santiago")


def zone_named(name: str) -> dt.tzinfo:
    """The IANA zone `name` (`America/Chicago`, `UTC`). Raises MselError for an unknown name."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise MselError(f"time zone {name!r}: no such zone; use an IANA name like America/Chicago or "
                        "Europe/Berlin, or UTC") from None


def localise(moment: dt.datetime, zone: dt.tzinfo, where: str) -> dt.datetime:
    """A local wall-clock time in `zone`, as UTC. Raises MselError for a time the zone skips or repeats."""
    first, second = moment.replace(tzinfo=zone, fold=0), moment.replace(tzinfo=zone, fold=1)
    shown = moment.strftime("%Y-%m-%d %H:%M")
    if first.utcoffset() != second.utcoffset():
        if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != moment:
            raise MselError(f"{where}: {shown} does not exist in {zone} (the clocks go forward over it); "
                            "correct the time")
        raise MselError(f"{where}: {shown} happens twice in {zone} (the clocks go back over it); write it with "
                        "its offset, like 2025-11-02T01:30-05:00")
    return first.astimezone(dt.UTC)


def crossing(placed: list[tuple[int, dt.datetime]]) -> tuple[str, int, int] | None:
    """(zone, row before, row after) of the first daylight-saving change in a common zone that naive local
    times cross, or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    ordered = sorted(placed, key=lambda item: item[1])
    for name in COMMON:
        try:
            zone = ZoneInfo(name)
        except ZoneInfoNotFoundError:
            continue
        for (row_a, a), (row_b, b) in zip(ordered, ordered[1:], strict=False):
            if a.replace(tzinfo=zone).utcoffset() != b.replace(tzinfo=zone).utcoffset():
                return name, row_a, row_b
    return None


def refuse_crossing(placed: list[tuple[int, dt.datetime]], where: Callable[[int], str]) -> None:
    """Raise MselError when naive dated times cross a daylight-saving change and no zone is known."""
    found = crossing(placed)
    if found is None:
        return
    name, before, after = found
    raise MselError(f"{where(after)}: the times between row {before} and this row cross a daylight-saving change "
                    f"(in {name}, for one), and the file gives no time zone, so T+ could be an hour off; pass "
                    f"--timezone with the exercise's zone (like {name}), or --timezone UTC if its clocks do not "
                    "change")
