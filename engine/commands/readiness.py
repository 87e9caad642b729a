"""`tabletop readiness`: the runbooks, scenarios, improvement plan and drill logs in one view.

Exit codes: 0 written, no finding at error level; 1 findings at error level
(`drill-overdue` by default; with --strict, warnings too); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from engine.commands import fail

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_EPILOG = """\
examples:
  tabletop readiness                                      # runbooks/, scenarios/, improvements/, exports/drills/
  tabletop readiness --format html -o readiness.html
  tabletop readiness --format json --logs archive/drills --today 2026-03-01

Cadence: drill_every = "90d" in tabletop.toml or [tool.tabletop], or `drill_every: 90d` in a runbook.
Only live drills (the console) count as drilled; --include-headless adds plays to the rating trends.

exit codes:
  0  written; no finding at error level
  1  findings at error level (drill-overdue: a runbook past its cadence); with --strict, warnings too
  2  usage error (bad option, bad date, unusable settings, an output file that exists without --force
     or cannot be written)
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from engine.commands.plan import add_view_options

    parser = subparsers.add_parser(
        "readiness", help="readiness across drills: runbooks due for a drill, objective trends, open improvements",
        description="Per runbook, when it was last drilled live, whether it changed since and whether its drill "
        "cadence is overdue; per objective, its P/S/M/U ratings across drills; per improvement item, where it "
        "stands and how long it has been open. Figures come from the files and logs only, judged at --today.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_view_options(parser)
    parser.add_argument("--scenarios", metavar="FOLDER", default="scenarios",
                        help="the scenarios, for which scenario drills which runbook (default: scenarios)")
    parser.add_argument("--format", choices=["text", "markdown", "json", "html"], default="text")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (`-` or none: standard output)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument("--include-headless", action="store_true",
                        help="count the ratings of headless plays in the objective trends too")
    parser.add_argument("--strict", action="store_true", help="exit 1 on findings at warning level too")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from engine.commands import today
    from engine.commands.output import OutputError, target, write_text
    from engine.commands.plan import view_folders
    from engine.config import ConfigError, find_config, load_config
    from engine.findings import Severity
    from engine.rules import rule_ids

    try:
        day = today(args.today)
        config = load_config(find_config(Path.cwd()), rule_ids())
    except (ValueError, ConfigError) as exc:
        return fail(str(exc))
    problem = view_folders(args)
    if problem:
        return fail(problem)
    try:
        where = target(args.output, force=args.force)
    except OutputError as exc:
        return fail(str(exc))
    view, warnings = collect(args, day, config)
    for warning in warnings:
        print(f"tabletop: warning: {warning}", file=sys.stderr)
    try:
        done = write_text(where, render(view, args.format), force=args.force)
    except OutputError as exc:
        return fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(said(where, done), file=sys.stderr)
    worst = {Severity.ERROR} | ({Severity.WARNING} if args.strict else set())
    return EXIT_FINDINGS if any(f.severity in worst for f in view.findings) else EXIT_OK


def collect(args: argparse.Namespace, day, config):  # type: ignore[no-untyped-def]
    """The view and the warnings to print (files left out, a cache that cannot be written)."""
    from engine.commands.plan import plain
    from engine.improvement.files import read_plans
    from engine.improvement.status import standings
    from engine.readiness import cadence
    from engine.readiness.cache import LogCache, as_of, cache_folder, read_drills
    from engine.readiness.drills import each_drill_once
    from engine.readiness.inputs import read_runbooks, read_scenarios, step_targets
    from engine.readiness.view import build

    warnings = []
    runbooks, broken = read_runbooks(args.runbooks)
    warnings += [f"{path} has errors and is left out; run `tabletop validate {path}`" for path in broken]
    plans = read_plans(args.improvements)
    warnings += [f"{p.path} has problems and is left out; run `tabletop validate {p.path}`" for p in plans if not p.ok]
    cache = LogCache(cache_folder(args.cache, args.no_cache))
    from engine.commands import counting_progress

    show, clear = counting_progress("reading drill logs")
    try:
        drills, unreadable = read_drills(args.logs, cache, show)
    finally:
        clear()
    drills, repeats = each_drill_once(drills)
    warnings += [f"{plain(name)} holds the same drill as {plain(first)}; counted once" for name, first in repeats]
    drills, later = as_of(drills, day)
    if later:
        warnings.append(f"{later} drill{'s' if later != 1 else ''} started after {day} and are left out")
    warnings += [plain(p) for p in cache.problems]
    cadences = cadence.cadences(runbooks, drills, config.drill_every, day)
    findings = []
    for finding in cadence.findings(runbooks, cadences):
        if finding.rule in config.disable:
            continue
        findings.append(replace(finding, severity=config.severity.get(finding.rule, finding.severity)))
    items = standings([p for p in plans if p.ok], drills, step_targets(runbooks), day)
    view = build(runbooks, read_scenarios(args.scenarios), drills, cadences, items, findings, as_of=day,
                 logs_folder=args.logs, unreadable=unreadable, include_headless=args.include_headless)
    return view, warnings


def render(view, fmt: str) -> str:  # type: ignore[no-untyped-def]
    from engine.readiness import html, text
    from engine.readiness.view import to_json

    if fmt == "json":
        return json.dumps(to_json(view), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return text.markdown(view)
    if fmt == "html":
        return html.html(view)
    return text.text(view)
