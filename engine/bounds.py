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
# A whole number read from a file has at most this many bits (about 3,900 decimal digits), below Python's
# 4,300-digit limit on turning a number into text; a longer one is kept as the text it was written as.
MAX_WHOLE_NUMBER_BITS = 13_000
MAX_FILE_ID_LENGTH = 200  # an id that names a file (`new`, an import): file names stop at 255 bytes
# What an import reads at most; each has an option that raises it. Beyond: one line naming the bound.
MAX_MSEL_ROWS = 5_000  # `msel import --max-rows`: rows of injects (an exercise has tens to hundreds)
MAX_MSEL_COLUMNS = 100  # `msel import --max-columns`: columns holding anything (an MSEL has about a dozen)
MAX_PLAYBOOK_STEPS = 1_000  # `cacao import --max-steps`: workflow steps (a runbook has tens)
# Report templates (engine/report/sandbox.py): a `--template` folder is code someone may hand you.
MAX_TEMPLATE_BYTES = 1_000_000  # one template file
MAX_TEMPLATE_VALUE = 10_000_000  # characters or items in one value a template makes ('x' * n, a width)
MAX_REPORT_CHARS = 100_000_000  # a rendered report (the largest real ones are a few MB)
SHOWN_NUMBER_DIGITS = 40  # a number in a message is written out up to this many digits, then summarised


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


def number_text(value: int | float) -> str:
    """`repr(value)` for a number of up to SHOWN_NUMBER_DIGITS digits, else "a whole number of about N digits".

    Never raises: Python refuses to turn an int of more than 4,300 digits into text (ValueError).
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > SHOWN_NUMBER_DIGITS * 3:
        digits = int(abs(value).bit_length() * 0.30103) + 1
        if digits > SHOWN_NUMBER_DIGITS:
            return f"a whole number of about {digits:,} digits"
    return repr(value)


# ----- incident import (`tabletop incident import`, issue 24) -----
# An incident record is read whole into memory, so each is capped before it is parsed; past a cap the
# import stops with a one-line error (exit 2) that names the cap. Real records are far smaller: a long
# status-page incident has tens of updates, a busy incident channel a few thousand messages.
MAX_INCIDENT_BYTES = 32 * 1024 * 1024  # one incident file, or all the files of a chat export (unpacked)
MAX_INCIDENT_FILES = 5_000  # files in a chat export folder or zip (one per channel and day)
MAX_INCIDENT_UPDATES = 2_000  # updates, messages or log entries that become injects
MAX_INCIDENT_TEXT = 50_000  # characters in the text of one update

# ----- the drill room's seats (seat.joined / seat.left, issue 22) -----
MAX_SEAT_NAME = 80  # characters in the name a participant joins with
MAX_SEAT_ID = 64  # characters in a seat id (the room's are 24)
MAX_SEATS = 500  # seats taken at once (a room holds tens; an auditorium a few hundred)
MAX_ATTENDANCE = 5_000  # joins over a whole drill, rejoins included: the attendance sheet's rows

# ----- the drill room's polls and proposals (poll.* / proposal.*, issue 22) -----
MAX_POLL_ID = 64  # characters in a poll id (the console gives poll-1, poll-2, ...)
MAX_POLL_QUESTION = 300  # characters in a poll's question
MAX_POLL_OPTIONS = 12  # options of one poll (a decision has a handful)
MAX_POLL_OPTION = 120  # characters in one option as shown
MAX_POLL_ANSWER = 500  # characters in a free-text answer
MAX_POLLS = 200  # polls over a whole drill
MAX_PROPOSAL = 1_000  # characters in a proposal's reason or a written answer
MAX_PROPOSALS = 2_000  # proposals over a whole drill
MAX_PROPOSALS_A_SEAT = 50  # proposals from one seat: one seat cannot use up the drill's for everyone else
