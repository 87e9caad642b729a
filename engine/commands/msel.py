"""`tabletop msel export|import`: a scenario as an MSEL spreadsheet (CSV, XLSX) and back (CSV, XLSX, JSON)."""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from engine.bounds import MAX_MSEL_COLUMNS, MAX_MSEL_ROWS
from engine.commands import fail as _fail
from engine.commands import positive as _positive
from engine.commands import usage as _usage

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

_EXPORT_EPILOG = """\
examples:
  tabletop msel export scenarios/m365-na-outage-2026-01-22.yaml > msel.csv
  tabletop msel export scenarios/m365-na-outage-2026-01-22.yaml -o msel.csv --force
  tabletop msel export scenarios/m365-na-outage-2026-01-22.yaml --format xlsx -o msel.xlsx

Above the header: the scenario's id, title, summary, runbooks, duration and
anchor as key/value rows (XLSX: a second sheet, "Scenario"), so import gets
them back. Columns: Number, Scenario time (T+h:mm), Real time (UTC, when the scenario has
an anchor), Event, Service changes, Intended player, Title, Inject text, Expected
action, Objectives, Condition (contingency injects: `after DECISION=OPTION +30m`
or `after STEP +5m`) and ID. Cells that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) and cells starting with an
apostrophe get a leading apostrophe; import takes it off again. CSV files get a
UTF-8 byte-order mark so Excel reads them as UTF-8 (not on stdout).

exit codes:
  0  written
  1  the scenario is not valid (run `tabletop validate` on it)
  2  usage error (bad option, missing file, unwritable output, the output exists: use --force,
     text an XLSX cell cannot hold)
  3  the scenario could not be read or parsed
"""

