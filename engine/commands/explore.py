"""`tabletop explore SCENARIO`: play every path of decisions against the scenario and report the stuck ones.

Exit codes, as validate's: 0 clean, 1 findings at error level (with
--strict: at warning level too), 2 a usage error, 3 the scenario or a
runbook cannot be read or has errors (so nothing could be explored).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from engine.commands import fail as _fail

if TYPE_CHECKING:
    from collections.abc import Iterator

    from engine.config import Config
    from engine.drill.explore import Exploration, PathEnd
    from engine.drill.tally import PathTally
    from engine.explore_findings import StepLocator
    from engine.findings import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

_EPILOG = """\
examples:
  tabletop explore scenarios/m365-na-outage-2026-01-22.yaml
  tabletop explore scenarios/outage.yaml --runbooks runbooks --format sarif -o explore.sarif

Each path is the drill played in virtual time: injects fire when due, ready
steps start and finish after their target (ten minutes without one), and at
each decision every option is tried in turn. Decisions whose branches cannot
influence each other (no shared step, join, service or event, through their
branches and contingency injects) are played group by group with the other
decisions at their first option; the summary says which paths the played
ones stand for, and findings count every combination.

exit codes:
  0  clean
  1  findings at error level (with --strict: at warning level too)
  2  usage error (bad option, missing path, unusable settings)
  3  the scenario or a runbook cannot be read or has errors
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "explore",
        help="play every path of decisions against a scenario and report paths that cannot finish",
        description="Play the scenario's drill for every combination of decision options and report, "
        "as findings, each path that deadlocks, leaves a step blocked for good, or runs a day past "
        "the scenario's duration.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", metavar="SCENARIO", nargs="?",
                        help="a scenario file (with --from: default, the one the log names)")
    parser.add_argument("--from", dest="from_log", metavar="LOG",
                        help="what if: explore every path from the moment --at of the drill of LOG, not from the start")
    parser.add_argument("--at", metavar="WHEN", help="with --from: a scenario time such as T+1:00, or seq:N")
    parser.add_argument("--runbooks", metavar="DIR", action="append",
                        help="a folder of runbooks (repeatable; default: runbooks/ beside the scenario's "
                        "folder, or ./runbooks)")
    parser.add_argument("--limit", metavar="N", type=_positive, default=None,
                        help="play at most N paths (default: 512); then one more for each option no path took")
    parser.add_argument("--format", choices=["text", "json", "github", "sarif", "junit"],
                        help="output format (default: text; github when GITHUB_ACTIONS=true)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the findings to FILE instead of stdout (- is stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    parser.add_argument("--config", metavar="FILE", help="settings file (default: nearest tabletop.toml "
                        "or pyproject.toml with [tool.tabletop])")
    parser.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                        help="colour text output (default: auto: on a terminal, off when NO_COLOR is set "
                          "and not empty, or TERM=dumb)")
    parser.set_defaults(run=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value



def run(args: argparse.Namespace) -> int:
    from engine import __version__
    from engine.commands import run_timestamp
    from engine.drill.plan import PlanError
    from engine.findings import Severity
    from engine.formats import RenderContext, render
    from engine.plans import load_plan
    from engine.rules import all_rules
    from engine.terminal import wants_color

    rules = all_rules()
    prefix = None
    if args.from_log or args.at or not args.scenario:
        from engine.commands.play import _Stop
        from engine.commands.play_fork import fork_prefix

        try:
            prefix = fork_prefix(args)
        except _Stop as stop:
            return _fail(str(stop), stop.code)
    settled = _inputs(args, rules)
    if isinstance(settled, int):
        return settled
    config, where = settled
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    to_terminal = where is None and sys.stdout.isatty()
    color = wants_color(args.color, to_terminal)

    try:
        plan = load_plan(args.scenario, args.runbooks)
    except PlanError as exc:
        if exc.findings:  # the files' own errors, in the format asked for, so CI shows them in place
            ctx = RenderContext(rules=rules, files=sorted({f.path for f in exc.findings}), tool_version=__version__,
                                color=color, strict=args.strict, timestamp=run_timestamp())
            code = _write(render(fmt, exc.findings, ctx), where, args.force)
            if code:
                return code
        return _fail(f"{exc}; nothing explored", EXIT_UNREADABLE)

    exploration, tally, found, locator = _explored(plan, args.limit, config, prefix)
    files = [locator.display(f.path) for f in plan.files]
    sources = {path: doc.lines for path, doc in locator.documents.items()}
    ctx = RenderContext(rules=rules, files=files, tool_version=__version__, color=color, snippets=to_terminal,
                        source=sources.get, strict=args.strict, timestamp=run_timestamp())
    code = _write(render(fmt, found, ctx), where, args.force)
    if code:
        return code
    _say_summary(exploration, tally, sys.stdout if (fmt == "text" or where is not None) else sys.stderr)
    worst = {Severity.ERROR} | ({Severity.WARNING} if args.strict else set())
    return EXIT_FINDINGS if any(f.severity in worst for f in found) else EXIT_OK


def _inputs(args: argparse.Namespace, rules: Any) -> tuple[Config, Path | None] | int:
    """(settings, output target or None), or the exit code of a usage error already reported: the scenario
    and --runbooks folders exist, the settings load, the output may be written."""
    from engine.commands.output import OutputError, target
    from engine.config import ConfigError, find_config, load_config

    if not Path(args.scenario).is_file():
        return _fail(f"{args.scenario}: no such file")
    for folder in args.runbooks or []:
        if not Path(folder).is_dir():
            return _fail(f"{folder}: no such folder (--runbooks takes a folder of runbooks)")
    try:
        config_path = Path(args.config) if args.config else find_config(Path.cwd())
        if args.config and not (config_path and config_path.is_file()):
            return _fail(f"{args.config}: no such settings file")
        config = load_config(config_path, set(rules))
    except ConfigError as exc:
        return _fail(str(exc))
    try:
        return config, target(args.output, force=args.force)
    except OutputError as exc:
        return _fail(str(exc))


def _explored(plan: Any, limit: int | None, config: Config,
              prefix: list[Any] | None = None) -> tuple[Exploration, PathTally, list[Finding], StepLocator]:
    """Explore the plan's paths of decisions: (exploration, its tally, the findings settled by the settings,
    the step locator that placed them)."""
    from engine.drill.explore import PATH_LIMIT, explore
    from engine.drill.tally import PathTally
    from engine.explore_findings import StepLocator, findings

    exploration = explore(plan, limit or PATH_LIMIT, prefix=prefix)
    tally = PathTally(exploration)  # the summary's counts, taken as the paths go by: no path is kept for it
    locator = StepLocator(plan)
    raw = findings(exploration, _shown(tally.count(exploration), limit or PATH_LIMIT), locator)
    if exploration.truncated:
        raw.append(_incomplete(exploration, locator))
    return exploration, tally, _settle(raw, locator, config), locator


def _shown(ends: Iterator[PathEnd], limit: int) -> Iterator[PathEnd]:
    """The ends passed on, with `explored N paths of at most LIMIT` on a terminal's stderr once it takes a
    while (engine.terminal.Progress): each path plays every inject, so a long scenario takes seconds a path."""
    from engine.terminal import Progress

    progress = Progress()
    try:
        for n, end in enumerate(ends, 1):
            progress(f"exploring: {n:,} path{'s' if n != 1 else ''} played (at most {limit:,})")
            yield end
    finally:
        progress.clear()


def _say_summary(exploration: Exploration, tally: PathTally, summary: TextIO) -> None:
    """What was explored, on `summary`; when the limit cut it short and that is stdout, warned on stderr too."""
    lines = summary_lines(exploration, tally)
    for line in lines:
        print(line, file=summary)
    if exploration.truncated and summary is sys.stdout:
        print(f"tabletop: warning: {lines[0]}", file=sys.stderr)


def summary_lines(exploration: Exploration, tally: PathTally) -> list[str]:
    """What was explored, exactly: how many paths, what they stand for or what the limit left out, how many
    finish, how many end states."""
    from engine.drill.clock import format_t

    totals = tally.totals()
    lines = [explored_line(exploration)]
    detail = f"{totals.finish} finish, {totals.stuck} cannot finish, {totals.cut} still running a day late; "
    detail += f"{totals.states} distinct end state{'s' if totals.states != 1 else ''}"
    if totals.longest is not None:
        detail += f"; the longest finishing path ends at {format_t(totals.longest)}"
    lines.append(detail)
    if exploration.truncated:
        lines.append(unplayed_line(exploration))
    return lines


def explored_line(exploration: Exploration) -> str:
    """`explored 7 paths, every path of decisions`, or what the limit left out, in numbers."""
    n = exploration.paths
    if not exploration.truncated:
        if exploration.groups is not None:
            return grouped_line(exploration)
        return f"explored {n} path{'s' if n != 1 else ''}, every path of decisions"
    left = exploration.unexplored
    at = ", ".join(f"`{d.split('/')[-1]}` ({c})" for d, c in sorted(exploration.left_at.items()))
    text = (f"explored {n} paths, not every path: the search stopped at --limit {exploration.limit} with "
            f"{left} branch{'es' if left != 1 else ''} not followed (at {at})")
    if exploration.covering:
        text += f", then played {exploration.covering} more so that each option met was played"
    return text + "; raise --limit to explore them all"


def grouped_line(exploration: Exploration) -> str:
    """`explored 21 paths standing for all 1048576 paths of decisions: 20 groups ... (2^20)`."""
    sizes = exploration.group_paths
    groups = len(sizes)
    return (f"explored {exploration.paths} paths standing for all {exploration.total} paths of decisions: "
            f"{groups} groups of decisions that cannot influence each other ({_product(sizes)} paths), "
            "each group's paths played with every other decision at its first option")


def _product(sizes: list[int]) -> str:
    """`8 x 2^3`: each group's paths, equal ones as a power, largest first."""
    counts: dict[int, int] = {}
    for size in sorted(sizes, reverse=True):
        counts[size] = counts.get(size, 0) + 1
    return " x ".join(str(size) if times == 1 else f"{size}^{times}" for size, times in counts.items())


def unplayed_line(exploration: Exploration) -> str:
    unplayed = exploration.unplayed()
    if not unplayed:
        return "every option of every decision was played on some path"
    shown = ", ".join(f"{d.split('/')[-1]}={o}" for d, o in unplayed[:12])
    more = f" and {len(unplayed) - 12} more" if len(unplayed) > 12 else ""
    return f"options no explored path took: {shown}{more}"


def _incomplete(exploration: Exploration, locator: StepLocator) -> Finding:
    from engine.findings import Finding
    from engine.rules import explore_incomplete

    scenario = locator.display(exploration.plan.scenario_file.path)
    rule = explore_incomplete.RULE
    return Finding(scenario, 1, 1, rule.id, rule.severity, explored_line(exploration) + "; " +
                   unplayed_line(exploration),
                   hint="raise --limit, or split the scenario's decisions into smaller runbooks")


def _settle(raw: list[Finding], locator: StepLocator, config: Config) -> list[Finding]:
    """Apply settings (disable, severity) and `# tabletop: ignore[...]` comments on the step's line."""
    from dataclasses import replace

    out = []
    for finding in raw:
        if finding.rule in config.disable:
            continue
        doc = locator.documents.get(finding.path)
        if doc is not None and finding.rule in doc.suppressions().get(finding.line, ()):
            continue
        if finding.rule in config.severity:
            finding = replace(finding, severity=config.severity[finding.rule])
        out.append(finding)
    return out


def _write(output: str, where: Path | None, force: bool) -> int:
    from engine.commands.output import OutputError, write_text

    try:
        done = write_text(where, output, force=force, terminal_safe=True)  # formats escape user text
    except OutputError as exc:
        return _fail(str(exc))
    if where is not None and done is not None:
        from engine.whole_file import said

        print(said(where, done), file=sys.stderr)
    return EXIT_OK
