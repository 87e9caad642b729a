"""`tabletop report --compare A B`: two drills of one scenario side by side (engine.report.compare)."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands import fail as _fail
from engine.commands.report import DEFAULT_FOLDER, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, _write

KINDS = ("md", "html", "json")


def run_compare(args: argparse.Namespace) -> int:
    """Check the options, compare, write one output. Exit 2 for a usage error or logs of two scenarios,
    3 when a log cannot be read."""
    from engine.drill.log import LogError
    from engine.report import compare_render as render
    from engine.report.compare import CompareError, compare

    if not args.compare:
        return _fail("give a LOG, or --compare A B")
    if args.log:
        return _fail("give either LOG or --compare A B, not both")
    kind = args.format or "html"
    if kind not in KINDS:
        return _fail(f"--compare writes md, html or json, not {kind}")
    if args.plan or args.appendix or args.template:
        return _fail("--compare takes --format and -o only")
    for path in args.compare:
        if not Path(path).is_file():
            return _fail(f"{path}: no such log file", EXIT_UNREADABLE)
    try:
        result = compare(*args.compare)
    except CompareError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except LogError as exc:
        return _fail(str(exc), EXIT_UNREADABLE)
    text = {"md": render.render_markdown, "html": render.render_html, "json": render.render_json}[kind](result)
    a, b = (Path(p).stem for p in args.compare)
    target = None if args.output == "-" else Path(args.output) if args.output and not (
        args.output.endswith("/") or Path(args.output).is_dir()) else Path(args.output or DEFAULT_FOLDER) / (
        f"{a}-vs-{b}.{kind}")
    code = _write({kind: text.encode()}, {kind: target}, None)
    return EXIT_OK if code == EXIT_OK else code
