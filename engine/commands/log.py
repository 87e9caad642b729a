"""`tabletop log verify|show`: check a drill log's hash chain and events, or print it for people."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.commands import fail as _fail
from engine.commands import one_pass
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
        "printed as written, with control characters escaped. The events are replayed as they are printed "
        "(against the files the log names when they are at hand and unchanged, else the ids it names); "
        "an event the replay refuses is named once in a warning on stderr, as the report would stop there.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("log", metavar="LOG")
    show.set_defaults(run=_show)
    parser.set_defaults(run=lambda args: _usage(parser))




def logged_file(log_path: str, recorded: Any, files_from: str | None = None, kind: str = "") -> str | None:
    """A file named in a log, found without letting the log steer (engine.logged_files); None if not read."""
    return logged(log_path, recorded, files_from, kind).path


def logged(log_path: str, recorded: Any, files_from: str | None = None, kind: str = "") -> Any:
    """engine.logged_files.find_named for a scenario or runbook a log names: where it is, or why not read."""
    from engine.logged_files import find_named

    folder = {"scenario": "scenarios", "runbook": "runbooks"}.get(kind)
    return find_named(log_path, recorded, files_from=files_from, kind_folder=folder if files_from else None)


def _open(path: str) -> Any:
    """The log as a LogStream (engine.drill.log.open_log), to read once; raises _Unreadable when it cannot be
    read at all (no such file, a folder, binary, empty), with the message to print."""
    from engine.drill.log import LogError, open_log

    try:
        stream = open_log(path)
    except LogError as exc:
        raise _Unreadable(str(exc)) from None
    if stream.problem and stream.problem.message == "the log is empty":
        raise _Unreadable(f"{path}: the log is empty")
    return stream


class _Unreadable(Exception):
    pass


class _Probe:
    """What --head and --seal ask of the log's lines, noted as the lines go by, so the log is read once:
    the first line whose hash is the head given, and the hash of the line the seal names."""

    def __init__(self, args: argparse.Namespace) -> None:
        from engine.drill.anchor import AnchorError, check_head, read_seal

        self.head: str | None = None
        self.head_line: int | None = None
        self.seal_lines: int | None = None
        self.sealed_hash: str | None = None
        if args.head is not None:
            try:
                self.head = check_head(args.head)
            except AnchorError:
                pass  # said by _anchored, after the chain is checked
        if args.key is not None:
            try:
                self.seal_lines = read_seal(_small_file(args.seal or args.log + ".seal", "seal")).lines
            except (AnchorError, _SmallFileError):
                pass

    @property
    def watching(self) -> bool:
        """Whether there is anything to note (a head or a seal given); else the events need not pass by."""
        return self.head is not None or self.seal_lines is not None

    def watch(self, stream: Any, events: Any) -> Any:
        """`events` (an iterator over `stream`) passed on one by one, each line's hash noted on the way."""
        for event in events:
            self.see(stream.count, stream.last_hash)
            yield event

    def see(self, line: int, digest: str) -> None:
        if self.head_line is None and digest == self.head:
            self.head_line = line
        if line == self.seal_lines:
            self.sealed_hash = digest


