"""Subcommands that live in their own modules. Each has `register(subparsers)`; imports of the
heavy parts happen inside the command's run function, so `tabletop validate` stays fast."""

import argparse
import os
import sys
from datetime import UTC, date, datetime

EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Say what went wrong in one line on stderr, the way every command does, and return the exit code."""
    from engine.terminal import escape

    print(f"tabletop: error: {escape(message)}", file=sys.stderr)
    return code


def usage(parser: argparse.ArgumentParser) -> int:
    """A command group run without its subcommand: show its help and exit as a usage error."""
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def run_timestamp() -> str:
    """When this run happened, for reports that carry it (JUnit): UTC as 2026-01-22T19:33:00, no zone.
    $SOURCE_DATE_EPOCH (seconds), when set, stands in for the clock so builds can be reproduced."""
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() and len(epoch) < 12 else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def today(given: str | None) -> date:
    """The date to judge due dates and cadences against: --today, else $TABLETOP_TODAY, else today (UTC).

    Commands read the clock here so the core never does. Raises ValueError naming the bad date.
    """
    text = given or os.environ.get("TABLETOP_TODAY")
    if not text:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        where = "--today" if given else "TABLETOP_TODAY"
        raise ValueError(f"{where} {text!r} is not a date like 2026-03-01") from None


COMMAND_MODULES = ("play", "log", "explore", "report", "drill", "msel", "cacao", "new", "coverage", "plan",
                   "readiness", "evidence", "handbook", "incident")


def positive(text: str) -> int:
    """An option's whole number from 1 to 10^9 (argparse `type=`); a bound an option raises (engine/bounds.py)."""
    if not text.isdigit() or len(text) > 10 or not 1 <= int(text) <= 10 ** 9:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a whole number from 1 to 1,000,000,000")
    return int(text)
