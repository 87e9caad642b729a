"""`tabletop log verify|show`: check a drill log's hash chain and events, or print it for people."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.commands import fail as _fail
from engine.commands import usage as _usage

EXIT_OK, EXIT_BAD, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

EXIT_CODES = """\
exit codes:
  0  the log is intact (verify), or was printed whole (show)
  1  the log fails: an edited or missing line (the first bad line is named), a torn last
     line from a crash, an event the runbooks do not allow (an unknown step, a step not
     ready), or files that changed since the drill (a different version of the scenario)
  2  usage error (bad option, --scenario file missing)
  3  the log cannot be read: no such file, a folder, empty, or binary
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "log", help="verify a drill log, or print it",
        description="Work with drill logs (exports/drills/*.jsonl).",
        epilog="examples:\n"
        "  tabletop log verify exports/drills/m365-na-outage-2026-01-22-20260122T193300Z.jsonl\n"
        "  tabletop log verify --scenario scenarios/m365-na-outage-2026-01-22.yaml drill.jsonl\n"
        "  tabletop log show drill.jsonl\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    verify = actions.add_parser(
        "verify", help="check the hash chain and every event against the runbooks",
        description="Check that every line follows the one before it (the hash chain), that no line is "
        "torn, and, with the scenario and runbooks the log names (or --scenario), that every event "
        "is one the runbooks allow and that those files have not changed since the drill.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("log", metavar="LOG")
    verify.add_argument("--scenario", metavar="PATH", help="the scenario file (default: the one the log names)")
    verify.add_argument("--runbooks", action="append", metavar="DIR",
                        help="folder of runbooks (default: where the log's runbooks were); repeatable")
    verify.set_defaults(run=run_verify)
    show = actions.add_parser(
        "show", help="print the events as readable lines",
        description="Print each event as T+h:mm, wall time (UTC), type and a summary. Text people typed is "
        "printed as written, with control characters escaped.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("log", metavar="LOG")
    show.set_defaults(run=run_show)
    parser.set_defaults(run=lambda args: _usage(parser))




def logged_file(log_path: str, recorded: Any) -> str | None:
    """A file named in a log (relative to where play ran), found from here or from the log's folders."""
    if not isinstance(recorded, str) or not recorded:
        return None
    path = Path(recorded)
    if path.is_absolute():
        return recorded if path.is_file() else None
    if path.is_file():
        return recorded
    for folder in Path(log_path).resolve().parents:
        if (folder / path).is_file():
            return str(folder / path)
    return None


def _read(path: str) -> Any:
    """The log as read; exits (via SystemExit-free return codes) are the caller's: raises _Unreadable."""
    from engine.drill.log import LogError, read_log

    try:
        read = read_log(path)
    except LogError as exc:
        raise _Unreadable(str(exc)) from None
    if not read.events and read.problem and read.problem.message == "the log is empty":
        raise _Unreadable(f"{path}: the log is empty")
    return read


class _Unreadable(Exception):
    pass


def run_verify(args: argparse.Namespace) -> int:
    try:
        read = _read(args.log)
    except _Unreadable as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    if read.torn:
        n = read.problem.line
        return _fail(f"{args.log}: torn last line {n} (a crash mid-write); resume continues from line {n - 1}",
                     EXIT_BAD)
    if read.problem:
        return _fail(_locate(args.log, read.problem.line, read.problem.message), EXIT_BAD)
    n = len(read.events)
    chain = f"ok: {n} events, chain intact, head {read.last_hash}"
    first = read.events[0]
    if first.type != "drill.started":
        return _fail(f"{args.log}:1: the log does not start with drill.started", EXIT_BAD)
    if args.scenario and not Path(args.scenario).is_file():
        return _fail(f"--scenario {args.scenario}: no such file", EXIT_USAGE)
    for folder in args.runbooks or []:
        if not Path(folder).is_dir():
            return _fail(f"--runbooks {folder}: no such folder", EXIT_USAGE)
    scenario_info = first.data.get("scenario") if isinstance(first.data.get("scenario"), dict) else {}
    scenario = args.scenario or logged_file(args.log, scenario_info.get("path"))
    if scenario is None:
        print(f"{chain}; events not checked against the runbooks: scenario file "
              f"{scenario_info.get('path')!r} not found (give it with --scenario PATH)")
        return EXIT_OK
    return _verify_events(args, read, scenario, chain)


def _verify_events(args: argparse.Namespace, read: Any, scenario: str, chain: str) -> int:
    from engine.drill.clock import format_t
    from engine.drill.log import LogError
    from engine.drill.plan import PlanError, load_plan, sha256_file
    from engine.drill.session import check_versions, replay

    start = read.events[0].data
    scenario_id = (start.get("scenario") or {}).get("id")
    folders = args.runbooks or _logged_runbook_folders(args.log, start) or None
    try:
        plan = load_plan(scenario, folders)
    except PlanError as exc:
        if sha256_file(scenario) != (start.get("scenario") or {}).get("sha256"):
            return _fail(f"{args.log}: log from a different version of scenario {scenario_id}: {scenario} has "
                         "changed since the drill (and no longer loads)", EXIT_BAD)
        return _fail(f"{args.log}: cannot check the events: {exc}", EXIT_UNREADABLE)
    differences = check_versions(plan, read)
    if differences:
        return _fail(f"{args.log}: log from a different version of scenario {scenario_id} or its runbooks: "
                     f"{differences[0]}", EXIT_BAD)
    try:
        state = replay(plan, read)
    except LogError as exc:
        return _fail(str(exc), EXIT_BAD)
    if state.ended:
        end = f"ended at {format_t(state.t)} ({state.end_reason or 'no reason given'})"
    else:
        end = f"not ended (last event at {format_t(state.t)})"
    print(f"{chain}, every event follows scenario {plan.scenario.scenario} and its {len(plan.runbooks)} "
          f"runbooks (unchanged); {end}")
    return EXIT_OK


def _logged_runbook_folders(log: str, start: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for entry in start.get("runbooks") or []:
        found = logged_file(log, entry.get("path")) if isinstance(entry, dict) else None
        if found and str(Path(found).parent) not in out:
            out.append(str(Path(found).parent))
    return out


def _locate(log: str, number: int, message: str) -> str:
    """Name the line that was edited. A changed line still chains onto the one before it; it is the line
    after it that no longer follows. So when line N does not follow N-1 but N+1 follows N, line N-1 is
    the changed one."""
    from engine.drill.log import line_hash

    if "does not follow the line before it" not in message or number < 2:
        return f"{log}:{number}: {message}"
    with open(log, "rb") as handle:
        lines = handle.read().split(b"\n")
    here = _record(lines[number - 1])
    if here is not None and here.get("seq") != number - 1:
        return (f"{log}:{number}: does not follow the line before it and is numbered {here.get('seq')!r}, "
                f"expected {number - 1}: a line before it is missing, or one was added")
    after = _record(lines[number]) if number < len(lines) else None
    if after is not None and after.get("prev") == line_hash(lines[number - 1]):
        return (f"{log}:{number - 1}: was changed after it was written: line {number} no longer follows it "
                "(its `prev` hash differs)")
    if after is None:
        return f"{log}:{number}: {message} (line {number - 1} or this last line was changed)"
    return f"{log}:{number}: {message}"


def _record(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def run_show(args: argparse.Namespace) -> int:
    from engine.drill.narrate import line

    try:
        read = _read(args.log)
    except _Unreadable as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    out = sys.stdout
    for event in read.events:
        out.write(line(event) + "\n")
    out.flush()
    if read.torn:
        return _fail(f"{args.log}: torn last line {read.problem.line} (a crash mid-write); "
                     "the lines above are complete", EXIT_BAD)
    if read.problem:
        return _fail(_locate(args.log, read.problem.line, read.problem.message) + "; the lines above are intact",
                     EXIT_BAD)
    return EXIT_OK
