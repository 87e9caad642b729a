"""`tabletop play`: run a whole drill headless, in virtual time, and print what happened."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.bounds import OutOfBounds, check_wall
from engine.commands import fail as _fail

EXIT_FINISHED, EXIT_DEADLOCK, EXIT_USAGE, EXIT_PLAN, EXIT_LOG = 0, 1, 2, 3, 4

EXIT_CODES = """\
exit codes:
  0  the drill finished: every runbook ran to its end on this path
  1  deadlock: steps were left waiting or blocked with nothing that could move them
     (the summary names them)
  2  usage error: a bad option, an unknown step or option in --decide, a bad team file
     (named at its file:line:col); also after a whole play when the drill refused one of
     the team file's actions at its time (each named at its entry's file:line:col)
  3  the scenario or its runbooks cannot be read or have errors (run `tabletop validate`)
  4  the log cannot be written (--log exists, folder not writable, disk full), or the log
     given to --resume cannot be continued (broken, written for other files, not by play),
     or the log given to --from cannot be read (broken, written for other files)
"""

EXAMPLES = """\
examples:
  tabletop play scenarios/m365-na-outage-2026-01-22.yaml
  tabletop play scenarios/m365-na-outage-2026-01-22.yaml --decide failover-decision=hold
  tabletop play scenarios/m365-na-outage-2026-01-22.yaml --team teams/m365-na-outage.team.yaml
  tabletop play --resume exports/drills/m365-na-outage-2026-01-22-20260122T193300Z.jsonl
  tabletop play --from exports/drills/m365-na-outage-2026-01-22-20260122T193300Z.jsonl --at T+0:20 \
      --decide failover-decision=fail-over

Play runs on a fake clock: T+0 is --start, else the scenario's anchor, else
2026-01-01T00:00:00Z, so the same inputs always write the same log. Logs go to
exports/drills/<scenario>-<start>.jsonl (with -2, -3 ... when taken); an
existing file is never overwritten. Decisions come from --decide, else the team
file, else the first option (the summary marks those "(default)").
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "play", help="run a whole drill headless and write its log",
        description="Play a scenario with its runbooks from start to end without a console: injects "
        "fire on schedule, ready steps start and finish after their target time (or the team file's), "
        "decisions follow --decide or the team file. Writes the drill log and prints a summary.",
        epilog=EXAMPLES + "\n" + EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", nargs="?", metavar="SCENARIO",
                        help="the scenario file (with --resume: default, the one the log names)")
    parser.add_argument("--decide", action="append", default=[], metavar="STEP=OPTION",
                        help="the option to take at a decision step (`step-id` or `runbook/step-id`); repeatable")
    parser.add_argument("--team", metavar="FILE", help="a team file: participants, durations, decisions, notes, "
                        "ratings (see docs/drill-log.md)")
    parser.add_argument("--log", metavar="PATH", help="write the log here (must not exist)")
    parser.add_argument("--runbooks", action="append", metavar="DIR",
                        help="folder of runbooks (default: runbooks/ beside the scenario's folder); repeatable")
    parser.add_argument("--start", metavar="ISO", help="the wall time of T+0, e.g. 2026-01-22T19:33:00Z")
    parser.add_argument("--files-from", metavar="DIR",
                        help="with --resume: read the scenario and runbooks the log names from DIR only")
    parser.add_argument("--resume", metavar="LOG", help="continue a log written by play (after a crash) to the end")
    parser.add_argument("--from", dest="from_log", metavar="LOG",
                        help="what if: fork the drill of LOG (live or played) at --at and play the rest headless; "
                        "decisions from --decide, the team file, then the drill of LOG where it still can")
    parser.add_argument("--at", metavar="WHEN", help="with --from: the fork point, a scenario time such as "
                        "T+1:00 (every event at or before it is repeated) or seq:N (events 0 to N)")
    parser.set_defaults(run=run_play)



