"""`tabletop new runbook NAME` and `tabletop new scenario NAME --runbook ID`: commented starting files.

Exit codes: 0 written; 2 a usage error (a name with no letters, a missing
folder, the file exists already and is never overwritten).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.commands import fail as _fail

EXIT_OK, EXIT_USAGE = 0, 2

_EPILOG = """\
examples:
  tabletop new runbook "VPN outage"                  # writes runbooks/vpn-outage.yaml
  tabletop new scenario "VPN outage Monday" --runbook vpn-outage
  tabletop new runbook dns-failover -o playbooks/

The name is turned into a kebab-case id (lowercase, dashes). The file starts
with the schema modeline for editor completion and validates clean as written.
A new scenario's example injects use a service, role, event and decision of the
named runbooks when they are found (in --runbooks, or runbooks/).

exit codes:
  0  written
  2  usage error (bad name, missing folder, the file exists already)
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "new", help="write a commented starting runbook or scenario",
        description="Write a new runbook or scenario file that validates clean, with comments on every "
        "part of the format. Existing files are never overwritten.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=["runbook", "scenario"])
    parser.add_argument("name", metavar="NAME", help="the runbook or scenario name; kebab-cased into its id")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="folder to write into, or - for stdout (default: runbooks/ or scenarios/ when it "
                        "exists, else .)")
    parser.add_argument("--runbook", metavar="ID", action="append", default=[],
                        help="for a scenario: a runbook it drills (repeatable; required for scenarios)")
    parser.add_argument("--runbooks", metavar="DIR", action="append",
                        help="where to look for those runbooks (repeatable; default: runbooks/)")
    parser.set_defaults(run=run_new)


def run_new(args: argparse.Namespace) -> int:
    from engine.bounds import MAX_FILE_ID_LENGTH
    from engine.scaffold import ScaffoldError, kebab, runbook_template, scenario_template, schema_modeline, write_file
    from engine.terminal import escape

    ident = kebab(args.name, fallback="")
    if not ident:
        return _fail(f"{args.name!r} has no letters or digits to make an id from")
    if not ident[0].isalpha():
        return _fail(f"{args.name!r}: an id must start with a letter (got {ident!r})")
    if len(ident) > MAX_FILE_ID_LENGTH:
        return _fail(f"the id would be {len(ident):,} characters long; an id that names a file has at most "
                     f"{MAX_FILE_ID_LENGTH} (engine/bounds.py); give a shorter name")
    to_stdout = args.output == "-"
    folder = Path(args.output) if args.output and not to_stdout else _default_folder(args.kind)
    if not folder.is_dir():
        return _fail(f"{folder}: no such folder")
    target = folder / f"{ident}.yaml"
    modeline = schema_modeline(args.kind, folder)
    if args.kind == "runbook":
        if args.runbook:
            return _fail("--runbook is for `tabletop new scenario`")
        text = runbook_template(ident, modeline, args.name)
    else:
        if not args.runbook:
            return _fail("a scenario needs at least one --runbook ID")
        ids = [kebab(r, fallback="") or r for r in args.runbook]
        found, missing = _find_runbooks(ids, args.runbooks)
        for runbook_id in missing:
            print(f"tabletop: warning: runbook `{runbook_id}` not found; the example injects do not use it",
                  file=sys.stderr)
        text = scenario_template(ident, modeline, ids, found, args.name)
    if to_stdout:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_file(target, text)
    except ScaffoldError as exc:
        return _fail(str(exc))
    print(f"wrote {escape(target.as_posix())}")
    return EXIT_OK


def _default_folder(kind: str) -> Path:
    plural = Path(f"{kind}s")
    return plural if plural.is_dir() else Path(".")


def _find_runbooks(ids: list[str], folders: list[str] | None) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    """The named runbooks that exist and validate as models, and the ids not found."""
    from engine.config import Config
    from engine.validate import UsageError, discover, validate

    search = folders or (["runbooks"] if Path("runbooks").is_dir() else [])
    try:
        files = discover(search, Config()) if search else []
    except UsageError:
        files = []
    result = validate(files, Config(), found=set(files)) if files else None
    found, missing = [], []
    for runbook_id in ids:
        subject = result.project.runbook(runbook_id) if result else None
        (found.append(subject.model) if subject else missing.append(runbook_id))
    return found, missing

