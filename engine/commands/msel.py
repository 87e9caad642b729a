"""`tabletop msel export|import`: a scenario as an MSEL spreadsheet (CSV, XLSX) and back (CSV, XLSX, JSON)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from engine.commands import fail as _fail
from engine.commands import usage as _usage

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

_EXPORT_EPILOG = """\
examples:
  tabletop msel export scenarios/m365-na-outage-2026-01-22.yaml > msel.csv
  tabletop msel export scenarios/m365-na-outage-2026-01-22.yaml --format xlsx -o msel.xlsx

Columns: Number, Scenario time (T+h:mm), Real time (UTC, when the scenario has
an anchor), Event, Service changes, Intended player, Inject text, Expected
action, Objectives, Condition (contingency injects: `after DECISION=OPTION +30m`
or `after STEP +5m`) and ID. Cells that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) and cells starting with an
apostrophe get a leading apostrophe; import takes it off again. CSV files get a
UTF-8 byte-order mark so Excel reads them as UTF-8 (not on stdout).

exit codes:
  0  written
  1  the scenario is not valid (run `tabletop validate` on it)
  2  usage error (bad option, missing file, unwritable output)
  3  the scenario could not be read or parsed
"""

_IMPORT_EPILOG = """\
examples:
  tabletop msel import msel.csv --scenario-id vpn-drill --runbook vpn-outage -o scenarios/vpn-drill.yaml
  tabletop msel import msel.xlsx --scenario-id m365 --runbook inbound-mail-continuity admin-console-loss
  tabletop msel import MSEL.json --scenario-id ransomware-ttx --runbook ransomware --anchor 2026-03-02T09:00:00Z

Reads tabletop's own export, hand-made spreadsheets (columns matched by header)
and the JSON MSEL of chat-based exercise runners (keys #, Real Time, Date,
Subject, From, Player, Script, Poll; Photo, Picture Name and Profile are not
carried over). Times: T+1:30, 1:30, 01:30:00, 1h30m, clock times such as
07:29 PM (counted from the earliest), or ISO date-times (with --anchor, or an
anchor inferred from rows that have both a scenario and a real time).
Unknown columns, skipped rows and rows out of time order are reported on
stderr. Nothing is written unless the whole file converts; the scenario is
then checked against its runbooks like `tabletop validate` does.

exit codes:
  0  written (warnings, if any, on stderr)
  1  written, but `tabletop validate` finds errors in it (listed on stderr)
  2  usage or input error: bad option, unreadable CSV/XLSX/JSON, missing columns, a bad cell
     (the message names the row and column), or the output exists already (use --force)
  3  a runbook file could not be read or parsed
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "msel", help="export a scenario as an MSEL spreadsheet, or import one",
        description="Master Scenario Events List interchange: a scenario as CSV or XLSX rows, and CSV, "
        "XLSX or JSON MSELs back into a scenario.",
    )
    actions = parser.add_subparsers(dest="msel_action", metavar="ACTION")
    parser.set_defaults(run=lambda args: _usage(parser))

    export = actions.add_parser(
        "export", help="write a scenario as an MSEL (CSV or XLSX)",
        description="Write a scenario's injects as MSEL rows, one row per inject, in the scenario's order.",
        epilog=_EXPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("scenario", metavar="SCENARIO", help="a scenario file")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("-o", "--output", metavar="PATH",
                        help="where to write (default: stdout for csv, SCENARIO-ID.xlsx for xlsx)")
    export.set_defaults(run=run_export)

    imp = actions.add_parser(
        "import", help="read a CSV, XLSX or JSON MSEL into a scenario",
        description="Convert an MSEL into a scenario file that validates against the named runbooks.",
        epilog=_IMPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE", help="the MSEL: .csv, .xlsx or .json")
    imp.add_argument("--format", choices=["csv", "xlsx", "json"], help="default: from the file name")
    imp.add_argument("-o", "--output", metavar="SCENARIO.yaml", help="write here (default: stdout)")
    imp.add_argument("--scenario-id", required=True, metavar="ID", help="the new scenario's id")
    imp.add_argument("--runbook", required=True, nargs="+", metavar="RB", help="the runbook ids it drills")
    imp.add_argument("--runbooks", metavar="DIR", action="append",
                     help="folder of runbooks to check against (repeatable; default: runbooks/)")
    imp.add_argument("--title", help="the scenario's title (default: from the id)")
    imp.add_argument("--anchor", metavar="TIME", help="real-world moment of T+0, e.g. 2026-01-22T19:33:00Z")
    imp.add_argument("--duration", metavar="DURATION", help="the planned window, e.g. 11h")
    imp.add_argument("--encoding", metavar="CODEC", help="text encoding of a CSV or JSON file, e.g. cp1252 "
                     "(default: UTF-8, with or without a byte-order mark)")
    imp.add_argument("--sheet", metavar="NAME", help="XLSX: the sheet to read (default: the first)")
    imp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    imp.set_defaults(run=run_import)




# ----- export -----


def run_export(args: argparse.Namespace) -> int:
    from engine.msel.export import to_csv, write_xlsx
    from engine.scaffold import ScaffoldError, write_file
    from engine.validate import validate

    if not Path(args.scenario).is_file():
        return _fail(f"{args.scenario}: no such file")
    doc = validate([args.scenario]).documents[0]
    if doc.unreadable:
        return _fail(f"{args.scenario} could not be read; run `tabletop validate {args.scenario}`", EXIT_UNREADABLE)
    if doc.kind != "scenario" or doc.model is None:
        return _fail(f"{args.scenario} is not a valid scenario; run `tabletop validate {args.scenario}`",
                     EXIT_FINDINGS)
    scenario = doc.model
    try:
        if args.format == "csv":
            if not args.output:
                sys.stdout.write(to_csv(scenario))
                return EXIT_OK
            write_file(Path(args.output), "\ufeff" + to_csv(scenario), overwrite=True)
        else:
            target = Path(args.output or f"{scenario.scenario}.xlsx")
            _write_binary(target, lambda temp: write_xlsx(scenario, temp))
    except ScaffoldError as exc:
        return _fail(str(exc))
    print(f"wrote {args.output or target}", file=sys.stderr)
    return EXIT_OK


def _write_binary(target: Path, write: Any) -> None:
    """Write through a temporary file beside the target, then move it into place."""
    from engine.scaffold import ScaffoldError

    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ScaffoldError(f"{folder}: no such folder")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temp))
        os.replace(temp, target)
    except OSError as exc:
        raise ScaffoldError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


