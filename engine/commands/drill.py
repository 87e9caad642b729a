"""`tabletop drill`: facilitate a live drill of a scenario in the terminal console.

Exit codes: 0 the console closed; 2 a usage error; 3 the scenario or its runbooks
cannot be drilled; 4 the log to resume cannot be read or does not match.
Textual is imported only once the plan and the log are known to be good.
"""

from __future__ import annotations

import argparse
import gc
import os
import shlex
import sys
from typing import TYPE_CHECKING

from engine.commands import fail as _fail

if TYPE_CHECKING:
    from engine.parse_cache import ParseCache

EXIT_OK, EXIT_USAGE, EXIT_PLAN, EXIT_LOG = 0, 2, 3, 4


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "drill", help="facilitate a live drill of a scenario in the terminal console",
        description="Run a tabletop exercise: a console with the exercise clock, every step's state, the "
        "injects as they fire, and forms for decisions, notes and the hot wash. Everything is appended to "
        "a drill log (fsynced) before the screen shows it, so quitting or a crash loses nothing.",
        epilog="examples:\n"
        "  tabletop drill scenarios/m365-na-outage-2026-01-22.yaml\n"
        "  tabletop drill scenarios/m365-na-outage-2026-01-22.yaml --facilitator Sam \\\n"
        "      --log exports/drills/dry-run.jsonl\n"
        "  tabletop drill scenarios/m365-na-outage-2026-01-22.yaml --resume exports/drills/dry-run.jsonl\n"
        "  tabletop drill scenarios/m365-na-outage-2026-01-22.yaml --room --room-host 0.0.0.0\n\n"
        "keys: s start, c done, d decide, k skip, x tick, n note, i next inject, p pause, j jump, e end, F1 help\n"
        "     5 the Room pane (with --room): the links and a QR code for participants\n\n"
        "exit codes:\n  0  the console closed\n  2  usage error\n"
        "  3  the scenario or its runbooks cannot be drilled (run `tabletop validate`)\n"
        "  4  the log to resume cannot be read, or was written for other files",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="the scenario file")
    parser.add_argument("--resume", metavar="LOG", help="continue the drill in LOG where it stopped")
    parser.add_argument("--runbooks", metavar="DIR", action="append",
                        help="folder of runbooks (repeatable; default: runbooks/ beside the scenario's folder)")
    parser.add_argument("--log", metavar="PATH", help="write the new drill's log here (default: "
                        "exports/drills/<scenario>-<time>.jsonl); never overwrites")
    parser.add_argument("--facilitator", metavar="NAME", help="the facilitator's name, filled in on the start screen")
    parser.add_argument("--cache", metavar="FOLDER", help="where parsed runbooks are kept, so the console opens "
                        "sooner the next time (default: $TABLETOP_CACHE, else .tabletop-cache)")
    parser.add_argument("--no-cache", action="store_true", help="parse every file afresh and keep nothing")
    room = parser.add_argument_group("the drill room (participants and evaluators in their browsers)")
    room.add_argument("--room", action="store_true",
                      help="serve the drill room from this console: links in the Room pane (key 5) and in "
                      "<log stem>.room.json beside the log; with --resume, the same links again")
    room.add_argument("--room-host", metavar="ADDR", help="address to listen on (default 127.0.0.1, this "
                      "computer only; 0.0.0.0 opens the room to the network). Implies --room")
    room.add_argument("--room-port", metavar="N", type=int, help="port to listen on (0: a free one; default: "
                      "the drill's port from before when resuming, else a free one). Implies --room")
    room.add_argument("--room-name", metavar="NAME", action="append", help="a DNS name the room is reached by "
                      "(repeatable; the first goes in the links). The room answers only to its address, "
                      "localhost on 127.0.0.1, and these names. Implies --room")
    room.add_argument("--room-per-address", metavar="N", type=int, help="connections one device (one address) "
                      "may hold open at once (default 32). Implies --room")
    room.add_argument("--room-log-cap", metavar="KB", type=int, help="kilobytes the room's writes may add to the "
                      "log in any minute (default 512); past it a write is refused with a page saying when to "
                      "send it again. Implies --room")
    parser.set_defaults(run=run_drill)



def run_drill(args: argparse.Namespace) -> int:
    """No collections while start-up builds its objects: the console takes the collector back at its first
    frame (DrillApp.first_frame_shown); whatever way this returns, the collector is on again."""
    gc.disable()
    try:
        return _run_drill(args)
    finally:
        gc.enable()


def _run_drill(args: argparse.Namespace) -> int:
    from engine.drill.clock import SystemClock
    from engine.drill.plan import PlanError
    from engine.plans import load_plan

    if not os.path.isfile(args.scenario):
        return _fail(f"{args.scenario}: no such file", EXIT_USAGE)
    if args.resume and args.log:
        return _fail("--log names a new drill's log; --resume continues an existing one: give one of them",
                     EXIT_USAGE)
    if args.log and os.path.exists(args.log):
        return _fail(f"{args.log}: a file is already there; tabletop never overwrites a log "
                     f"(to continue that drill: --resume {args.log})", EXIT_USAGE)
    for folder in args.runbooks or []:
        if not os.path.isdir(folder):
            return _fail(f"{folder}: no such folder", EXIT_USAGE)
    try:
        plan = load_plan(args.scenario, args.runbooks, quick=True,  # no pydantic for files that fit
                         parse_cache=_parse_cache(args))
    except PlanError as exc:
        print(f"tabletop: error: {exc}", file=sys.stderr)
        for finding in exc.findings[:5]:
            print(f"{finding.path}:{finding.line}:{finding.column}: {finding.message} [{finding.rule}]",
                  file=sys.stderr)
        return EXIT_PLAN
    room = None
    limits = (args.room_name, args.room_per_address, args.room_log_cap)
    if args.room or args.room_host or args.room_port is not None or any(v is not None for v in limits):
        # before resuming: a bad room writes nothing
        from engine.room.seats import RoomFileError
        from engine.room.server import RoomBindError, prepare, room_options

        try:
            room = prepare(args.room_host or "127.0.0.1", args.room_port, args.resume, room_options(*limits))
        except (RoomBindError, RoomFileError) as exc:
            return _fail(str(exc), EXIT_USAGE)
    clock = SystemClock()
    drill = None
    if args.resume:  # a new drill's modules load after the start screen's first frame
        from engine.drill.log import LogError
        from engine.drill.session import Drill

        try:
            drill = Drill.resume(plan, args.resume, clock)
        except LogError as exc:
            if room is not None:
                room.sock.close()
            return _fail(str(exc), EXIT_LOG)

    from engine.tui.app import DrillApp  # Textual's import cost is paid only from here on

    app = DrillApp(plan, clock, drill, scenario_path=shlex.quote(args.scenario), log_path=args.log,
                   facilitator=args.facilitator, resumed=drill is not None, room=room)
    try:
        app.run()
    finally:
        if app.drill is not None:
            app.drill.close()
    for line in app.exit_lines():
        print(line)
    if app.room_file:
        from engine.terminal import escape

        print(f"Room links: {escape(shlex.quote(app.room_file))} (with --resume and --room, the same links again)")
    return app.return_code or EXIT_OK


def _parse_cache(args: argparse.Namespace) -> ParseCache | None:
    """The cache of parsed files the console opens with (engine.parse_cache), or None (--no-cache)."""
    from engine.parse_cache import ParseCache, cache_folder

    folder = cache_folder(args.cache, args.no_cache)
    return ParseCache(folder) if folder else None
