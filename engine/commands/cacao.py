"""`tabletop cacao export|import`: a runbook as an OASIS CACAO v2.0 playbook, and back."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from engine.bounds import MAX_PLAYBOOK_STEPS
from engine.commands import fail as _fail
from engine.commands import positive as _positive
from engine.commands import usage as _usage

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

_EXPORT_EPILOG = """\
examples:
  tabletop cacao export runbooks/inbound-mail-continuity.yaml -o inbound-mail.cacao.json
  tabletop cacao export runbooks/admin-console-loss.yaml --created 2026-02-01T00:00:00Z

The playbook is a manual one: every step is an action step with a manual
command (title and checklist) and its owner's role as the agent; needs become
stages joined by parallel steps, decisions switch-condition steps, fallbacks
on_failure links, and event branches if-condition steps. Exact needs,
services, objectives and targets go in a tabletop extension. The output is the
same for the same runbook: ids are derived from the runbook and step ids, and
created/modified are --created, else $SOURCE_DATE_EPOCH, else 1970-01-01.

exit codes:
  0  written
  1  the runbook is not valid (run `tabletop validate` on it)
  2  usage error (bad option, missing file, unwritable output, the output exists: use --force)
  3  the runbook could not be read or parsed
"""

_IMPORT_EPILOG = """\
examples:
  tabletop cacao import playbook.json -o runbooks/phishing-response.yaml
  tabletop cacao import inbound-mail.cacao.json      # prints the runbook

Reads the workflow from workflow_start: action steps become steps (manual
commands their checklist), parallel joins become needs, switch-condition and
if-condition steps decisions, on_failure links fallbacks, and
[x-tabletop-event:id = 'E'] conditions event branches. What has no place in a
runbook is reported on stderr, one line each: non-manual commands,
playbook-action and while-condition steps, targets, variables, markings,
signatures, other extensions. Nothing is written unless the whole playbook
converts; the result is then checked like `tabletop validate` does, and nothing
is written if it would not load. A playbook of more than 1,000 workflow steps
is refused (engine/bounds.py; --max-steps raises it); a long import shows its
progress on a terminal.

