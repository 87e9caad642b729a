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
    verify.add_argument("--files-from", metavar="DIR",
                        help="read the scenario and runbooks the log names from DIR only (also when the log names "
                        "absolute paths or paths outside its project, which are otherwise not read)")
    verify.add_argument("--head", metavar="HASH",
                        help="a head kept elsewhere (as verify, play, report or the console printed it): the log "
                        "must hold it, which a rewrite of the log with every hash recomputed cannot fake")
    verify.add_argument("--key", metavar="PUBLIC_PEM",
                        help="check the log's seal (LOG.seal, or --seal) with this Ed25519 public key")
    verify.add_argument("--seal", metavar="FILE", help="the seal to check with --key (default: LOG.seal)")
    verify.set_defaults(run=run_verify)
    seal = actions.add_parser(
        "seal", help="sign the log's head with an Ed25519 key (LOG.seal)",
        description="Sign the log's current head (the hash of its last line) with the facilitator's Ed25519 "
        "private key and write the seal beside the log (LOG.seal). Whoever holds the public key can then "
        "tell, with `tabletop log verify --key`, that the log up to that line is the one that was sealed.",
        epilog="make a key pair with openssl:\n"
        "  openssl genpkey -algorithm ed25519 -out facilitator.pem\n"
        "  openssl pkey -in facilitator.pem -pubout -out facilitator.pub\n"
        "  tabletop log seal drill.jsonl --key facilitator.pem\n"
        "  tabletop log verify drill.jsonl --key facilitator.pub\n\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    seal.add_argument("log", metavar="LOG")
    seal.add_argument("--key", metavar="PRIVATE_PEM", required=True, help="the Ed25519 private key (PEM)")
    seal.add_argument("--seal", metavar="FILE", help="where to write the seal (default: LOG.seal)")
    seal.set_defaults(run=run_seal)
    show = actions.add_parser(
        "show", help="print the events as readable lines",
        description="Print each event as T+h:mm, wall time (UTC), type and a summary. Text people typed is "
        "printed as written, with control characters escaped.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("log", metavar="LOG")
    show.set_defaults(run=run_show)
    parser.set_defaults(run=lambda args: _usage(parser))




def logged_file(log_path: str, recorded: Any, files_from: str | None = None, kind: str = "") -> str | None:
    """A file named in a log, found without letting the log steer (engine.logged_files); None if not read."""
    return logged(log_path, recorded, files_from, kind).path


def logged(log_path: str, recorded: Any, files_from: str | None = None, kind: str = "") -> Any:
    """engine.logged_files.find_named for a scenario or runbook a log names: where it is, or why not read."""
    from engine.logged_files import find_named

    folder = {"scenario": "scenarios", "runbook": "runbooks"}.get(kind)
    return find_named(log_path, recorded, files_from=files_from, kind_folder=folder if files_from else None)


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


class _Anchor(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _anchored(args: argparse.Namespace, read: Any) -> str:
    """What --head and --key add to the verdict; raises _Anchor when the log fails them."""
    from engine.drill.anchor import AnchorError, UnusableKey, check_head, check_seal, find_head, line_hashes, read_seal

    said = ""
    if args.head is not None:
        try:
            head = check_head(args.head)
        except AnchorError as exc:
            raise _Anchor(str(exc), EXIT_USAGE) from None
        line = find_head(read, head)
        if line is None:
            raise _Anchor(f"{args.log}: no line of the log has the head {head}: the log was rewritten, "
                          "or the head is another log's", EXIT_BAD)
        said += f"; anchored: line {line} has the head given"
    if args.key is not None or args.seal is not None:
        if args.key is None:
            raise _Anchor("--seal needs --key, the public key to check it with", EXIT_USAGE)
        _needs_cryptography()
        seal_path = args.seal or args.log + ".seal"
        try:
            seal = read_seal(_small_file(seal_path, "seal"))
            check_seal(seal, _small_file(args.key, "key"))
        except UnusableKey as exc:
            raise _Anchor(f"{args.key}: {exc}", EXIT_USAGE) from None
        except AnchorError as exc:
            raise _Anchor(f"{seal_path}: {exc}", EXIT_BAD) from None
        except _SmallFileError as exc:
            raise _Anchor(str(exc), EXIT_USAGE) from None
        hashes = line_hashes(read)
        if seal.lines > len(hashes) or hashes[seal.lines - 1] != seal.head:
            raise _Anchor(f"{args.log}: line {seal.lines} does not have the sealed head: the log was rewritten "
                          "or cut short after it was sealed", EXIT_BAD)
        said += f"; sealed: line {seal.lines} has the head signed by the key's holder"
    return said


class _SmallFileError(Exception):
    pass


def _small_file(path: str, what: str) -> bytes:
    import os
    import stat

    from engine.drill.anchor import MAX_KEY_BYTES

    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise _SmallFileError(f"{path}: the {what} is not a regular file")
            data = handle.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise _SmallFileError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > MAX_KEY_BYTES:
        raise _SmallFileError(f"{path}: too big for a {what}")
    return data


def _needs_cryptography() -> None:
    try:
        import cryptography  # noqa: F401
    except ImportError:
        raise _Anchor("seals need the cryptography package: pip install -e '.[seal]' in the checkout",
                      EXIT_USAGE) from None


def run_seal(args: argparse.Namespace) -> int:
    from engine.drill.anchor import AnchorError, make_seal
    from engine.whole_file import WriteError, write_whole

    try:
        read = _read(args.log)
    except _Unreadable as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    if read.problem:
        return _fail(_locate(args.log, read.problem.line, read.problem.message) + "; only an intact log is sealed",
                     EXIT_BAD)
    try:
        _needs_cryptography()
        text = make_seal(read, _small_file(args.key, "key"))
    except _Anchor as exc:
        return _fail(str(exc), exc.code)
    except (AnchorError, _SmallFileError) as exc:
        return _fail(f"{args.key}: {exc}" if isinstance(exc, AnchorError) else str(exc), EXIT_USAGE)
    target = args.seal or args.log + ".seal"
    try:
        write_whole(target, text)
    except WriteError as exc:
        return _fail(str(exc))
    print(f"sealed {len(read.events)} events, head {read.last_hash}: {target}")
    return EXIT_OK


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
    try:
        chain += _anchored(args, read)
    except _Anchor as exc:
        return _fail(str(exc), exc.code)
    from engine.drill.log import LogError
    from engine.drill.session import logged_start

    try:
        start = logged_start(read)
    except LogError as exc:
        return _fail(str(exc), EXIT_BAD)
    if args.scenario and not Path(args.scenario).is_file():
        return _fail(f"--scenario {args.scenario}: no such file", EXIT_USAGE)
    for folder in args.runbooks or []:
        if not Path(folder).is_dir():
            return _fail(f"--runbooks {folder}: no such folder", EXIT_USAGE)
    if args.files_from and not Path(args.files_from).is_dir():
        return _fail(f"--files-from {args.files_from}: no such folder", EXIT_USAGE)
    logged_path = start.scenario.path if start.scenario else None
    found = logged(args.log, logged_path, args.files_from, "scenario")
    scenario = args.scenario or found.path
    if scenario is None:
        from engine.terminal import escape

        why = found.problem if found.problem and "no such file" not in found.problem else "not found"
        print(f"{chain}; events not checked against the runbooks: scenario file "
              f"{escape(found.recorded)!r} {why} (give it with --scenario PATH)")
        return EXIT_OK
    return _verify_events(args, read, start, scenario, chain)


def _verify_events(args: argparse.Namespace, read: Any, start: Any, scenario: str, chain: str) -> int:
    from engine.drill.clock import format_t
    from engine.drill.log import LogError
    from engine.drill.plan import PlanError, sha256_file
    from engine.drill.session import check_versions, replay
    from engine.plans import load_plan

    scenario_id = start.scenario.id if start.scenario else None
    folders = args.runbooks or _logged_runbook_files(args.log, start, args.files_from) or None
    try:
        plan = load_plan(scenario, folders)
    except PlanError as exc:
        if start.scenario is None or sha256_file(scenario) != start.scenario.sha256:
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


def _logged_runbook_files(log: str, start: Any, files_from: str | None) -> list[str]:
    """Exactly the runbook files drill.started (an events.Started) names, found safely: no folder is searched
    because of the log."""
    out: list[str] = []
    for entry in start.runbooks:
        found = logged_file(log, entry.path, files_from, "runbook")
        if found and found not in out:
            out.append(found)
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
