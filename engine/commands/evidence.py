"""`tabletop evidence`: the audit evidence pack of a period (docs/evidence.md).

Exit codes: 0 written (findings or not, without --check); 1 with --check, findings at error or warning
level; 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from engine.commands import fail

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_EPILOG = """\
examples:
  tabletop evidence -o evidence-2026                           # exports/drills/, the last 12 months
  tabletop evidence exports/drills archive/2025 --period 2025-07-01..2026-06-30 -o audit/fy26
  tabletop evidence --check --format sarif > evidence.sarif    # CI: exit 1 on findings, no pack

The pack: index.html (one page, prints on A4) and index.md; a page for each control with the drills that
exercised it in the period (date, mode, objectives and ratings, attendance, AAR), the areas for
improvement and improvement items (owner, due, status, the later drill and log line that verified it,
closure); the verification of every log used (with its seal, LOG.seal, where there is one); and
SHA256SUMS, which `sha256sum -c SHA256SUMS` checks. Headless rehearsals (`tabletop play`) are listed but
are not exercises. The same logs and files give the same bytes.

Findings (also in the index): control-undrilled, improvement-overdue, improvement-unverified,
log-unverified, log-files-changed. Settings (tabletop.toml) may disable them or change their severity.

exit codes:
  0  written (with or without findings, unless --check)
  1  --check: findings at error or warning level
  2  usage error (bad period or date, unusable settings, no runbooks folder, a key file that cannot be read,
     an output folder that holds other files, or a previous pack without --force)
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from engine.formats import FORMATS

    parser = subparsers.add_parser(
        "evidence", help="the audit evidence pack: which drills exercised which control in a period",
        description="Write an evidence pack for an audit: per control the runbooks name, the drills that "
        "exercised it in the period, their attendance, after-action reports and improvement items, and the "
        "verification of every drill log used, with a SHA256SUMS of every file.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("logs", metavar="LOGS", nargs="*",
                        help="drill logs, or folders of them (*.jsonl; default: exports/drills)")
    parser.add_argument("--period", metavar="FROM..TO",
                        help="the dates the pack covers, both included (default: the 12 months up to --today)")
    parser.add_argument("-o", "--output", metavar="DIR", help="the pack's folder (none: findings only)")
    parser.add_argument("--force", action="store_true", help="replace the evidence pack already in DIR")
    parser.add_argument("--check", action="store_true", help="exit 1 on findings at error or warning level")
    parser.add_argument("--format", choices=FORMATS, default="text", help="how to print the findings")
    parser.add_argument("--runbooks", metavar="FOLDER", default="runbooks", help="(default: runbooks)")
    parser.add_argument("--scenarios", metavar="FOLDER", default="scenarios", help="(default: scenarios)")
    parser.add_argument("--improvements", metavar="FOLDER", default="improvements",
                        help="the improvement plan (default: improvements)")
    parser.add_argument("--key", metavar="PUBLIC_PEM", help="check each log's seal (LOG.seal) with this "
                        "Ed25519 public key")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="the date items are due against (default: $TABLETOP_TODAY, else today, UTC)")
    parser.add_argument("--generated", metavar="TEXT", help="a line saying when or by whom the pack was made "
                        "(by default none, so the same inputs give the same bytes)")
    parser.add_argument("--cache", metavar="FOLDER", help="where log summaries and reports are cached "
                        "(default: $TABLETOP_CACHE, else .tabletop-cache; safe to delete)")
    parser.add_argument("--no-cache", action="store_true", help="read every log afresh and cache nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from engine.commands import counting_progress, today
    from engine.config import ConfigError, find_config, load_config
    from engine.evidence.build import Inputs, build
    from engine.evidence.pack import PackError, check_target
    from engine.evidence.period import parse_period
    from engine.readiness.cache import LogCache, cache_folder
    from engine.rules import rule_ids

    try:
        day = today(args.today)
        period = parse_period(args.period, day)
        config = load_config(find_config(Path.cwd()), rule_ids())
    except (ValueError, ConfigError) as exc:
        return fail(str(exc))
    logs, problem = _logs(args.logs)
    if problem:
        return fail(problem)
    for option in ("runbooks", "scenarios", "improvements"):
        given = getattr(args, option)
        if Path(given).exists() and not Path(given).is_dir():
            return fail(f"--{option} {given} is not a folder")
        if given != option and not Path(given).is_dir():
            return fail(f"--{option} {given}: no such folder")
    if not Path(args.runbooks).is_dir():  # the default, from another folder: no control to give evidence for
        return fail(f"{args.runbooks}: no such folder; run tabletop evidence in the project's folder, or give "
                    "--runbooks")
    key = None
    if args.key:
        try:
            key = Path(args.key).read_bytes()[:16384]
        except OSError as exc:
            return fail(f"--key {args.key}: cannot read: {exc.strerror or exc}")
    if args.output == "":
        return fail("-o: give the folder to write the pack in")
    if args.output:
        try:
            check_target(args.output, args.force)
        except PackError as exc:
            return fail(str(exc))
    cache = LogCache(cache_folder(args.cache, args.no_cache))
    show, clear = counting_progress("reading drill logs")
    try:
        evidence, warnings = build(Inputs(logs, args.runbooks, args.scenarios, args.improvements, period, day, cache,
                                          key, tuple(config.catalogues), show))
    finally:
        clear()
    evidence.findings = [replace(f, severity=config.severity.get(f.rule, f.severity)) for f in evidence.findings
                         if f.rule not in config.disable]
    for warning in warnings + cache.problems:
        print(f"tabletop: warning: {warning}", file=sys.stderr)
    if args.output:
        code = _write(evidence, args, cache)
        if code:
            return code
    _print_findings(evidence, args.format)
    from engine.findings import Severity

    failing = [f for f in evidence.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    return EXIT_FINDINGS if args.check and failing else EXIT_OK


def _logs(given: list[str]) -> tuple[list[str], str | None]:
    """The log files of the arguments (folders: their *.jsonl), each once, in order; or the problem."""
    from engine.readiness.cache import find_logs

    if not given:
        return find_logs("exports/drills"), None
    out: list[str] = []
    for name in given:
        path = Path(name)
        if path.is_dir():
            out += find_logs(name)
        elif path.is_file():
            out.append(path.as_posix())
        elif path.exists():
            return [], f"{name}: not a log file or a folder of logs"
        else:
            return [], f"{name}: no such log or folder"
    return list(dict.fromkeys(os.path.normpath(p) for p in out)), None


def _write(evidence, args: argparse.Namespace, cache) -> int:  # type: ignore[no-untyped-def]
    from engine.commands import counting_progress
    from engine.evidence.aar import aar_html
    from engine.evidence.gather import current_files
    from engine.evidence.pack import PackError, pack_files, write_pack
    from engine.readiness.inputs import read_runbooks
    from engine.terminal import escape

    files_now = current_files(read_runbooks(args.runbooks)[0], args.scenarios)
    aars: dict[str, bytes | Path] = {}
    show, clear = counting_progress("after-action reports")
    try:
        for done, drill in enumerate(evidence.drills, start=1):
            html = aar_html(drill, files_now, cache.root)
            if html is not None:
                aars[drill.name] = html
            if show is not None:
                show(done, len(evidence.drills))
    finally:
        clear()
    try:
        written = write_pack(evidence, args.output, pack_files(evidence, aars, args.generated))
    except PackError as exc:
        return fail(str(exc))
    print(f"wrote {escape(args.output)}: {len(written)} files (index.html, index.md, "
          f"{len(evidence.controls)} control page{'' if len(evidence.controls) == 1 else 's'} in two formats, "
          f"{len(aars)} after-action report{'' if len(aars) == 1 else 's'}, "
          "evidence.json, SHA256SUMS)", file=sys.stderr)
    return EXIT_OK


def _print_findings(evidence, fmt: str) -> None:  # type: ignore[no-untyped-def]
    from engine import __version__
    from engine.formats import RenderContext, render
    from engine.rules import all_rules

    files = sorted({f.path for f in evidence.findings} | {c.path for c in evidence.logs})
    ctx = RenderContext(rules=all_rules(), files=files, tool_version=__version__, strict=True)
    text = render(fmt, evidence.findings, ctx)
    if fmt == "text" and not evidence.findings:
        text = f"evidence for {evidence.period}: no findings\n"
    sys.stdout.write(text)
