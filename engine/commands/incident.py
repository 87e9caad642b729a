"""`tabletop incident import`: a draft scenario from an incident record (status page, service health, chat...)."""

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

_IMPORT_EPILOG = """\
examples:
  tabletop incident import incidents.json --runbook inbound-mail-continuity \\
      --service "Inbound mail=exchange-online" -o exports/mail-outage.yaml
  tabletop incident import MO1221364.json --runbook inbound-mail-continuity \\
      --service "Exchange Online=exchange-online" -o exports/mo1221364.yaml
  tabletop incident import slack-export.zip --channel inc-mail --runbook inbound-mail-continuity \\
      --role "Dana Okafor=incident-commander" -o exports/mail-chat.yaml
  tabletop incident import timeline.txt --tz America/New_York --runbook admin-console-loss -o -

Sources (detected, or named with --from): an Atlassian Statuspage incident
(incidents.json or one incident), a Microsoft 365 service health issue as
Microsoft Graph returns it, a Slack channel export (folder or zip), PagerDuty
log entries (JSON), a plain timeline (CSV, or text lines starting with a time).
T+0 is the first update; each update becomes an inject at its offset, its text
read out as published (HTML as plain text). Component status changes become
service health where --service maps the component; otherwise a comment for
the author. E-mail addresses, phone numbers and people's names from chat and
paging are replaced (said on stderr) unless --keep-names. The draft is checked
like `tabletop validate` does, and what is still to decide is listed.
Details: docs/incident-import.md.

exit codes:
  0  written
  1  written, but `tabletop validate` finds errors in it (listed on stderr)
  2  usage or input error: bad option, a record that cannot be read (the message names the field
     or line), the output exists already (use --force); nothing is written
  3  a runbook file could not be read or parsed
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "incident", help="turn an incident record into a draft scenario",
        description="Incident records (status pages, service health, chat, paging, timelines) as scenarios.",
    )
    actions = parser.add_subparsers(dest="incident_action", metavar="ACTION")
    parser.set_defaults(run=lambda args: _usage(parser))
    imp = actions.add_parser(
        "import", help="write a draft scenario from an incident record",
        description="Write a draft scenario from an incident record: one inject per published update, at the "
        "time it was published.",
        epilog=_IMPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE", help="the record: a JSON file, a CSV or text timeline, a Slack "
                     "export folder or zip")
    imp.add_argument("--from", dest="source", choices=["statuspage", "graph", "slack", "pagerduty", "timeline"],
                     help="the source (default: detected from the file)")
    imp.add_argument("--runbook", nargs="+", metavar="ID", required=True, help="the runbook ids the draft drills")
    imp.add_argument("--runbooks", metavar="DIR", action="append",
                     help="folder of runbooks (repeatable; default: runbooks/ beside the output, else ./runbooks)")
    imp.add_argument("-o", "--output", metavar="SCENARIO.yaml", help="write here, - for stdout (default: stdout)")
    imp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    imp.add_argument("--scenario-id", metavar="ID", help="the draft's id (default: from the incident's title)")
    imp.add_argument("--title", help="the draft's title (default: the incident's)")
    imp.add_argument("--incident", metavar="ID", help="the incident to import when the file holds several")
    imp.add_argument("--service", action="append", default=[], metavar="NAME=SERVICE",
                     help="map a component (as the record names it) to a runbook service; repeatable")
    imp.add_argument("--role", action="append", default=[], metavar="NAME=ROLE",
                     help="chat and paging: a speaker (name, display name or user id) stands for this role; "
                     "repeatable")
    imp.add_argument("--keep-names", action="store_true",
                     help="keep people's names and contact details as the record has them")
    imp.add_argument("--tz", metavar="ZONE", help="the zone of times written without one, e.g. America/New_York "
                     "(daylight saving time applied)")
    imp.add_argument("--channel", metavar="NAME", help="Slack: the channel to read when the export has several")
    imp.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from engine.commands.output import OutputError, target, write_text
    from engine.incident import IncidentError
    from engine.incident.draft import draft, scenario_id, with_comments
    from engine.incident.sources import Options, load
    from engine.incident.times import zone
    from engine.scaffold import kebab

    try:
        where = target(args.output, force=args.force)
        services = _pairs(args.service, "--service")
        roles = _pairs(args.role, "--role")
        tz = zone(args.tz)
    except (OutputError, IncidentError) as exc:
        return _fail(str(exc))
    if args.scenario_id and kebab(args.scenario_id, fallback="") != args.scenario_id:
        return _fail(f"--scenario-id {args.scenario_id!r} is not an id; try {kebab(args.scenario_id)!r}")
    found = _runbooks(args.runbook, args.runbooks, where)
    if isinstance(found, int):
        return found
    files, known_services, known_roles = found
    for name, service in services.items():
        if service not in known_services:
            return _fail(f"--service {name}={service}: {service!r} is not a service of {', '.join(args.runbook)} "
                         f"({', '.join(sorted(known_services)) or 'none'})")
    for name, role in roles.items():
        if role not in known_roles:
            return _fail(f"--role {name}={role}: {role!r} is not a role of {', '.join(args.runbook)} "
                         f"({', '.join(sorted(known_roles)) or 'none'})")
    options = Options(args.source, args.incident, tz, roles, args.keep_names, args.channel)
    try:
        record = load(Path(args.file), options)
        made = draft(record, args.scenario_id or scenario_id(record), args.runbook, services, args.title)
    except IncidentError as exc:
        return _fail(str(exc))
    for note in record.notes:
        print(f"tabletop: note: {note}", file=sys.stderr)
    text = with_comments(_scenario_text(made.data, where, record, args.file, made.to_decide), made.comments)
    errors = _check(text, where.name if where else f"{made.data['scenario']}.yaml", files, made.wheres)
    try:
        write_text(where, text, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))
    _report(record, made, where)
    return EXIT_FINDINGS if errors else EXIT_OK


def _pairs(values: list[str], option: str) -> dict[str, str]:
    from engine.incident import IncidentError

    out = {}
    for value in values:
        name, sep, right = value.rpartition("=")
        if not sep or not name.strip() or not right.strip():
            raise IncidentError(f"{option} {value!r}: write it as NAME=ID, e.g. \"Inbound mail=exchange-online\"")
        out[name.strip()] = right.strip()
    return out


def _scenario_text(data: dict[str, Any], where: Path | None, record: Any, source: str, to_decide: list[str]) -> str:
    from engine.scaffold import file_text

    folder = where.parent if where else Path("scenarios" if Path("scenarios").is_dir() else ".")
    label = f"{record.source} incident {record.id}".rstrip()
    header = [f"A draft from {label}, written by `tabletop incident import {Path(source).name}`.",
              "Still to decide:"] + [f"- {item}" for item in to_decide]
    return file_text("scenario", folder, data, "\n".join(_one_line(h) for h in header))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _report(record: Any, made: Any, where: Path | None) -> None:
    count = len(made.data["injects"])
    if record.removed:
        what = ", ".join(f"{kind}: {n}" for kind, n in sorted(record.removed.items()))
        print(f"tabletop: removed: {what} (--keep-names keeps them)", file=sys.stderr)
    print("tabletop: still to decide:", file=sys.stderr)
    for item in made.to_decide:
        print(f"  - {item}", file=sys.stderr)
    if where is not None:
        print(f"wrote {where} ({count} inject{'s' if count != 1 else ''} from {record.source} incident "
              f"{record.id})".replace(" )", ")"), file=sys.stderr)


def _runbooks(ids: list[str], folders: list[str] | None, where: Path | None) -> Any:
    """(runbook files, their services, their roles) for the named runbooks, or an exit code."""
    from engine.config import Config
    from engine.drill.plan import runbook_folders
    from engine.validate import UsageError, discover, validate

    search = folders or runbook_folders(str(where or Path.cwd() / "scenario.yaml"))
    try:
        files = discover(search, Config()) if search else []
    except UsageError as exc:
        return _fail(str(exc))
    result = validate(files, Config(), found=set(files)) if files else None
    services: set[str] = set()
    roles: set[str] = set()
    for runbook_id in ids:
        subject = result.project.runbook(runbook_id) if result else None
        if subject is None:
            place = f"is not in {', '.join(search)}" if search else "was not found (no runbooks/ folder here)"
            return _fail(f"runbook `{runbook_id}` {place}; give its folder with --runbooks")
        if subject.doc.unreadable or subject.model is None:
            return _fail(f"{subject.doc.path} could not be read; run `tabletop validate {subject.doc.path}`",
                         EXIT_UNREADABLE)
        services |= set(subject.model.services)
        roles |= set(subject.model.roles)
    return ([d.path for d in result.documents if d.kind == "runbook"] if result else []), services, roles


def _check(text: str, name: str, runbook_files: list[str], wheres: list[str]) -> int:
    """Validate the draft with its runbooks; print findings by the update they came from. Returns the errors."""
    from engine.findings import Severity
    from engine.validate import validate

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = validate([path, *runbook_files])
        doc = result.documents[0]
        starts = [doc.where(("injects", i))[0] for i in range(len(wheres))] if doc.model is not None else []
        errors = 0
        for finding in (f for f in result.findings if f.path == doc.path):
            index = max((i for i, line in enumerate(starts) if line <= finding.line), default=None)
            place = f"inject {index + 1} ({wheres[index]})" if index is not None else "the draft"
            level = "error" if finding.severity is Severity.ERROR else "warning"
            errors += finding.severity is Severity.ERROR
            print(f"tabletop: {level}: {place}: {finding.message} [{finding.rule}]", file=sys.stderr)
    return errors