class _Stop(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def run_play(args: argparse.Namespace) -> int:
    try:
        return _play(args)
    except _Stop as stop:
        return _fail(str(stop), stop.code)


def _play(args: argparse.Namespace) -> int:
    if args.from_log or args.at:
        from engine.commands.play_fork import fork

        return fork(args)
    from engine.drill.clock import FakeClock, parse_wall
    from engine.drill.log import LogError
    from engine.drill.play import Player, start_wall
    from engine.drill.session import Drill

    start = _start_option(args)
    decide_raw = [_split_decide(d) for d in args.decide]
    for folder in args.runbooks or []:
        if not Path(folder).is_dir():
            raise _Stop(f"--runbooks {folder}: no such folder", EXIT_USAGE)
    read = _read_resume(args.resume) if args.resume else None
    if args.files_from and not Path(args.files_from).is_dir():
        raise _Stop(f"--files-from {args.files_from}: no such folder", EXIT_USAGE)
    scenario = args.scenario or (_logged_scenario(read, args.files_from) if read else None)
    if not scenario:
        raise _Stop("give a SCENARIO file (or --resume LOG)", EXIT_USAGE)
    if not Path(scenario).is_file():
        raise _Stop(f"{scenario}: no such scenario file", EXIT_USAGE)
    runbooks = args.runbooks
    if read is not None and not args.scenario and not runbooks:  # the runbooks the log names, and only those
        from engine.commands.log import _logged_runbook_files
        from engine.drill.session import logged_start

        runbooks = _logged_runbook_files(read.path, logged_start(read), args.files_from) or None
    # Recorded relative to the working folder where it lies in it: a log's absolute paths are not read back.
    plan = _load_plan(_relative([scenario])[0], runbooks)
    decide = _resolve_decide(plan, decide_raw)
    team = _load_team(args.team, plan) if args.team else None

    trace = os.environ.get("TABLETOP_PLAY_TRACE") == "1"
    delay = _delay()
    after_write = _after_write(trace, delay) if trace or delay else None
    progress = _progress if sys.stderr.isatty() else None
    try:
        if read is not None:
            clock = FakeClock(parse_wall(read.events[-1].wall))
            drill = Drill.resume(plan, args.resume, clock)
            if drill.log.next_seq > len(read.events):  # the pause Drill.resume recorded
                _written_already(drill, after_write, progress)
            _decided_already(drill, decide)
        else:
            clock = FakeClock(start_wall(plan, start))
            drill = Drill.start(plan, clock, log_path=args.log, facilitator=team.facilitator if team else None,
                                participants=team.participants if team else None, mode="headless")
            _written_already(drill, after_write, progress)
        try:
            outcome = Player(drill, clock, team=team, decide=decide, progress=progress,
                             after_write=after_write).run()
        finally:
            drill.close()
    except LogError as exc:
        raise _Stop(str(exc), EXIT_LOG) from None
    print(_summary(drill, outcome), end="")
    sys.stdout.flush()
    return _exit_code(outcome)


def _exit_code(outcome: Any) -> int:
    """Finished or deadlock; but first name each action of the team file the drill refused at its time, at its
    entry's file:line:col (the log is whole without it): then it is a usage error."""
    from engine.drill.clock import format_t

    for action, t, why in outcome.actions_refused:
        _fail(f"{action.where}: `{action.name}` not taken at {format_t(t)}: {why}", EXIT_USAGE)
    if outcome.actions_refused:
        return EXIT_USAGE
    return EXIT_FINISHED if outcome.finished else EXIT_DEADLOCK


def _written_already(drill: Any, after_write: Any, progress: Any) -> None:
    """Report the event Drill.start or Drill.resume wrote before the player took over."""
    if after_write:
        after_write(drill.log.next_seq - 1, drill.log.last_hash)
    if progress:
        from engine.drill.log import read_log

        progress(read_log(drill.path).events[-1])


def _start_option(args: argparse.Namespace) -> datetime | None:
    if args.log and args.resume:
        raise _Stop("--log cannot be used with --resume: play continues the log it resumes", EXIT_USAGE)
    if args.start is None:
        return None
    if args.resume:
        raise _Stop("--start cannot be used with --resume: the log says when the drill started", EXIT_USAGE)
    try:
        when = datetime.fromisoformat(args.start.replace("Z", "+00:00"))
    except ValueError:
        raise _Stop(f"--start {args.start!r} is not an ISO 8601 time like 2026-01-22T19:33:00Z", EXIT_USAGE) from None
    if when.tzinfo is None:
        raise _Stop(f"--start {args.start!r} has no time zone; add Z for UTC", EXIT_USAGE)
    try:
        return check_wall(when, "--start")
    except OutOfBounds as exc:
        raise _Stop(str(exc), EXIT_USAGE) from None


def _split_decide(text: str) -> tuple[str, str]:
    step, sep, option = text.partition("=")
    if not sep or not step.strip() or not option.strip():
        raise _Stop(f"--decide {text!r}: write it as STEP=OPTION, e.g. --decide failover-decision=hold", EXIT_USAGE)
    return step.strip(), option.strip()


def _delay() -> float:
    """TABLETOP_PLAY_DELAY=seconds: sleep after each event is written, so tests can kill play mid-run."""
    raw = os.environ.get("TABLETOP_PLAY_DELAY", "")
    try:
        return max(0.0, float(raw)) if raw else 0.0
    except ValueError:
        raise _Stop(f"TABLETOP_PLAY_DELAY={raw!r} is not a number of seconds", EXIT_USAGE) from None


def _after_write(trace: bool, delay: float) -> Any:
    import time

    def after_write(seq: int, line_hash: str) -> None:
        # TABLETOP_PLAY_TRACE=1: the event is fsynced by now; say so, so a test can hold play to it.
        if trace:
            sys.stdout.write(f"written {seq} {line_hash}\n")
            sys.stdout.flush()
        if delay:
            time.sleep(delay)

    return after_write


def _progress(event: Any) -> None:
    from engine.drill.narrate import line

    print(line(event), file=sys.stderr, flush=True)


def _read_resume(path: str) -> Any:
    from engine.drill.log import LogError, read_log

    if not Path(path).exists():
        raise _Stop(f"--resume {path}: no such log file", EXIT_USAGE)
    try:
        read = read_log(path)
    except LogError as exc:
        raise _Stop(str(exc), EXIT_LOG) from None
    if read.problem and not read.torn:
        raise _Stop(f"{path}:{read.problem.line}: {read.problem.message}; it cannot be resumed "
                    f"(`tabletop log verify {path}` shows the details)", EXIT_LOG)
    if not read.events:
        raise _Stop(f"{path}: the log holds no complete event to resume from; start the drill again", EXIT_LOG)
    from engine.drill.session import logged_start

    try:
        start = logged_start(read)
    except LogError as exc:
        raise _Stop(str(exc), EXIT_LOG) from None
    if start.mode != "headless":
        raise _Stop(f"{path}: this drill was not written by `tabletop play` (mode {start.mode!r}); "
                    "continue it in the drill console", EXIT_LOG)
    return read


def _logged_scenario(read: Any, files_from: str | None) -> str | None:
    from engine.commands.log import logged
    from engine.drill.session import logged_start

    scenario = logged_start(read).scenario
    found = logged(read.path, scenario.path if scenario else None, files_from, "scenario")
    if found.path is None and found.problem and "no such file" not in found.problem:
        raise _Stop(f"{read.path}: the scenario {found.recorded} the log names was not read: {found.problem}",
                    EXIT_USAGE)
    return found.path


def _load_plan(scenario: str, runbooks: list[str] | None) -> Any:
    from engine.drill.plan import PlanError, runbook_folders
    from engine.plans import load_plan

    try:
        return load_plan(scenario, runbooks if runbooks is not None else _relative(runbook_folders(scenario)))
    except PlanError as exc:
        for finding in exc.findings[:5]:
            print(f"{finding.path}:{finding.line}:{finding.column}: {finding.message} [{finding.rule}]",
                  file=sys.stderr)
        raise _Stop(str(exc), EXIT_PLAN) from None


def _relative(paths: list[str]) -> list[str]:
    """Paths under the working folder as relative paths, so the log names files the same on every clone and
    a resume, a verify or a report reads them back (a log's absolute paths are not read without --files-from)."""
    out = []
    for path in paths:
        try:
            out.append(Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix())
        except ValueError:
            out.append(path)
    return out


def _resolve_decide(plan: Any, pairs: list[tuple[str, str]]) -> dict[str, str]:
    from engine.drill.team import UnknownName, find_option, find_step

    out: dict[str, str] = {}
    for step, option in pairs:
        try:
            key = find_step(plan, step, decision=True)
            chosen = find_option(plan, key, option)
        except UnknownName as exc:
            raise _Stop(f"--decide {step}={option}: {exc}", EXIT_USAGE) from None
        if out.get(key, chosen) != chosen:
            raise _Stop(f"--decide {step}={option}: {key} is already decided as {out[key]} by another --decide",
                        EXIT_USAGE)
        out[key] = chosen
    return out


def _decided_already(drill: Any, decide: dict[str, str]) -> None:
    """On resume, a --decide that disagrees with a decision already in the log is ignored: say so."""
    for key, option in decide.items():
        made = drill.state.decisions.get(key)
        if made is not None and made.option != option:
            print(f"tabletop: note: --decide {key}={option} ignored: the log already has {key} = {made.option}",
                  file=sys.stderr)


def _load_team(path: str, plan: Any) -> Any:
    from engine.drill.team import TeamError, load_team

    if not Path(path).is_file():
        raise _Stop(f"--team {path}: no such file", EXIT_USAGE)
    try:
        return load_team(path, plan)
    except TeamError as exc:
        raise _Stop(str(exc), EXIT_USAGE) from None


def _summary(drill: Any, outcome: Any) -> str:
    from engine.drill.clock import format_t
    from engine.drill.narrate import escape
    from engine.drill.play import DEFAULT_RATIONALE
    from engine.drill.state import StepStatus

    state, plan = drill.state, drill.plan
    statuses = state.statuses()
    by_status: dict[StepStatus, list[str]] = {}
    for key, status in statuses.items():
        by_status.setdefault(status, []).append(key)
    used = format_t(state.t)
    out = [f"log: {drill.path}"]
    if outcome.finished:
        out.append(f"finished at {used}: every runbook ran to its end")
    else:
        out.append(f"DEADLOCK at {used}: the runbooks cannot finish on this path "
                   f"({escape(outcome.reason.removeprefix('deadlock: '))})")
        out += [f"  stuck: {s.step} ({s.status}): {s.why}" for s in outcome.stuck]
    counts = [f"{len(by_status.get(s, []))} {s}" for s in (StepStatus.DONE, StepStatus.SKIPPED, StepStatus.BLOCKED)]
    dormant = by_status.get(StepStatus.DORMANT, [])
    out.append(f"steps: {', '.join(counts)}" + (f", {len(dormant)} never opened" if dormant else "")
               + f" (of {len(statuses)})")
    for status in (StepStatus.SKIPPED, StepStatus.BLOCKED):
        if by_status.get(status):
            out.append(f"  {status}: {', '.join(by_status[status])}")
    if dormant:
        out.append(f"  never opened: {', '.join(dormant)}")
    out.append("decisions:" if state.decisions else "decisions: none made")
    defaulted = False
    for key, decision in state.decisions.items():
        default = decision.rationale == DEFAULT_RATIONALE
        defaulted |= default
        out.append(f"  {key} = {escape(decision.option)}" + (" (default)" if default else ""))
    if defaulted:
        out.append("  (default): no --decide or team file entry, so the first option was taken")
    missed = [i.id for i in plan.injects if i.id not in state.fired and (not i.contingent or i.id in state.armed)]
    untriggered = [i.id for i in plan.injects if i.contingent and i.id not in state.armed]
    unfired = ([f"not fired: {', '.join(missed)}"] if missed else []) + (
        [f"contingency not triggered: {', '.join(untriggered)}"] if untriggered else [])
    out.append(f"injects fired: {len(state.fired)} of {len(plan.injects)}"
               + (f" ({'; '.join(unfired)})" if unfired else ""))
    out.append(f"scenario time used: {used}")
    out.append(f"log head: {drill.log.last_hash} (keep it elsewhere: `tabletop log verify --head` then tells "
               "a rewritten log)")
    return "\n".join(out + _not_taken(outcome)) + "\n"


def _not_taken(outcome: Any) -> list[str]:
    """The team file's notes and actions whose moment never came."""
    from engine.drill.narrate import escape

    return [f"note not taken (its time never came): {escape(note.text)[:60]}" for note in outcome.notes_not_taken] \
        + [f"action not taken (the drill ended before its time): {action.name} ({action.where})"
           for action in outcome.actions_not_taken]
