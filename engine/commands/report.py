"""`tabletop report LOG`: the after-action report of a drill, from its log alone."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from engine.commands import fail as _fail
from engine.commands import one_pass
from engine.whole_file import WriteError, said

EXIT_OK, EXIT_USAGE, EXIT_UNREADABLE = 0, 2, 3
DEFAULT_FOLDER = "exports/reports"
EXTENSIONS = {"md": ".md", "html": ".html", "json": ".json", "pdf": ".pdf", "docx": ".docx",
              "csv": "-improvement-plan.csv"}

_EPILOG = """\
examples:
  tabletop report exports/drills/m365-na-outage-2026-01-22-20260122T193300Z.jsonl
  tabletop report LOG --format all                 # .md .html .json .pdf in exports/reports/
  tabletop report LOG --format md -o -             # Markdown on stdout
  tabletop report LOG --improvement-plan csv       # the improvement plan for a spreadsheet
  tabletop report LOG --template my-templates/     # your report.md.j2 / report.html.j2 / report.css first
  tabletop report --compare PARENT FORK --format md -o -   # what if: two drills side by side

Every figure comes from the log. The runbook and scenario files the log names are
used for titles and structure when they are found (paths as recorded, relative to
here or to the log's folders; or give --scenario and --runbooks) and their hashes
are checked: a changed or missing file is stated at the top of the report. A log
that fails verification (edited, or torn by a crash) still gives a report of its
good part, with that stated first and a warning on stderr.

Files are named after the log (LOG-STEM.md ...). An existing file is replaced only
when it is a report of the same drill (or with --force). PDF needs WeasyPrint:
pip install -e '.[pdf]' in the checkout.

exit codes:
  0  report written (also for a log that failed verification: the report says so)
  2  usage error (bad option, output path taken by another file, unusable template folder;
     --compare: the two logs are drills of different scenarios)
  3  the log cannot be read (missing, a folder, binary, empty, not a drill log)
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "report", help="write the after-action report of a drill (Markdown, HTML, JSON, PDF)",
        description="Write an HSEEP-style after-action report and improvement plan from a drill log.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("log", metavar="LOG", nargs="?", help="a drill log (exports/drills/*.jsonl)")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"),
                        help="instead of LOG: two drills of one scenario side by side (md, html or json): where "
                        "they part and the decision behind it, decisions, steps, runbooks, services, injects, "
                        "objectives, drill time")
    parser.add_argument("--format", choices=["md", "html", "json", "pdf", "docx", "all"],
                        help="what to write (default: html; docx: the AAR/IP for Word; "
                        "all: md, html, json and pdf side by side)")
    parser.add_argument("--appendix", action="store_true",
                        help="add the full event log as an appendix (md, html, pdf, docx)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help=f"a file, a folder (ends with / or exists), or - for stdout (default: {DEFAULT_FOLDER}/)")
    parser.add_argument("--improvement-plan", choices=["csv"], dest="plan",
                        help="write the improvement plan as CSV for spreadsheets (formula-safe)")
    parser.add_argument("--template", metavar="DIR", help="a folder of templates that replace the built-in ones")
    parser.add_argument("--scenario", metavar="FILE", help="the scenario file (default: the path the log recorded)")
    parser.add_argument("--files-from", metavar="DIR",
                        help="read the scenario and runbooks the log names from DIR only (also when the log names "
                        "absolute paths or paths outside its project, which are otherwise not read)")
    parser.add_argument("--runbooks", metavar="DIR", action="append",
                        help="a folder of runbooks (repeatable; default: where the log's runbooks were)")
    parser.add_argument("--force", action="store_true", help="replace output files even if they are not reports "
                        "of this drill")
    parser.set_defaults(run=run)



@one_pass
def run(args: argparse.Namespace) -> int:
    from engine.drill.log import LogError
    from engine.report import render
    from engine.report.builder import build_report

    if args.compare or not args.log:
        from engine.commands.report_compare import run_compare

        return run_compare(args)
    kinds = _kinds(args)
    if args.template and not Path(args.template).is_dir():
        return _fail(f"{args.template}: no such template folder")
    if args.scenario and not Path(args.scenario).is_file():
        return _fail(f"{args.scenario}: no such scenario file")
    if args.files_from and not Path(args.files_from).is_dir():
        return _fail(f"--files-from {args.files_from}: no such folder")
    for folder in args.runbooks or []:
        if not Path(folder).is_dir():
            return _fail(f"{folder}: no such runbooks folder")
    skipped_pdf = None
    if "pdf" in kinds and (why := render.pdf_available()):
        if args.format == "pdf":
            return _fail(f"PDF needs WeasyPrint: pip install -e '.[pdf]' in the checkout ({why})")
        kinds.remove("pdf")
        skipped_pdf = why
    try:
        targets = _targets(args, kinds)
    except ValueError as exc:
        return _fail(str(exc))

    from engine.commands import reading_progress

    show, clear = reading_progress(args.log, "reading")
    try:
        report = build_report(args.log, scenario=args.scenario, runbook_dirs=args.runbooks,
                              files_from=args.files_from, progress=show)
    except LogError as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    finally:
        clear()
    _warn(report.notices)

    problem = _check_targets(targets, report.drill_id, args.force)
    if problem:
        return _fail(problem)
    try:
        outputs = _render(report, kinds, args.template, args.appendix)
    except render.RenderError as exc:
        return _fail(f"cannot render the report: {exc}")
    code = _write(outputs, targets, skipped_pdf)
    if code == EXIT_OK:
        _say_head(args.log, report.verification.events_read, to_stderr=None in targets.values())
    return code


def _say_head(log: str, lines: int, *, to_stderr: bool) -> None:
    """The head of the log the report was made from (the hash of its last good line, `lines`), to keep
    elsewhere (`log verify --head` checks it)."""
    from engine.drill.log import LogError, line_hash_at

    try:
        head = line_hash_at(log, lines)
    except (OSError, LogError):
        return
    print(f"log head: {head} (line {lines}; keep it elsewhere: "
          "`tabletop log verify --head` then tells a rewritten log)", file=sys.stderr if to_stderr else sys.stdout)


def _warn(notices: list) -> None:  # type: ignore[type-arg]
    """The report states its problems at the top; stderr gets them too, so a script notices."""
    serious = [n for n in notices if n.level in ("error", "warning")]
    for notice in serious[:3]:
        print(f"tabletop: warning: {notice.text}", file=sys.stderr)
    if len(serious) > 3:
        print(f"tabletop: warning: ... and {len(serious) - 3} more, stated at the top of the report",
              file=sys.stderr)


def _kinds(args: argparse.Namespace) -> list[str]:
    if args.format == "all":
        kinds = ["md", "html", "json", "pdf"]
    elif args.format:
        kinds = [args.format]
    else:
        kinds = [] if args.plan else ["html"]
    return kinds + (["csv"] if args.plan else [])


def _targets(args: argparse.Namespace, kinds: list[str]) -> dict[str, Path | None]:
    """Where each output goes; None is stdout. Raises ValueError with a message for the user."""
    stem = Path(args.log).stem or "report"
    out = args.output
    if out == "-":
        if len(kinds) != 1:
            raise ValueError("-o - writes one output to stdout; choose one --format")
        if kinds[0] in ("pdf", "docx"):
            raise ValueError(f"a {kinds[0]} file cannot go to stdout; give -o FILE.{kinds[0]} or a folder")
        return {kinds[0]: None}
    if out is None:
        folder = Path(DEFAULT_FOLDER)
    elif out.endswith(("/", os.sep)) or Path(out).is_dir() or len(kinds) > 1:
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"{out} is a file; with several outputs -o names a folder")
    else:
        return {kinds[0]: Path(out)}
    return {kind: folder / f"{stem}{EXTENSIONS[kind]}" for kind in kinds}


def _check_targets(targets: dict[str, Path | None], drill_id: str, force: bool) -> str | None:
    from engine.whole_file import REPLACED, check

    for kind, path in targets.items():
        if path is None:
            continue
        try:
            done = check(path, overwrite=True)  # a symbolic link or a folder is refused even with --force
        except WriteError as exc:
            return str(exc)
        if done != REPLACED:
            continue  # a new file, or a device or FIFO written into
        if not force and not _is_our_report(path, kind, drill_id):
            return (f"{path} exists and is not a report of this drill; choose another -o, remove it, "
                    "or pass --force")
    return None


def _is_our_report(path: Path, kind: str, drill_id: str) -> bool:
    """Whether a file is a report this command wrote for the same drill (safe to replace)."""
    from engine.report.render import CSV_HEADER

    if kind == "docx":
        return _is_our_docx(path, drill_id)
    try:
        with open(path, "rb") as handle:
            head = handle.read(64 * 1024 if kind != "pdf" else 64 * 1024 * 1024)
    except OSError:
        return False
    if kind == "csv":
        return head.startswith(",".join(CSV_HEADER).encode())
    marker = {"md": f"<!-- tabletop-report drill:{drill_id} -->", "html": f'content="drill:{drill_id}"',
              "json": f'"drill_id": "{drill_id}"', "pdf": f"drill:{drill_id}", "docx": f"drill:{drill_id}"}[kind]
    return marker.encode() in head


def _is_our_docx(path: Path, drill_id: str) -> bool:
    """A Word report of this drill carries `drill:<id>` as its document identifier (docProps/core.xml)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")[: 64 * 1024]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f"drill:{drill_id}".encode() in core


def _render(report, kinds: list[str], template: str | None,  # type: ignore[no-untyped-def]
            appendix: bool = False) -> dict[str, bytes]:
    from engine.report import render

    out: dict[str, bytes] = {}
    for kind in kinds:
        if kind == "md":
            out[kind] = render.render_markdown(report, template, appendix=appendix).encode()
        elif kind == "docx":
            from engine.report.word import render_docx

            out[kind] = render_docx(report, appendix=appendix)
        elif kind == "json":
            out[kind] = report.to_json_bytes()
        elif kind == "csv":
            out[kind] = render.improvement_plan_csv(report).encode()
        elif kind == "html":
            out[kind] = render.render_html(report, template, appendix=appendix).encode()
        else:
            page = render.render_html(report, template, appendix=appendix, printed=True)
            from engine.printed import font_warning

            if warning := font_warning(page):
                print(f"tabletop: warning: {warning}", file=sys.stderr)
            out[kind] = render.render_pdf(page, report.drill_id)
    return out


def _write(outputs: dict[str, bytes], targets: dict[str, Path | None], skipped_pdf: str | None) -> int:
    for kind, data in outputs.items():
        path = targets[kind]
        if path is None:
            if kind != "pdf" and sys.stdout.isatty():  # a terminal, not a pipe: the text must stay data
                from engine.terminal import escape_lines

                sys.stdout.write(escape_lines(data.decode("utf-8", errors="replace")))
            else:
                sys.stdout.buffer.write(data)
            sys.stdout.flush()
            continue
        try:
            done = _write_file(path, data)
        except WriteError as exc:
            return _fail(str(exc))
        print(said(path, done, "report"))
    if skipped_pdf:
        print(f"tabletop: note: no PDF: WeasyPrint is not usable ({skipped_pdf}); "
              "pip install -e '.[pdf]' in the checkout", file=sys.stderr)
    return EXIT_OK


def _write_file(path: Path, data: bytes) -> str:
    """Write through engine.whole_file (whole, or into a device; never over a link or a folder), making the
    folder first. Returns what the write did; raises WriteError."""
    from engine.whole_file import write_whole

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot make the folder {path.parent}: {exc.strerror or exc}") from None
    return write_whole(path, data)
