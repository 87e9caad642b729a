"""Subcommands that live in their own modules. Each has `register(subparsers)`; imports of the
heavy parts happen inside the command's run function, so `tabletop validate` stays fast."""

import argparse
import functools
import gc
import os
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Say what went wrong in one line on stderr, the way every command does, and return the exit code."""
    from engine.terminal import escape

    print(f"tabletop: error: {escape(message)}", file=sys.stderr)
    return code


def one_pass(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A command's run function (a decorator) run with Python's cycle collector paused, its imports included:
    a command that reads once and ends (log verify, report) builds many objects and no cycles, and the
    collector's passes over them, most of them while the command's modules are imported, cost it several
    per cent. Memory is still freed as references go; the collector is on again (if it was) on return."""

    @functools.wraps(run)
    def paused(args: argparse.Namespace) -> int:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return run(args)
        finally:
            if collecting:
                gc.enable()

    return paused


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
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):  # not 20260301 or 2026-W09-7
            raise ValueError(text)
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


def counting_progress(doing: str) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """How many of a batch of things (logs, reports) are done, on a terminal's standard error, as
    reading_progress shows it: `reading drill logs: 120 of 500`. Returns the callback `(done, total)` (None
    off a terminal) and the function that clears the line."""
    from engine.terminal import Progress

    progress = Progress()
    if not progress.on:
        return None, progress.clear

    def show(done: int, total: int) -> None:
        progress(f"{doing}: {done:,} of {total:,}")

    return show, progress.clear


def reading_progress(log: str, doing: str) -> tuple[Callable[[int, int, int], None] | None, Callable[[], None]]:
    """How far a long read of a drill log has come, on a terminal's standard error (engine.terminal.Progress:
    after a second, never into a file or CI): `checking drill.jsonl: 40% (400,000 events)`. Returns the
    callback for LogStream.progress (None off a terminal) and the function that clears the line, to call
    before printing anything else."""
    from engine.terminal import Progress, cells, escape, fit

    progress = Progress()
    if not progress.on:
        return None, progress.clear
    name = escape(Path(log).name)

    def show(done: int, size: int, events: int) -> None:
        tail = f": {done * 100 // max(size, 1)}% ({events:,} events)"
        room = progress.width() - cells(f"{doing} {tail}")  # a long name gives way, not how far it has come
        progress(f"{doing} {fit(name, room)}{tail}")

    return show, progress.clear
