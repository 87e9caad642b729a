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
                   "readiness", "handbook", "incident")
