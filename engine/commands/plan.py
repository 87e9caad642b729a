"""`tabletop plan add LOG` and `tabletop plan status`: the improvement plan kept in `improvements/`.

Exit codes: 0 done (also when nothing was new); 2 usage error (bad option, a
plan file with problems, a folder that cannot be written); 3 the log cannot be
read or holds no drill.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from engine.commands import fail, usage

EXIT_OK, EXIT_USAGE, EXIT_UNREADABLE = 0, 2, 3
DEFAULT_FOLDER = "improvements"

_EPILOG = """\
examples:
  tabletop plan add exports/drills/m365-na-outage-2026-01-22-20260122T193300Z.jsonl
  tabletop plan status
  tabletop plan status --format json --logs archive/drills --today 2026-03-01

exit codes:
  0  done (plan add: also when every area for improvement is in the plan already)
  2  usage error (bad option; a plan file with problems; a folder that cannot be written)
  3  the log cannot be read or holds no drill
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "plan", help="the improvement plan: add a drill's areas for improvement, show where each item stands",
        description="Keep the improvement plan (the IP of the AAR/IP) as YAML in improvements/: add the areas "
        "for improvement of a drill log as items, and see which items a later live drill has verified.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(run=lambda args: usage(parser))
    commands = parser.add_subparsers(dest="plan_command", metavar="COMMAND")
    add = commands.add_parser(
        "add", help="turn a drill log's areas for improvement into plan items",
        description="Add each area for improvement of the drill log as an item of the improvement plan, in "
        "FOLDER/<log name>.yaml. An item already added from the same drill and log line is not added again; "
        "existing items are never changed.", epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add.add_argument("log", metavar="LOG", help="a drill log (.jsonl)")
    add.add_argument("--to", metavar="FOLDER", default=DEFAULT_FOLDER, help="the plan folder (default: improvements)")
    add.set_defaults(run=run_add)
    status = commands.add_parser(
        "status", help="every item with the drill that verified it, or why it is not verified yet",
        description="Show every item of the improvement plan: its status, days open, and the later live drill "
        "that verified it, or why none has yet.", epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_view_options(status)
    status.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    status.set_defaults(run=run_status)


def add_view_options(parser: argparse.ArgumentParser) -> None:
    """The inputs `plan status` and `readiness` share."""
    parser.add_argument("--improvements", metavar="FOLDER", default=DEFAULT_FOLDER,
                        help="the improvement plan folder (default: improvements)")
    parser.add_argument("--logs", metavar="FOLDER",
                        help="the folder of drill logs, *.jsonl (default: exports/drills)")
    parser.add_argument("--runbooks", metavar="FOLDER",
                        help="the runbooks, for step targets and cadences (default: runbooks)")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="the date days open and cadences count to (default: $TABLETOP_TODAY, else today, UTC)")
    parser.add_argument("--cache", metavar="FOLDER", help="where to cache log summaries (default: "
                        "$TABLETOP_CACHE, else .tabletop-cache; safe to delete)")
    parser.add_argument("--no-cache", action="store_true", help="read every log afresh and cache nothing")


def view_folders(args: argparse.Namespace) -> str | None:
    """Fill in --logs and --runbooks; a folder named on the command line must exist (the message if not),
    a default one that does not is simply empty."""
    for option, default in (("logs", "exports/drills"), ("runbooks", "runbooks")):
        given = getattr(args, option)
        if given is not None and not Path(given).is_dir():
            return f"--{option} {given}: no such folder"
        setattr(args, option, given or default)
    return None


def run_add(args: argparse.Namespace) -> int:
    from engine.drill.log import LogError
    from engine.improvement.add import PlanAddError, add_from_log
    from engine.improvement.files import read_plans
    from engine.report.builder import build_report

    try:
        report = build_report(args.log)
    except LogError as exc:
        return fail(str(exc), EXIT_UNREADABLE)
    if not report.verification.ok:
        print(f"tabletop: warning: {args.log} does not verify; its areas for improvement before the bad line "
              "are added (see `tabletop log verify`)", file=sys.stderr)
    try:
        added = add_from_log(args.log, args.to, read_plans(args.to), report)
    except PlanAddError as exc:
        return fail(str(exc))
    for line, item_id, path in added.already:
        print(f"already in the plan: line {line} of the log is {plain(item_id)} in {plain(path)}")
    for note in added.notes:
        print(f"tabletop: warning: {plain(note)}", file=sys.stderr)
    if added.path:
        verb = "wrote" if added.created else "added to"
        print(f"{verb} {plain(added.path)}: {len(added.items)} item{'s' if len(added.items) != 1 else ''}")
        for item in added.items:
            print(f"  {item['id']}  {plain(item['finding']['note'])[:70]}")
        print(f"next: give each item an action, owner and due date, then `tabletop validate {plain(args.to)}`")
    elif not report.improvement_plan:
        print(f"{plain(args.log)} holds no area for improvement; nothing to add")
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    from engine.commands import today
    from engine.improvement.files import read_plans
    from engine.improvement.status import standings
    from engine.readiness.cache import LogCache, as_of, cache_folder, read_drills
    from engine.readiness.drills import each_drill_once
    from engine.readiness.inputs import read_runbooks, step_targets

    try:
        day = today(args.today)
    except ValueError as exc:
        return fail(str(exc))
    problem = view_folders(args)
    if problem:
        return fail(problem)
    plans = read_plans(args.improvements)
    bad = [p.path for p in plans if not p.ok]
    for path in bad:
        print(f"tabletop: warning: {path} has problems and is left out; run `tabletop validate {path}`",
              file=sys.stderr)
    cache = LogCache(cache_folder(args.cache, args.no_cache))
    from engine.commands import counting_progress

    show, clear = counting_progress("reading drill logs")
    try:
        drills, unreadable = read_drills(args.logs, cache, show)
    finally:
        clear()
    drills, repeats = each_drill_once(drills)
    for name, first in repeats:
        print(f"tabletop: warning: {plain(name)} holds the same drill as {plain(first)}; counted once",
              file=sys.stderr)
    drills, _ = as_of(drills, day)
    for message in cache.problems:
        print(f"tabletop: warning: {plain(message)}", file=sys.stderr)
    for name, why in unreadable:
        print(f"tabletop: warning: {name}: {plain(why)}; left out", file=sys.stderr)
    runbooks, _ = read_runbooks(args.runbooks)
    rows = standings([p for p in plans if p.ok], drills, step_targets(runbooks), day)
    if args.format == "json":
        sys.stdout.write(json.dumps(status_json(rows, day), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(status_markdown(rows, day))
    else:
        sys.stdout.write(status_text(rows, day, args.improvements))
    return EXIT_OK


def plain(value: object) -> str:
    """Text for a terminal: one line, control and direction characters replaced (a file cannot repaint it)."""
    from engine.terminal import replaced

    return replaced(value)


def status_text(rows: list[Any], day: Any, folder: str) -> str:
    if not rows:
        return f"No improvement items in {folder}/ (add a drill's with `tabletop plan add LOG`).\n"
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.standing] = counts.get(row.standing, 0) + 1
    out = [f"Improvement plan as of {day}: {len(rows)} item{'s' if len(rows) != 1 else ''} ("
           + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + ")", ""]
    width = max(len(r.id) for r in rows)
    for row in rows:
        days = f"{row.days_open}d open" if row.days_open is not None and row.standing in ("open", "in-progress") \
            else ""
        out.append(f"{row.id:<{width}}  {row.standing:<11} {days:>9}  {plain(row.why)}")
        out.append(f"{'':<{width}}  {row.path}:{row.line}")
    return "\n".join(out) + "\n"


def status_markdown(rows: list[Any], day: Any) -> str:
    from engine.report.markdown import escape

    out = [f"# Improvement plan as of {day}", "", "| item | standing | days open | owner | due | verification |",
           "|---|---|--:|---|---|---|"]
    for row in rows:
        item = row.item
        out.append(f"| `{row.id}` | {row.standing} | {'' if row.days_open is None else row.days_open} | "
                   f"{escape(item.owner or '')} | {item.due or ''} | {escape(row.why)} |")
    return "\n".join(out) + "\n"


def status_json(rows: list[Any], day: Any) -> dict[str, Any]:
    return {"as_of": str(day), "items": [{
        "id": r.id, "path": r.path, "line": r.line, "status": r.status, "standing": r.standing,
        "owner": r.item.owner, "due": r.item.due, "opened": r.opened, "days_open": r.days_open,
        "verified_by": asdict(r.evidence) if r.evidence else None, "why": r.why,
    } for r in rows]}
