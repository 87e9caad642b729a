"""`tabletop log show`: every event of a log as a readable line, printed as it is read, and folded as it
is printed by the one replay (engine.drill.replay.fold_log), so show stops agreeing with the report,
readiness and coverage nowhere: where the fold refuses an event, show says so once on stderr."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from itertools import chain
from typing import Any

from engine.commands import fail as _fail
from engine.commands import one_pass


@one_pass
def run_show(args: argparse.Namespace) -> int:
    from engine.commands.log import EXIT_BAD, EXIT_OK, EXIT_UNREADABLE, _locate, _open, _Unreadable

    try:
        stream = _open(args.log)
    except _Unreadable as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    printed = _printed(stream)
    refused = _fold(args.log, printed, stream.payload_of)
    for _ in printed:  # the rest of the log, past an event the fold refuses
        pass
    sys.stdout.flush()
    if stream.torn:
        return _fail(f"{args.log}: torn last line {stream.problem.line} (a crash mid-write); "
                     "the lines above are complete", EXIT_BAD)
    if stream.problem:
        return _fail(_locate(args.log, stream.problem.line, stream.problem.message) + "; the lines above are intact",
                     EXIT_BAD)
    if refused:
        from engine.terminal import escape

        print(f"tabletop: warning: {escape(refused)}", file=sys.stderr)
    return EXIT_OK


def _printed(stream: Any) -> Iterator[Any]:
    """The events of the stream, each printed just before it is handed on."""
    from engine.drill.narrate import line

    out = sys.stdout
    for event in stream:  # printed as read: a line is on the terminal before the next is parsed
        out.write(line(event) + "\n")
        yield event


def _fold(log: str, events: Iterator[Any], decoded: Any = None) -> str | None:
    """Fold the events as they are printed, against the files the log names when they are at hand and
    unchanged, else against the log's own ids; what to say when the fold refuses one (None: it took all
    it was given). Only a log that starts with drill.started is folded. `decoded`: the stream's payload_of,
    so each event is decoded once (replay.fold_log)."""
    from engine.drill import events as ev
    from engine.drill.log import LogError, open_log
    from engine.drill.log_plan import plan_from_log
    from engine.drill.replay import fold_log
    from engine.drill.session import start_of
    from engine.logged_plan import plan_for_log

    first = next(events, None)
    if first is None:
        return None
    try:
        start = start_of(log, first)
    except LogError:
        return None
    found = plan_for_log(log, start)
    plan = found.plan or plan_from_log(open_log(log))
    try:
        played = fold_log(plan, chain([first], events), skip=frozenset(ev.TYPES), decoded=decoded)
    except (TypeError, KeyError, AttributeError, OverflowError) as exc:  # a hand-made log's oddities
        return f"{log}: the log cannot be replayed: {exc}"
    if played.problem is None:
        return None
    read_by = "" if found.plan else f" (read by the ids the log names: {found.why})"
    return (f"{log}:{played.problem_line}: the fold refuses this event{read_by}: {played.error}; the report, "
            "readiness and coverage read only the events above it")
