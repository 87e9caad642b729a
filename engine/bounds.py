"""How big a time or a number tabletop accepts, in one place.

Every time and number a person or a file hands tabletop is checked against
these bounds where it is accepted (validate first, then every command, option
and console dialog), so no later arithmetic overflows a date or loops for as
long as a value is large. The bounds are far beyond any exercise: a scenario
spans at most a year of exercise time, and its real-world anchor lies between
1900 and 2999.
"""

from __future__ import annotations

from datetime import UTC, datetime

MAX_DURATION_SECONDS = 366 * 86400  # any duration or scenario time as written: 366d
MAX_CLOCK_SECONDS = 2 * MAX_DURATION_SECONDS  # any reading of the exercise clock (a jump's target, a note's time)
MAX_DURATION_DIGITS = 9  # digits in one part of a duration (`366d` is 3; 31,622,400s is 8)
EARLIEST_WALL = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_WALL = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)


class OutOfBounds(ValueError):
    """A time or number beyond what tabletop accepts; the message says the bound."""


def check_wall(when: datetime, what: str) -> datetime:
    """`when` (timezone-aware) if it lies between 1900 and 2999; raises OutOfBounds naming `what`."""
    if not EARLIEST_WALL <= when <= LATEST_WALL:
        raise OutOfBounds(f"{what} {when.isoformat()} is outside the years 1900 to 2999")
    return when


def check_clock(seconds: float, what: str) -> float:
    """`seconds` of exercise time if between 0 and MAX_CLOCK_SECONDS; raises OutOfBounds naming `what`."""
    if not 0 <= seconds <= MAX_CLOCK_SECONDS:  # NaN fails this too
        raise OutOfBounds(f"{what} is beyond T+{MAX_CLOCK_SECONDS // 86400}d, the latest the exercise clock reads")
    return seconds


# ----- incident import (`tabletop incident import`, issue 24) -----
# An incident record is read whole into memory, so each is capped before it is parsed; past a cap the
# import stops with a one-line error (exit 2) that names the cap. Real records are far smaller: a long
# status-page incident has tens of updates, a busy incident channel a few thousand messages.
MAX_INCIDENT_BYTES = 32 * 1024 * 1024  # one incident file, or all the files of a chat export (unpacked)
MAX_INCIDENT_FILES = 5_000  # files in a chat export folder or zip (one per channel and day)
MAX_INCIDENT_UPDATES = 2_000  # updates, messages or log entries that become injects
MAX_INCIDENT_TEXT = 50_000  # characters in the text of one update