class _Anchor(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _anchored(args: argparse.Namespace, probe: _Probe, lines: int) -> str:
    """What --head and --key add to the verdict on a log of `lines` good lines, from what `probe` saw of
    them; raises _Anchor when the log fails them."""
    from engine.drill.anchor import AnchorError, UnusableKey, check_head, check_seal, read_seal

    said = ""
    if args.head is not None:
        try:
            head = check_head(args.head)
        except AnchorError as exc:
            raise _Anchor(str(exc), EXIT_USAGE) from None
        line = probe.head_line if probe.head == head else None
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
        if seal.lines > lines or seal.lines != probe.seal_lines or probe.sealed_hash != seal.head:
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
    from engine.whole_file import WriteError, said, write_whole

    try:
        stream = _open(args.log)
    except _Unreadable as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    for _ in stream:  # the chain checked line by line; only the count and the head are kept
        pass
    if stream.problem:
        return _fail(_locate(args.log, stream.problem.line, stream.problem.message) + "; only an intact log is "
                     "sealed", EXIT_BAD)
    try:
        _needs_cryptography()
        text = make_seal(stream, _small_file(args.key, "key"))
    except _Anchor as exc:
        return _fail(str(exc), exc.code)
    except (AnchorError, _SmallFileError) as exc:
        return _fail(f"{args.key}: {exc}" if isinstance(exc, AnchorError) else str(exc), EXIT_USAGE)
    target = args.seal or args.log + ".seal"
    try:
        done = write_whole(target, text)
    except WriteError as exc:
        return _fail(str(exc))
    print(f"sealed {stream.count} events, head {stream.last_hash}: {said(target, done, 'seal')}")
    return EXIT_OK


@one_pass
def run_verify(args: argparse.Namespace) -> int:
    """Read the log once: each event is checked against the chain, and folded (when the runbooks can be
    loaded) as it is read, so no more than a block of events is held. The verdicts keep their order: the
    chain first, then --head/--key, then the files, then the events against the runbooks."""
    try:
        stream = _open(args.log)
    except _Unreadable as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    from engine.commands import reading_progress

    show, clear = reading_progress(args.log, "checking")
    stream.progress = show
    try:
        return _verify(args, stream, clear)
    finally:
        clear()  # also when interrupted or a read fails: before the message that says so


def _verify(args: argparse.Namespace, stream: Any, done_reading: Callable[[], None]) -> int:
    from itertools import chain as chained

    from engine.drill.log import LogError
    from engine.drill.replay import replay_events

    probe = _Probe(args)
    events = iter(stream)
    first = next(events, None)
    if first is not None:
        probe.see(stream.count, stream.last_hash)
    prepared = _prepare(args, first)
    rest = probe.watch(stream, events) if probe.watching else events
    state, refused = None, None
    if isinstance(prepared, _Prepared):
        try:
            assert first is not None  # a plan is prepared only from a drill.started
            state = replay_events(prepared.plan, args.log, chained([first], rest), decoded=stream.payload_of)
        except LogError as exc:
            refused = str(exc)
    for _ in rest:  # the chain to its end, past an event the runbooks refuse
        pass
    done_reading()  # the progress line goes before any verdict
    if stream.torn:
        n = stream.problem.line
        return _fail(f"{args.log}: torn last line {n} (a crash mid-write); resume continues from line {n - 1}",
                     EXIT_BAD)
    if stream.problem:
        return _fail(_locate(args.log, stream.problem.line, stream.problem.message), EXIT_BAD)
    chain = f"ok: {stream.count} events, chain intact, head {stream.last_hash}"
    try:
        chain += _anchored(args, probe, stream.count)
    except _Anchor as exc:
        return _fail(str(exc), exc.code)
    if not isinstance(prepared, _Prepared):
        return prepared(chain)
    if refused is not None:
        return _fail(refused, EXIT_BAD)
    assert state is not None
    from engine.drill.clock import format_t

    plan = prepared.plan
    if state.ended:
        end = f"ended at {format_t(state.t)} ({state.end_reason or 'no reason given'})"
    else:
        end = f"not ended (last event at {format_t(state.t)})"
    from engine.terminal import escape

    print(f"{chain}, every event follows scenario {escape(plan.scenario.scenario)} and its {len(plan.runbooks)} "
          f"runbooks (unchanged); {end}")
    return EXIT_OK


class _Prepared:
    """The plan a log's events are checked against."""

    def __init__(self, plan: Any) -> None:
        self.plan = plan


def _prepare(args: argparse.Namespace, first: Any) -> Any:
    """From the log's first event: the _Prepared plan to fold the log with, or else what verify says once the
    chain is checked (a function of the chain's verdict line to the exit code)."""
    from engine.drill.log import LogError
    from engine.drill.session import start_of

    try:
        start = start_of(args.log, first)
    except LogError as exc:
        return _failing(str(exc), EXIT_BAD)
    if args.scenario and not Path(args.scenario).is_file():
        return _failing(f"--scenario {args.scenario}: no such file", EXIT_USAGE)
    for folder in args.runbooks or []:
        if not Path(folder).is_dir():
            return _failing(f"--runbooks {folder}: no such folder", EXIT_USAGE)
    if args.files_from and not Path(args.files_from).is_dir():
        return _failing(f"--files-from {args.files_from}: no such folder", EXIT_USAGE)
    logged_path = start.scenario.path if start.scenario else None
    found = logged(args.log, logged_path, args.files_from, "scenario")
    scenario = args.scenario or found.path
    if scenario is None:
        from engine.terminal import escape

        why = found.problem if found.problem and "no such file" not in found.problem else "not found"

        def unchecked(chain: str) -> int:
            print(f"{chain}; events not checked against the runbooks: scenario file "
                  f"{escape(found.recorded)!r} {why} (give it with --scenario PATH)")
            return EXIT_OK

        return unchecked
    return _plan_for(args, start, scenario)


def _failing(message: str, code: int) -> Any:
    return lambda chain: _fail(message, code)


def _plan_for(args: argparse.Namespace, start: Any, scenario: str) -> Any:
    from engine.drill.plan import PlanError, sha256_file
    from engine.drill.session import file_differences
    from engine.plans import load_plan

    scenario_id = start.scenario.id if start.scenario else None
    folders = args.runbooks or _logged_runbook_files(args.log, start, args.files_from) or None
    try:
        plan = load_plan(scenario, folders, quick=True)  # no pydantic for files that fit their model
    except PlanError as exc:
        if start.scenario is None or sha256_file(scenario) != start.scenario.sha256:
            return _failing(f"{args.log}: log from a different version of scenario {scenario_id}: {scenario} has "
                            "changed since the drill (and no longer loads)", EXIT_BAD)
        return _failing(f"{args.log}: cannot check the events: {exc}", EXIT_UNREADABLE)
    differences = file_differences(plan, start)
    if differences:
        return _failing(f"{args.log}: log from a different version of scenario {scenario_id} or its runbooks: "
                        f"{differences[0]}", EXIT_BAD)
    return _Prepared(plan)


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
    lines = _lines_at(log, number - 1, number + 1)
    here = _record(lines[1])
    if here is not None and here.get("seq") != number - 1:
        return (f"{log}:{number}: does not follow the line before it and is numbered {here.get('seq')!r}, "
                f"expected {number - 1}: a line before it is missing, or one was added")
    after = _record(lines[2]) if lines[2] is not None else None
    if after is not None and after.get("prev") == line_hash(lines[1] or b""):
        return (f"{log}:{number - 1}: was changed after it was written: line {number} no longer follows it "
                "(its `prev` hash differs)")
    if after is None:
        return f"{log}:{number}: {message} (line {number - 1} or this last line was changed)"
    return f"{log}:{number}: {message}"


def _lines_at(log: str, first: int, last: int) -> list[bytes | None]:
    """Lines `first` to `last` (1-based) of a file, without their newlines; None past its end. Read a line at a
    time: nothing before `first` is kept."""
    out: list[bytes | None] = []
    with open(log, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number >= first:
                out.append(raw.removesuffix(b"\n"))
            if number == last:
                break
    return out + [None] * (last - first + 1 - len(out))


def _record(raw: bytes | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _show(args: argparse.Namespace) -> int:
    from engine.commands.log_show import run_show

    return run_show(args)