exit codes:
  0  written (what was not carried over, if anything, on stderr)
  1  written, but `tabletop validate` finds errors in it (listed on stderr); or not
     written: the runbook made from it would not load
  2  usage or input error: not JSON, not a CACAO 2.0 playbook, a missing required
     field (the message names its JSON path), more workflow steps than the limit, or
     the output exists already (use --force)
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "cacao", help="export a runbook as an OASIS CACAO v2.0 playbook, or import one",
        description="CACAO v2.0 security playbook interchange for runbooks.",
    )
    actions = parser.add_subparsers(dest="cacao_action", metavar="ACTION")
    parser.set_defaults(run=lambda args: _usage(parser))

    export = actions.add_parser(
        "export", help="write a runbook as a CACAO v2.0 playbook (JSON)",
        description="Write a runbook as an OASIS CACAO v2.0 manual playbook.",
        epilog=_EXPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("runbook", metavar="RUNBOOK", help="a runbook file")
    export.add_argument("-o", "--output", metavar="PATH", help="write here, - for stdout (default: stdout)")
    export.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    export.add_argument("--created", metavar="TIME", help="created/modified timestamp, e.g. 2026-02-01T00:00:00Z")
    export.set_defaults(run=run_export)

    imp = actions.add_parser(
        "import", help="read a CACAO v2.0 playbook with manual steps into a runbook",
        description="Convert a CACAO v2.0 playbook into a runbook file, reporting what does not carry over.",
        epilog=_IMPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("playbook", metavar="PLAYBOOK.json", help="a CACAO v2.0 playbook")
    imp.add_argument("-o", "--output", metavar="RUNBOOK.yaml", help="write here, - for stdout (default: stdout)")
    imp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    imp.add_argument("--max-steps", metavar="N", type=_positive, default=MAX_PLAYBOOK_STEPS,
                     help=f"read at most N workflow steps (default: {MAX_PLAYBOOK_STEPS:,})")
    imp.set_defaults(run=run_import)




def created_stamp(given: str | None) -> str:
    """CACAO wants UTC with exactly three decimals: 2026-02-01T00:00:00.000Z. Raises ValueError."""
    import datetime as dt

    from engine.cacao.export import DEFAULT_CREATED

    if given:
        moment = dt.datetime.fromisoformat(given.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(f"{given!r} has no time zone; add Z for UTC")
    elif os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        moment = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.UTC)
    else:
        return DEFAULT_CREATED
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def run_export(args: argparse.Namespace) -> int:
    from engine.cacao.export import to_playbook
    from engine.commands.output import OutputError, target, write_text
    from engine.findings import Severity
    from engine.terminal import escape
    from engine.validate import validate

    try:
        created = created_stamp(args.created)
    except ValueError as exc:
        return _fail(f"--created: {exc}")
    try:
        where = target(args.output, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))
    if not Path(args.runbook).is_file():
        return _fail(f"{args.runbook}: no such file")
    result = validate([args.runbook])
    doc = result.documents[0]
    if doc.unreadable:
        return _fail(f"{args.runbook} could not be read; run `tabletop validate {args.runbook}`", EXIT_UNREADABLE)
    errors = [f for f in result.findings if f.path == doc.path and f.severity is Severity.ERROR]
    if doc.kind != "runbook" or doc.model is None or errors:
        # Any error, not only a broken schema: a dangling `needs` or a cycle leaves no playbook to write.
        for finding in sorted(errors, key=lambda f: f.sort_key()):
            print(f"{escape(finding.path)}:{finding.line}:{finding.column}: error: {escape(finding.message)} "
                  f"[{finding.rule}]", file=sys.stderr)
        return _fail(f"{args.runbook} is not a valid runbook; run `tabletop validate {args.runbook}`", EXIT_FINDINGS)
    text = json.dumps(to_playbook(doc.model, created=created), indent=2, ensure_ascii=False) + "\n"
    try:
        done = write_text(where, text, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(said(where, done), file=sys.stderr)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from engine.cacao import CacaoError
    from engine.cacao.importer import from_playbook, parse_json
    from engine.commands.output import OutputError, target, write_text
    from engine.scaffold import file_text
    from engine.terminal import Progress

    source = Path(args.playbook)
    if not source.is_file():
        return _fail(f"{args.playbook}: no such file")
    try:
        where = target(args.output, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))
    raw = source.read_bytes()
    if len(raw) > 20 * 1024 * 1024:
        return _fail(f"{args.playbook}: the file is {len(raw):,} bytes; the limit is 20 MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _fail(f"{args.playbook}: byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8; "
                     "JSON files are UTF-8")
    progress = Progress()
    try:
        data = parse_json(text, args.playbook)
        steps = len(data["workflow"]) if isinstance(data, dict) and isinstance(data.get("workflow"), dict) else 0
        if steps > args.max_steps:
            return _fail(f"{args.playbook}: {steps:,} workflow steps; an import reads at most {args.max_steps:,} "
                         "(engine/bounds.py); pass --max-steps N to read more")
        progress(f"reading {steps:,} workflow steps")
        imported = from_playbook(data, args.playbook)
    except CacaoError as exc:  # one line per problem, every problem of the file
        progress.clear()
        for line in str(exc).split("\n"):
            _fail(escape(line))
        return EXIT_USAGE
    except RecursionError:
        progress.clear()
        return _fail(f"{args.playbook}: the JSON nests too deeply to read")
    progress.clear()
    for warning in imported.warnings:
        print(f"tabletop: warning: {escape(warning)}", file=sys.stderr)
    folder = where.parent if where else Path("runbooks" if Path("runbooks").is_dir() else ".")
    yaml_text = file_text("runbook", folder, imported.data)
    progress(f"checking {len(imported.data['steps']):,} steps")
    errors, loads = _check(yaml_text, where.name if where else f"{imported.data['runbook']}.yaml", progress)
    if not loads:  # what the loader refuses is never written, not even to standard output
        return _fail(f"{args.playbook}: nothing written: the runbook made from it would not load (see above)",
                     EXIT_FINDINGS)
    try:
        done = write_text(where, yaml_text, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(f"{said(where, done)} ({len(imported.data['steps'])} steps)", file=sys.stderr)
    return EXIT_FINDINGS if errors else EXIT_OK


def escape(text: str) -> str:
    """Text from a playbook, safe for a terminal: control and format characters as escapes."""
    from engine.drill.narrate import escape as _escape

    return _escape(text)


def _check(text: str, name: str, progress: Any = None) -> tuple[int, bool]:
    """Validate the runbook text as it will be written; print its findings.

    Returns the number of errors and whether the text loads at all (no YAML or file error).
    """
    import tempfile

    from engine.findings import Severity
    from engine.validate import validate

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = validate([path])
        if progress is not None:
            progress.clear()  # the findings follow, each on its own line
        errors = 0
        for finding in result.findings:
            level = "error" if finding.severity is Severity.ERROR else "warning"
            errors += finding.severity is Severity.ERROR
            print(f"tabletop: {level}: {name}:{finding.line}: {escape(finding.message)} [{finding.rule}]",
                  file=sys.stderr)
        doc = result.documents[0]
        loads = not doc.unreadable and not result.broken(doc.path, load_only=True)
    return errors, loads