_IMPORT_EPILOG = """\
examples:
  tabletop msel import vpn-drill.csv -o scenarios/vpn-drill.yaml
  tabletop msel import msel.xlsx --scenario-id m365 --runbook inbound-mail-continuity admin-console-loss -o -
  tabletop msel import MSEL.json --scenario-id ransomware-ttx --anchor 2026-03-02T09:00:00Z

Reads tabletop's own export, hand-made spreadsheets (columns matched by header,
the vocabularies in docs/msel.md) and the JSON MSEL of chat-based exercise
runners. Times may be offsets from T+0 (T+1:30, 1:30, 1h30m, +90m), clock times
(08:00, 7:29 PM, 0700, Excel times), dates in their own column, Day 2 08:00,
military date-time groups (210900ZAUG2011) or ISO date-times. Whether the time
column holds clock times or offsets is decided from its cells and said on
stderr with T+0 (--times and --anchor override). The scenario id defaults to
the file's (or the file name), the runbooks to the file's, else those in
runbooks/ whose roles, services, events or steps the MSEL names. A column
whose name misleads is read by its cells (an "Inject" column of numbers is the
number; with no text column, the one column of prose is the text), and said;
where two readings remain the import is refused with the --column to pass.
Unknown columns, skipped rows (marked omitted, or with no time; --strict refuses them)
and rows out of time order are reported on stderr. Nothing is written unless
the whole file converts; the scenario is then checked against its runbooks
like `tabletop validate` does, and nothing is written if it would not load.
An import reads at most 5,000 rows and 100 columns (engine/bounds.py;
--max-rows and --max-columns raise them); a long one shows its progress on a
terminal.

exit codes:
  0  written (warnings, if any, on stderr)
  1  written, but `tabletop validate` finds errors in it (listed on stderr)
  1  not written: the scenario made from the file would not load (listed on stderr)
  2  usage or input error: bad option, unreadable CSV/XLSX/JSON, missing columns, columns that
     read two ways, a bad cell or a time far from the others (the message names the row and
     column), more rows or columns than the limit, or the output exists already (use --force);
     nothing is written
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
                        help="where to write, - for stdout (default: stdout for csv, SCENARIO-ID.xlsx for xlsx)")
    export.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    export.set_defaults(run=run_export)

    imp = actions.add_parser(
        "import", help="read a CSV, XLSX or JSON MSEL into a scenario",
        description="Convert an MSEL into a scenario file that validates against the named runbooks.",
        epilog=_IMPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE", help="the MSEL: .csv, .xlsx or .json")
    imp.add_argument("--format", choices=["csv", "xlsx", "json"], help="default: from the file name")
    imp.add_argument("-o", "--output", metavar="SCENARIO.yaml", help="write here, - for stdout (default: stdout)")
    imp.add_argument("--scenario-id", metavar="ID",
                     help="the new scenario's id (default: the file's Scenario row, else from the file name)")
    imp.add_argument("--runbook", nargs="+", metavar="RB",
                     help="the runbook ids it drills (default: the file's Runbooks row, else the runbooks the "
                     "MSEL names, else all in the runbook folder)")
    imp.add_argument("--runbooks", metavar="DIR", action="append",
                     help="folder of runbooks to check against (repeatable; default: runbooks/)")
    imp.add_argument("--title", help="the scenario's title (default: from the id)")
    imp.add_argument("--anchor", metavar="TIME", help="real-world moment of T+0, e.g. 2026-01-22T19:33:00Z")
    imp.add_argument("--duration", metavar="DURATION", help="the planned window, e.g. 11h")
    imp.add_argument("--timezone", metavar="ZONE", help="the IANA time zone of the file's local clock times, e.g. "
                     "America/Chicago, so T+ counts real hours across a daylight-saving change (default: a "
                     "'Time zone' row above the header; dated times across a change are refused without one)")
    imp.add_argument("--encoding", metavar="CODEC", help="text encoding of a CSV or JSON file, e.g. cp1252 "
                     "(default: UTF-8, with or without a byte-order mark)")
    imp.add_argument("--sheet", metavar="NAME", help="XLSX: the sheet to read (default: the active sheet, "
                     "else the first visible one)")
    imp.add_argument("--times", choices=["clock", "offset"],
                     help="read the time column as clock times or as offsets from T+0 (default: decided from "
                     "the cells, and said)")
    imp.add_argument("--column", action="append", metavar="ROLE=HEADER",
                     help="read the column HEADER as ROLE (e.g. say=\"Actual Narrative\", number=Inject, skip=Notes); "
                     "repeatable; for a column whose name misleads, or two columns that read as one")
    imp.add_argument("--strict", action="store_true",
                     help="refuse rows that cannot be scheduled (marked omitted, or no time) instead of skipping")
    imp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    imp.add_argument("--max-rows", metavar="N", type=_positive, default=MAX_MSEL_ROWS,
                     help=f"read at most N rows of injects (default: {MAX_MSEL_ROWS:,})")
    imp.add_argument("--max-columns", metavar="N", type=_positive, default=MAX_MSEL_COLUMNS,
                     help=f"read at most N columns (default: {MAX_MSEL_COLUMNS:,})")
    imp.set_defaults(run=run_import)





# ----- export -----


def run_export(args: argparse.Namespace) -> int:
    from engine.commands.output import OutputError, target, write_binary, write_text
    from engine.msel.export import XlsxTextError, to_csv, write_xlsx
    from engine.validate import validate

    if not Path(args.scenario).is_file():
        return _fail(f"{args.scenario}: no such file")
    try:
        where = target(args.output, force=args.force)  # None: stdout (csv), or SCENARIO-ID.xlsx (xlsx)
    except OutputError as exc:
        return _fail(str(exc))
    result = validate([args.scenario])
    doc = result.documents[0]
    if doc.unreadable:
        return _fail(f"{args.scenario} could not be read; run `tabletop validate {args.scenario}`", EXIT_UNREADABLE)
    if doc.kind != "scenario" or doc.model is None or result.broken(doc.path):
        return _fail(f"{args.scenario} is not a valid scenario; run `tabletop validate {args.scenario}`",
                     EXIT_FINDINGS)
    scenario = doc.model
    try:
        if args.format == "csv":
            done = write_text(where, ("\ufeff" if where else "") + to_csv(scenario), force=args.force)
        else:
            if args.output is None:
                where = target(f"{scenario.scenario}.xlsx", force=args.force)
            done = write_binary(where, lambda temp: write_xlsx(scenario, temp), force=args.force)
    except (OutputError, XlsxTextError) as exc:
        return _fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(said(where, done), file=sys.stderr)
    return EXIT_OK


# ----- import -----


def run_import(args: argparse.Namespace) -> int:
    from engine.commands.output import OutputError, target, write_text
    from engine.msel import MselError
    from engine.msel.table import Limits, detect_format, read_table
    from engine.msel.times import TimeFormatError, parse_anchor
    from engine.terminal import Progress

    try:
        where = target(args.output, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))
    anchor = None
    if args.anchor:
        try:
            anchor = parse_anchor(args.anchor)
        except TimeFormatError as exc:
            return _fail(f"--anchor: {exc}")
    if args.timezone:
        from engine.msel.zones import zone_named

        try:
            zone_named(args.timezone)
        except MselError as exc:
            return _fail(f"--timezone: {exc}")
    if args.duration:
        from engine.duration import DurationError, parse_duration

        try:
            parse_duration(args.duration)
        except DurationError as exc:
            return _fail(f"--duration: {exc}")
    progress = Progress()
    try:
        table = read_table(args.file, detect_format(args.file, args.format), encoding=args.encoding,
                           sheet=args.sheet, limits=Limits(args.max_rows, args.max_columns, progress))
        progress(f"converting {len(table.rows):,} rows")
        converted = _convert(args, table, anchor, where)
    except MselError as exc:
        progress.clear()
        _say(exc.notes, exc.warnings)  # what was read before the refusal often explains it
        return _fail(escape(str(exc)))
    if isinstance(converted, int):
        progress.clear()
        return converted
    result, files = converted
    progress.clear()  # the notes and warnings follow, each on its own line
    _say(result.notes, result.warnings)
    text = _scenario_text(result.data, where)
    progress(f"checking {len(result.data['injects']):,} injects")
    checked = _check(text, where.name if where else f"{result.data['scenario']}.yaml", files, result.rows, progress)
    errors, loads = checked
    if not loads:  # what the loader refuses is never written, not even to standard output
        return _fail(f"{args.file}: nothing written: the scenario made from it would not load (see above)",
                     EXIT_FINDINGS)
    try:
        done = write_text(where, text, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(f"{said(where, done)} ({len(result.data['injects'])} injects)", file=sys.stderr)
    return EXIT_FINDINGS if errors else EXIT_OK


def _say(notes: list[str], warnings: list[str]) -> None:
    for note in notes:
        print(f"tabletop: note: {escape(note)}", file=sys.stderr)
    for warning in warnings:
        print(f"tabletop: warning: {escape(warning)}", file=sys.stderr)


def escape(text: str) -> str:
    """Text from a cell, safe for a terminal: control and format characters as escapes."""
    from engine.drill.narrate import escape as _escape

    return _escape(text)


def _scenario_text(data: dict[str, Any], where: Path | None) -> str:
    from engine.scaffold import file_text

    folder = where.parent if where else Path("scenarios" if Path("scenarios").is_dir() else ".")
    return file_text("scenario", folder, data)


def _convert(args: argparse.Namespace, table: Any, anchor: Any, where: Path | None) -> Any:
    """(Converted, runbook files) with the scenario id and runbooks settled, or an exit code."""
    from engine.msel import MselError
    from engine.msel.convert import Options, convert
    from engine.msel.meta import read_meta
    from engine.msel.roles import parse_forced
    from engine.msel.runbooks import choose
    from engine.scaffold import kebab

    meta = read_meta(table)
    scenario_id = args.scenario_id or meta.values.get("scenario") or kebab(Path(args.file).stem, fallback="msel")
    if kebab(scenario_id, fallback="") != scenario_id:
        origin = "--scenario-id" if args.scenario_id else f"{table.path}: row {meta.rows.get('scenario')}: Scenario"
        return _fail(escape(f"{origin} {scenario_id!r} is not an id; try {kebab(scenario_id)!r}"))
    named = list(args.runbook or [])
    if not named and meta.values.get("runbooks"):
        named = [r for r in re.split(r"[;,\s]+", meta.values["runbooks"]) if r]
    found = _runbooks(named, args.runbooks, where)
    if isinstance(found, int):
        return found
    files, models, everything = found
    pool = models if named else everything
    options = Options(scenario_id, named, args.title, anchor, args.duration,
                      {r for rb in pool for r in rb.roles}, args.times, args.strict, parse_forced(args.column),
                      args.timezone)
    converted = convert(table, options)
    if not named:
        if not everything:
            raise MselError("no runbooks to drill: pass --runbook ID (and --runbooks DIR), or add a Runbooks row")
        chosen, why = choose(everything, converted.data["injects"])
        options.runbooks = chosen
        options.roles = {r for rb in everything if rb.runbook in chosen for r in rb.roles}
        converted = convert(table, options)
        converted.notes.append(f"runbooks: {', '.join(chosen)}, because {why}; pass --runbook to choose")
    return converted, files


def _runbooks(ids: list[str], folders: list[str] | None, target: Path | None) -> Any:
    """(runbook files, models of the named ones, models of every runbook found) or an exit code."""
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
            return _fail(escape(f"runbook `{runbook_id}` {where}; give its folder with --runbooks"))
        if subject.doc.unreadable:
            return _fail(f"{subject.doc.path} could not be read", EXIT_UNREADABLE)
        models.append(subject.model)
    everything = [s.model for s in result.project.runbooks if s.model is not None] if result else []
    return ([d.path for d in result.documents if d.kind == "runbook"] if result else []), models, everything


def _check(text: str, name: str, runbook_files: list[str], rows: list[int],
           progress: Any = None) -> tuple[int, bool]:
    """Validate the scenario text with the runbooks, as it will be written; print findings by MSEL row.

    Returns the error count and whether the text loads at all (no YAML or file error: tabletop reads it back).
    """
    from engine.findings import Severity
    from engine.validate import validate

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = validate([path, *runbook_files])
        if progress is not None:
            progress.clear()  # the findings follow, each on its own line
        doc = result.documents[0]
        starts = [doc.where(("injects", i))[0] for i in range(len(rows))]
        errors = 0
        for finding in (f for f in result.findings if f.path == doc.path):
            index = max((i for i, line in enumerate(starts) if line <= finding.line), default=None)
            place = f"row {rows[index]}" if index is not None else "the scenario"
            level = "error" if finding.severity is Severity.ERROR else "warning"
            errors += finding.severity is Severity.ERROR
            print(f"tabletop: {level}: {place}: {escape(finding.message)} [{finding.rule}]", file=sys.stderr)
        loads = not doc.unreadable and not result.broken(doc.path, load_only=True)
    return errors, loads

