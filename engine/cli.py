"""The `tabletop` command: parse arguments, call the core, set the exit code.

Exit codes (also in README and `tabletop --help`):
  0  clean: no findings at error level (with --strict, none at warning level either)
  1  findings at error level (with --strict: or warning)
  2  usage error: a bad option, a path that does not exist, unusable settings
  3  a file could not be read or parsed (binary, not UTF-8, too large, broken YAML)
  5  (every command) a module tabletop needs is not installed: the one-line error names it and what to
     install (engine/missing_module.py)
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine import __version__

if TYPE_CHECKING:
    from engine.rules.base import Rule

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

_EXIT_CODES = """\
exit codes:
  0  clean
  1  findings at error level (with --strict: at warning level too)
  2  usage error (bad option, missing path, unusable settings)
  3  a file could not be read or parsed
"""


_BUILT_IN = ("validate", "rules", "schema", "graph")  # defined here; the others in engine/commands/


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; given a command's name, only that command (the other commands'
    modules are not imported, so `tabletop validate` and the console start sooner)."""
    parser = argparse.ArgumentParser(
        prog="tabletop",
        description="Tabletop-exercise runbooks as code: validate runbooks and scenarios, facilitate drills "
        "in a terminal, play them headless, and export after-action reports from the drill log.",
        epilog="Run `tabletop COMMAND --help` for each command's options and examples.\n\n" + _EXIT_CODES
        + "  5  a module tabletop needs is not installed (any command; the message says what to install)\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tabletop {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check runbooks and scenarios (for CI and pre-commit)",
        description="Check runbook and scenario files: YAML, schema, references, the step graph, and "
        "scenarios against their runbooks. Folders are searched for *.yaml and *.yml.",
        epilog="examples:\n"
        "  tabletop validate runbooks scenarios\n"
        "  tabletop validate --format sarif -o tabletop.sarif .\n"
        "  tabletop validate --strict runbooks/mail.yaml\n\n"
        "silence one finding with a comment on its line:  # tabletop: ignore[unused-role]\n"
        "settings: [tool.tabletop] in pyproject.toml or tabletop.toml (disable, severity, exclude)\n\n"
        + _EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    validate.add_argument(
        "--format", choices=["text", "json", "github", "sarif", "junit"],
        help="output format (default: text; github when GITHUB_ACTIONS=true)",
    )
    validate.add_argument("-o", "--output", metavar="FILE",
                          help="write the findings to FILE instead of stdout (- is stdout)")
    validate.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    validate.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    validate.add_argument("--config", metavar="FILE", help="settings file (default: nearest tabletop.toml "
                          "or pyproject.toml with [tool.tabletop])")
    validate.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                          help="colour text output (default: auto: on a terminal, off when NO_COLOR is set "
                          "and not empty, or TERM=dumb)")
    validate.add_argument("--today", metavar="YYYY-MM-DD", help="the date improvement items are due against "
                          "(default: $TABLETOP_TODAY, else today's date in UTC)")
    validate.set_defaults(run=run_validate)

    rules = commands.add_parser("rules", help="list every validation rule with its id, severity and doc")
    rules.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                       help="markdown writes docs/rules.md: tabletop rules --format markdown > docs/rules.md")
    rules.set_defaults(run=run_rules)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a runbook, a scenario or an improvement plan",
        description="Print the JSON Schema for editors (yaml-language-server) and other tools.",
        epilog="example:\n  tabletop schema runbook > schemas/runbook.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schema.add_argument("kind", choices=["runbook", "scenario", "improvements"])
    schema.set_defaults(run=run_schema)

    graph = commands.add_parser(
        "graph", help="draw a runbook as Mermaid or Graphviz DOT",
        description="Draw a runbook's steps and how they connect. Solid arrows are `needs`; decision "
        "options, fallbacks and event branches are drawn apart from the main path.",
        epilog="examples:\n  tabletop graph runbooks/inbound-mail-continuity.yaml\n"
        "  tabletop graph runbooks/admin-console-loss.yaml --format dot | dot -Tsvg > admin.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    graph.add_argument("runbook", metavar="RUNBOOK", help="a runbook file")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    graph.set_defaults(run=run_graph)
    if command in _BUILT_IN:
        return parser

    import importlib

    from engine.commands import COMMAND_MODULES

    # `tabletop drill ...` needs only the drill command's module; help and mistakes need them all
    for name in [command] if command in COMMAND_MODULES else COMMAND_MODULES:
        try:
            module = importlib.import_module(f"engine.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"engine.commands.{name}":  # a dependency or an import inside it: main says which
                raise
            continue  # the command's own module is not there: not built yet
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    command = given[0] if given and not given[0].startswith("-") else None
    try:
        parser = build_parser(given[0] if given else None)
    except ModuleNotFoundError as exc:  # a command's dependency, or an import in tabletop itself
        return _missing(exc, command)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    from engine.terminal import guard_stderr

    with guard_stderr():
        try:
            return _run(args)
        except ModuleNotFoundError as exc:  # imported when the command runs (the console, PDF, seals, ...)
            return _missing(exc, getattr(args, "command", None))


def _missing(exc: ModuleNotFoundError, command: str | None) -> int:
    from engine.missing_module import EXIT_MISSING, missing_text

    return _fail(missing_text(exc, command), EXIT_MISSING)


def _run(args: argparse.Namespace) -> int:
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # here, not at exit, so a full device is reported like any other error
        return code
    except BrokenPipeError:  # `tabletop ... | head`
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        print("tabletop: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # a name given or made from input: a usage error, wherever looked at
            return _fail(f"{exc.filename or 'a file name'}: the name is too long for the file system")
        if exc.errno not in _DEVICE_ERRORS:
            raise
        _silence_stdout()
        return _fail(f"cannot write the output: {os.strerror(exc.errno)}")


# A full, read-only or failing device under standard output (the commands catch these for their own files).
_DEVICE_ERRORS = {errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT, errno.EFBIG}


def _silence_stdout() -> None:
    """Send what is left in stdout's buffer to /dev/null, so the exit does not fail writing it again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    from engine.commands import fail

    return fail(message, code)


def run_validate(args: argparse.Namespace) -> int:
    """`tabletop validate`, run with Python's cycle collector paused (issue 28): the composed files are
    acyclic dicts and lists freed by reference counts, and the collector's passes over them once composing
    is done cost a large validate 13-15%. The collector is switched back on (if it was) before returning."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate_command(args)
    finally:
        if enabled:
            gc.enable()


def _validate_command(args: argparse.Namespace) -> int:
    from engine.commands.output import OutputError, write_text
    from engine.findings import Severity
    from engine.rules import all_rules
    from engine.validate import validate

    rules = all_rules()  # ids only: a rule's module is imported when it is looked at
    settled = _validate_inputs(args, rules)
    if isinstance(settled, int):
        return settled
    day, where, config, files = settled
    named = {f for f in files if Path(f).resolve() in {Path(p).resolve() for p in args.paths if Path(p).is_file()}}
    result = validate(files, config, found=set(files) - named, today=day, quick=True)
    if not result.files:
        from engine.formats.text import skipped_text

        also = f"; {skipped_text(len(result.skipped))}" if result.skipped else ""
        return _fail(f"no runbooks, scenarios or improvement plans in {' '.join(args.paths or ['.'])}{also}")
    output = _rendered_findings(args, result, rules, where)
    try:
        done = write_text(where, output, force=args.force, terminal_safe=True)  # formats escape user text
    except OutputError as exc:
        return _fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(said(where, done), file=sys.stderr)

    if result.unreadable:
        return EXIT_UNREADABLE
    worst = {Severity.ERROR} | ({Severity.WARNING} if args.strict else set())
    return EXIT_FINDINGS if any(f.severity in worst for f in result.findings) else EXIT_OK


def _validate_inputs(args: argparse.Namespace, rules: Any) -> Any:
    """(today, output target or None, settings, files to check) for `validate`, or the exit code of a usage
    error already reported."""
    from engine.commands import today
    from engine.commands.output import OutputError, target
    from engine.config import ConfigError, find_config, load_config
    from engine.validate import UsageError, discover

    try:
        day = today(args.today)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        where = target(args.output, force=args.force)
        config_path = Path(args.config) if args.config else find_config(Path.cwd())
        if args.config and not (config_path and config_path.is_file()):
            return _fail(f"{args.config}: no such settings file")
        config = load_config(config_path, set(rules))
        files = discover(args.paths or ["."], config)
    except (ConfigError, UsageError, OutputError) as exc:
        return _fail(str(exc))
    if not files:
        return _fail(f"no *.yaml or *.yml files in {' '.join(args.paths or ['.'])}")
    return day, where, config, files


def _rendered_findings(args: argparse.Namespace, result: Any, rules: Any, where: Path | None) -> str:
    """The findings in the format asked for (GitHub annotations under GitHub Actions by default); colour and
    source snippets only for a terminal."""
    from engine.commands import run_timestamp
    from engine.formats import RenderContext, render
    from engine.terminal import wants_color

    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    to_terminal = where is None and sys.stdout.isatty()
    color = wants_color(args.color, to_terminal)
    sources = {d.path: d.lines for d in result.documents}
    ctx = RenderContext(rules=rules, files=result.files, tool_version=__version__, color=color,
                        strict=args.strict, timestamp=run_timestamp(),
                        snippets=to_terminal, source=sources.get, skipped=len(result.skipped))
    if result.skipped and fmt != "text":
        from engine.formats.text import skipped_text

        print(f"tabletop: note: {skipped_text(len(result.skipped))}", file=sys.stderr)
    return render(fmt, result.findings, ctx)


def run_rules(args: argparse.Namespace) -> int:
    from engine.rules import all_rules

    rules = all_rules()
    if args.format == "json":
        import json

        rows = [{"id": r.id, "severity": r.severity.value, "stage": r.stage, "doc": r.doc} for r in rules.values()]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if args.format == "markdown":
        print(_rules_markdown(rules), end="")
        return EXIT_OK
    width = max(len(r) for r in rules)
    for rule in rules.values():
        print(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.doc}")
    return EXIT_OK


_STAGES = {
    "load": "Reading the file",
    "schema": "The schema",
    "runbook": "Runbooks",
    "scenario": "Scenarios against their runbooks",
    "project": "Across files",
    "improvements": "Improvement plans (`improvements/`)",
    "readiness": "Readiness across drills (`tabletop readiness`)",
    "evidence": "Audit evidence (`tabletop evidence`)",
    "explore": "Every path played against a scenario (`tabletop explore`)",
}


def _rules_markdown(rules: Mapping[str, Rule]) -> str:
    out = [
        "# Validation rules",
        "",
        "Generated by `tabletop rules --format markdown`; a test keeps it current.",
        "Silence a finding with `# tabletop: ignore[rule-id]` on its line, or change a rule's",
        "severity or turn it off in `[tool.tabletop]` (see [format.md](format.md)).",
    ]
    for stage, heading in _STAGES.items():
        out += ["", f"## {heading}", "", "| rule | severity | what it finds |", "|---|---|---|"]
        out += [f"| `{r.id}` | {r.severity.value} | {r.doc} |" for r in rules.values() if r.stage == stage]
    return "\n".join(out) + "\n"


def run_schema(args: argparse.Namespace) -> int:
    import json

    from engine.schema import json_schema

    print(json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK


def run_graph(args: argparse.Namespace) -> int:
    from engine.draw import dot, mermaid
    from engine.validate import validate

    if not Path(args.runbook).is_file():
        return _fail(f"{args.runbook}: no such file")
    result = validate([args.runbook])
    doc = result.documents[0]
    if doc.unreadable or doc.kind != "runbook" or doc.model is None:
        for finding in result.findings[:5]:
            print(f"{finding.path}:{finding.line}:{finding.column}: {finding.message} [{finding.rule}]",
                  file=sys.stderr)
        what = "could not be read" if doc.unreadable else "is not a valid runbook"
        return _fail(f"{args.runbook} {what}; run `tabletop validate {args.runbook}`",
                     EXIT_UNREADABLE if doc.unreadable else EXIT_FINDINGS)
    print(mermaid(doc.model) if args.format == "mermaid" else dot(doc.model), end="")
    return EXIT_OK