# ----- import -----


def run_import(args: argparse.Namespace) -> int:
    from engine.msel import MselError
    from engine.msel.convert import Options, convert
    from engine.msel.table import detect_format, read_table
    from engine.msel.times import TimeFormatError, parse_anchor
    from engine.scaffold import ScaffoldError, file_text, kebab, write_file

    scenario_id = args.scenario_id
    if kebab(scenario_id, fallback="") != scenario_id:
        return _fail(f"--scenario-id {scenario_id!r} is not an id; try {kebab(scenario_id)!r}")
    if args.output and Path(args.output).exists() and not args.force:
        return _fail(f"{args.output} exists already; pass --force to overwrite it")
    anchor = None
    if args.anchor:
        try:
            anchor = parse_anchor(args.anchor)
        except TimeFormatError as exc:
            return _fail(f"--anchor: {exc}")
    if args.duration:
        from engine.duration import DurationError, parse_duration

        try:
            parse_duration(args.duration)
        except DurationError as exc:
            return _fail(f"--duration: {exc}")
    target = Path(args.output) if args.output else None
    runbooks = _runbooks(args.runbook, args.runbooks, target)
    if isinstance(runbooks, int):
        return runbooks
    files, models = runbooks
    roles = {r for rb in models for r in rb.roles}
    try:
        kind = detect_format(args.file, args.format)
        table = read_table(args.file, kind, encoding=args.encoding, sheet=args.sheet)
        converted = convert(table, Options(scenario_id, list(args.runbook), args.title, anchor, args.duration, roles))
    except MselError as exc:
        return _fail(str(exc))
    for note in converted.notes:
        print(f"tabletop: note: {note}", file=sys.stderr)
    for warning in converted.warnings:
        print(f"tabletop: warning: {warning}", file=sys.stderr)
    folder = target.parent if target else Path("scenarios" if Path("scenarios").is_dir() else ".")
    text = file_text("scenario", folder, converted.data)
    errors = _check(text, target.name if target else f"{scenario_id}.yaml", files, converted.rows)
    try:
        if target:
            write_file(target, text, overwrite=args.force)
            print(f"wrote {target} ({len(converted.data['injects'])} injects)", file=sys.stderr)
        else:
            sys.stdout.write(text)
    except ScaffoldError as exc:
        return _fail(str(exc))
    return EXIT_FINDINGS if errors else EXIT_OK


def _runbooks(ids: list[str], folders: list[str] | None, target: Path | None) -> tuple[list[str], list] | int:  # type: ignore[type-arg]
    """The runbook files to check against and the models of the named ones."""
    from engine.config import Config
    from engine.drill.plan import runbook_folders
    from engine.validate import UsageError, discover, validate

    search = folders or runbook_folders(str(target or Path.cwd() / "scenario.yaml"))
    try:
        files = discover(search, Config()) if search else []
    except UsageError as exc:
        return _fail(str(exc))
    result = validate(files, Config(), found=set(files)) if files else None
    models = []
    for runbook_id in ids:
        subject = result.project.runbook(runbook_id) if result else None
        if subject is None:
            where = f"is not in {', '.join(search)}" if search else "was not found (no runbooks/ folder here)"
            return _fail(f"runbook `{runbook_id}` {where}; give its folder with --runbooks")
        if subject.doc.unreadable:
            return _fail(f"{subject.doc.path} could not be read", EXIT_UNREADABLE)
        models.append(subject.model)
    return [d.path for d in result.documents if d.kind == "runbook"] if result else [], models


def _check(text: str, name: str, runbook_files: list[str], rows: list[int]) -> int:
    """Validate the scenario text with the runbooks; print findings by MSEL row. Returns the error count."""
    from engine.findings import Severity
    from engine.validate import validate

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = validate([path, *runbook_files])
        doc = result.documents[0]
        starts = [doc.where(("injects", i))[0] for i in range(len(rows))]
        errors = 0
        for finding in (f for f in result.findings if f.path == doc.path):
            index = max((i for i, line in enumerate(starts) if line <= finding.line), default=None)
            place = f"row {rows[index]}" if index is not None else "the scenario"
            level = "error" if finding.severity is Severity.ERROR else "warning"
            errors += finding.severity is Severity.ERROR
            print(f"tabletop: {level}: {place}: {finding.message} [{finding.rule}]", file=sys.stderr)
    return errors
