"""`tabletop play --from LOG --at WHEN`: a what-if fork of a played drill, finished headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engine.commands.play import (
    EXIT_LOG,
    EXIT_USAGE,
    _exit_code,
    _load_plan,
    _load_team,
    _relative,
    _resolve_decide,
    _split_decide,
    _Stop,
    _summary,
)


def fork(args: argparse.Namespace) -> int:
    """Check the options, read the parent log, write the fork and play it to its end; print play's summary
    with the fork's line. Raises _Stop (one line, the exit code) for every mistake."""
    from engine.drill.fork import ForkError, fork_point, inherited, start_fork
    from engine.drill.log import LogError
    from engine.drill.play import Player

    _check_options(args)
    decide_raw = [_split_decide(d) for d in args.decide]
    read = _read_parent(args.from_log)
    plan = _parent_plan(args, read)
    decide = _resolve_decide(plan, decide_raw)
    team = _load_team(args.team, plan) if args.team else None
    try:
        point = fork_point(read, args.at)
    except ForkError as exc:
        raise _Stop(str(exc), EXIT_USAGE) from None
    path = args.log or _default_path(plan, read)
    try:
        drill, clock, blocks = start_fork(plan, read, point, path, _relative([args.from_log])[0])
        try:
            outcome = Player(drill, clock, team=team, decide=decide, inherited=inherited(plan, read),
                             blocks=blocks).run()
        finally:
            drill.close()
    except LogError as exc:
        raise _Stop(str(exc), EXIT_LOG) from None
    print(f"fork of {args.from_log} at {point.label} (after its event seq:{point.count - 1})")
    print(_summary(drill, outcome), end="")
    sys.stdout.flush()
    return _exit_code(outcome)


def _check_options(args: argparse.Namespace) -> None:
    if not args.from_log:
        raise _Stop("--at needs --from LOG: the drill to fork", EXIT_USAGE)
    if not args.at:
        raise _Stop("--from needs --at WHEN: the fork point, e.g. --at T+1:00 or --at seq:12", EXIT_USAGE)
    for option, given in (("--resume", args.resume), ("--start", args.start)):
        if given:
            raise _Stop(f"{option} cannot be used with --from: the fork starts when its parent did", EXIT_USAGE)


def _read_parent(path: str) -> Any:
    from engine.drill.log import LogError, read_log
    from engine.drill.session import logged_start

    if not Path(path).is_file():
        raise _Stop(f"--from {path}: no such log file", EXIT_USAGE)
    try:
        read = read_log(path)
        logged_start(read)
    except LogError as exc:
        raise _Stop(str(exc), EXIT_LOG) from None
    if read.problem and not read.torn:
        raise _Stop(f"{path}:{read.problem.line}: {read.problem.message}; it cannot be forked "
                    f"(`tabletop log verify {path}` shows the details)", EXIT_LOG)
    return read


def _parent_plan(args: argparse.Namespace, read: Any) -> Any:
    """The scenario and runbooks the parent names (or SCENARIO and --runbooks), unchanged since it ran."""
    from engine.commands.log import _logged_runbook_files
    from engine.commands.play import _logged_scenario
    from engine.drill.session import file_differences, logged_start

    start = logged_start(read)
    scenario = args.scenario or _logged_scenario(read, args.files_from)
    if not scenario or not Path(scenario).is_file():
        raise _Stop(f"--from {read.path}: the scenario it names was not found; give the SCENARIO file", EXIT_USAGE)
    runbooks = args.runbooks or _logged_runbook_files(read.path, start, args.files_from) or None
    plan = _load_plan(_relative([scenario])[0], runbooks)
    differences = file_differences(plan, start)
    if differences:
        raise _Stop(f"--from {read.path}: {differences[0]}; fork it with the files it ran with", EXIT_LOG)
    return plan


def _default_path(plan: Any, read: Any) -> str:
    """exports/drills/<scenario>-fork-<the parent's start>.jsonl, with -2, -3 ... when taken."""
    from engine.drill.log import default_log_path
    from engine.drill.session import DEFAULT_FOLDER

    return default_log_path(DEFAULT_FOLDER, plan.scenario.scenario + "-fork", read.events[0].wall)


def fork_prefix(args: argparse.Namespace) -> list[Any]:
    """For `explore --from LOG --at WHEN`: the parent's events up to the fork point; sets args.scenario and
    args.runbooks to the files it names when not given. Raises _Stop for every mistake."""
    from engine.drill.fork import ForkError, fork_point

    if not args.from_log:
        raise _Stop("give a SCENARIO file (or --from LOG --at WHEN)" if not args.at else
                    "--at needs --from LOG: the drill to explore from", EXIT_USAGE)
    if not args.at:
        raise _Stop("--from needs --at WHEN: the moment to explore from, e.g. --at T+1:00", EXIT_USAGE)
    args.files_from = getattr(args, "files_from", None)
    read = _read_parent(args.from_log)
    plan = _parent_plan(args, read)
    try:
        point = fork_point(read, args.at)
    except ForkError as exc:
        raise _Stop(str(exc), EXIT_USAGE) from None
    args.scenario = args.scenario or plan.scenario_file.path
    args.runbooks = args.runbooks or sorted({str(Path(f.path).parent) for f in plan.runbook_files})
    return list(read.events[:point.count])
