"""`tabletop handbook`: the Situation Manual, the Facilitator and Evaluator Handbook, or the feedback form."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engine.commands import fail

EXIT_OK, EXIT_USAGE, EXIT_PLAN = 0, 2, 3
DEFAULT_FOLDER = "exports/handbooks"
FORMATS = ("md", "html", "pdf", "docx")
TEXT_FORMATS = ("md", "html")
NAMES = {"participants": "situation-manual", "facilitators": "facilitator-handbook", "feedback": "feedback-form"}

EPILOG = """\
examples:
  tabletop handbook scenarios/m365-na-outage-2026-01-22.yaml --for participants --format pdf
  tabletop handbook scenarios/m365-na-outage-2026-01-22.yaml --for facilitators --format docx -o ffh.docx
  tabletop handbook scenarios/m365-na-outage-2026-01-22.yaml --for feedback --format html
  tabletop handbook scenarios/m365-na-outage-2026-01-22.yaml --format md -o -

The Situation Manual (--for participants) holds the overview, objectives,
schedule, each module's situation, updates and questions, and the feedback
form; never an expected action, a contingency inject or a facilitator prompt.
The Facilitator and Evaluator Handbook (--for facilitators) adds those, the
MSEL and an evaluation guide per objective. Without -o the book goes to
exports/handbooks/<scenario>-<book>.<format>; an existing file is replaced
only with --force. Text keeps its line breaks in every format; bidirectional
controls in it (U+202E...) are printed as <U+202E> so nothing reads reversed.
A PDF whose text has characters no installed font can draw (CJK without a
CJK font) is still written, with a warning naming them.

exit codes:
  0  written (warnings, if any, on stderr)
  2  usage error: a bad option, -o - for pdf or docx, an output file that exists, PDF support missing
  3  the scenario or its runbooks cannot be read or have errors (run `tabletop validate`)
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "handbook", help="write the Situation Manual or the Facilitator and Evaluator Handbook",
        description="Write an exercise handbook from a scenario and its runbooks: the Situation Manual for "
        "participants, the Facilitator and Evaluator Handbook, or the participant feedback form.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="the scenario file")
    parser.add_argument("--for", dest="audience", choices=list(NAMES), default="participants",
                        help="participants (the Situation Manual, default), facilitators, or feedback (the form alone)")
    parser.add_argument("--format", choices=FORMATS, default="md", help="md (default), html, pdf or docx")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="the file to write; `-o -` for standard output (md, html)")
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    parser.add_argument("--runbooks", action="append", metavar="DIR",
                        help="folder of runbooks (default: runbooks/ beside the scenario's folder); repeatable")
    parser.set_defaults(run=run_handbook)


def run_handbook(args: argparse.Namespace) -> int:
    from engine.commands.output import OutputError, is_stdout, target

    if is_stdout(args.output) and args.format not in TEXT_FORMATS:
        return fail(f"a {args.format} file is binary; give a file name with -o, or use --format md or html")
    if args.format == "pdf":
        from engine.report.render import pdf_available

        missing = pdf_available()
        if missing:
            return fail(f"PDF needs the optional extra and Pango: pip install -e '.[pdf]' in the checkout ({missing})")
    output = args.output or f"{DEFAULT_FOLDER}/{_stem(args.scenario, args.audience)}.{args.format}"
    if args.output is None:
        Path(DEFAULT_FOLDER).mkdir(parents=True, exist_ok=True)
    try:
        where = target(output, force=args.force)
    except OutputError as exc:
        return fail(str(exc))
    plan = _plan(args.scenario, args.runbooks)
    if isinstance(plan, int):
        return plan
    from engine.handbook.content import build

    book = build(plan, args.audience)
    try:
        done = _write(book, args.format, where, args.force)
    except OutputError as exc:
        return fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(f"{said(where, done)} ({book.kind})")
    return EXIT_OK


def _stem(scenario: str, audience: str) -> str:
    return f"{Path(scenario).stem}-{NAMES[audience]}"


def _plan(scenario: str, runbooks: list[str] | None) -> Any:
    from engine.drill.plan import PlanError, runbook_folders
    from engine.plans import load_plan

    if not Path(scenario).is_file():
        return fail(f"{scenario}: no such file")
    try:
        return load_plan(scenario, runbooks if runbooks is not None else runbook_folders(scenario))
    except PlanError as exc:
        for finding in exc.findings[:5]:
            print(f"{finding.path}:{finding.line}:{finding.column}: {finding.message} [{finding.rule}]",
                  file=sys.stderr)
        return fail(str(exc), EXIT_PLAN)


def _write(book: Any, kind: str, where: Path | None, force: bool) -> str | None:
    """Write the handbook; what the write did (engine.whole_file), None for standard output."""
    from engine.commands.output import write_binary, write_text

    if kind == "md":
        from engine.handbook.markdown import render

        return write_text(where, render(book), force=force)
    elif kind == "html":
        from engine.handbook.html import render as render_html

        return write_text(where, render_html(book), force=force)
    elif kind == "pdf":
        from engine.handbook.html import render, render_pdf
        from engine.printed import font_warning

        warning = font_warning(render(book))
        if warning:
            print(f"tabletop: warning: {warning}", file=sys.stderr)
        data = render_pdf(book)

        def save(path: Path) -> None:
            path.write_bytes(data)

        return write_binary(where, save, force=force)
    else:
        from engine.handbook.word import render as render_docx

        return write_binary(where, lambda path: render_docx(book, path), force=force)
