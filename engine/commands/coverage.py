"""`tabletop coverage [PATHS]`: which runbook items each scenario can exercise, and when each was last drilled.

Exit codes: 0 written; 1 the share of coverable items is below --fail-under;
2 a usage error; 3 a runbook or scenario cannot be read or has errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.commands import fail as _fail
from engine.terminal import escape, raw_stderr

if TYPE_CHECKING:
    from engine.coverage import Coverage, Item

EXIT_OK, EXIT_BELOW, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
WIDTH = 100  # the text matrix fits this many columns with up to three or four scenarios
PROGRESS_AFTER = 1.0  # seconds of work before progress shows on a terminal

_EPILOG = """\
examples:
  tabletop coverage                                   # runbooks/ and scenarios/, logs in exports/drills/
  tabletop coverage runbooks scenarios --format markdown > coverage.md
  tabletop coverage --format json --logs archive/drills
  tabletop coverage --fail-under 80                   # for CI
  tabletop coverage --include-headless                # count headless plays too, as rehearsals

Cells: ● reached on an explored path of decisions; ○ coverable (a team could
reach it with this scenario, but no explored path did); · not coverable by the
scenario; blank: the scenario does not drill the runbook. The total is the
share of items coverable by at least one scenario; --fail-under compares it.

Last drilled counts live drills (the console) only. Logs of headless plays
are rehearsals on a made-up clock: left out, and said so, unless
--include-headless; then they count, but an item drilled only in a rehearsal
shows "rehearsal [N]", never a date.

exit codes:
  0  written
  1  the coverable share is below --fail-under
  2  usage error (bad option, missing path or logs folder)
  3  a runbook or scenario cannot be read or has errors
"""

MARKS = {"reached": "●", "coverable": "○", "not-coverable": "·", "outside": ""}
KIND_NAMES = {"step": "steps", "option": "options", "fallback": "fallbacks", "event": "event branches"}
_LEGEND = ("● reached on an explored path   ○ coverable, but no explored path reached it",
           "· not coverable by the scenario   (blank) the scenario does not drill that runbook")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "coverage", help="show which steps, options, fallbacks and event branches each scenario exercises",
        description="For a set of runbooks and scenarios, show which steps, decision options, fallbacks and "
        "event branches each scenario can exercise (statically, and on the paths `tabletop explore` plays), "
        "and from the drill logs, when each was last actually drilled.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: runbooks scenarios)")
    parser.add_argument("--logs", metavar="DIR", help="folder of drill logs, *.jsonl (default: exports/drills)")
    parser.add_argument("--format", choices=["text", "markdown", "json"], default="text",
                        help="output format (default: text)")
    parser.add_argument("--fail-under", metavar="PERCENT", type=_percent, default=None,
                        help="exit 1 when less than PERCENT of the items are coverable by some scenario")
    parser.add_argument("--include-headless", action="store_true",
                        help="count headless plays (rehearsals) as drilled; their made-up dates are never shown "
                        "as drill dates")
    parser.add_argument("--limit", metavar="N", type=_positive, default=None,
                        help="explore at most N paths a scenario (default: 512)")
    parser.set_defaults(run=run)


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be between 0 and 100")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value



def run(args: argparse.Namespace) -> int:
    from engine.config import ConfigError, find_config, load_config
    from engine.coverage import DEFAULT_LOGS, build_coverage, to_json
    from engine.plans import CoverageInputError
    from engine.rules import all_rules
    from engine.validate import UsageError

    paths = args.paths or ["runbooks", "scenarios"]
    if args.logs is not None and not Path(args.logs).is_dir():
        return _fail(f"--logs {args.logs}: no such folder")
    try:
        config = load_config(find_config(Path.cwd()), set(all_rules()))
    except ConfigError as exc:
        return _fail(str(exc))
    from engine.terminal import dumb

    progress = _Progress() if sys.stderr.isatty() and not dumb() else None
    try:
        coverage = build_coverage(paths, logs_folder=args.logs or DEFAULT_LOGS, limit=args.limit, config=config,
                                  progress=progress, include_headless=getattr(args, "include_headless", False))
    except UsageError as exc:
        return _fail(str(exc))
    except CoverageInputError as exc:
        code = _fail(str(exc), EXIT_UNREADABLE)
        for finding in exc.findings[:5]:
            print(f"{finding.path}:{finding.line}:{finding.column}: {finding.message} [{finding.rule}]",
                  file=sys.stderr)
        return code
    finally:
        if progress is not None:
            progress.clear()

    if args.format == "json":
        output = json.dumps(to_json(coverage), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        output = markdown(coverage)
    else:
        output = text(coverage)
    sys.stdout.write(output)
    sys.stdout.flush()

    for scenario in coverage.scenarios:
        if scenario.truncated and args.format != "text":  # text says so in its legend already
            print(f"tabletop: warning: {scenario.id}: {_exploration(scenario)}", file=sys.stderr)
    total = coverage.totals()["coverable_percent"]
    if args.fail_under is not None and total < args.fail_under:
        print(f"tabletop: coverage {total:g}% is below --fail-under {args.fail_under:g}%", file=sys.stderr)
        return EXIT_BELOW
    return EXIT_OK


class _Progress:
    """One line on stderr, rewritten in place, once the work has taken a while (a terminal only)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, number: int, count: int, scenario: str, paths: int) -> None:
        if time.monotonic() - self.start < PROGRESS_AFTER:
            return
        done = f", {paths} paths" if paths else ""
        raw_stderr().write(f"\rexploring scenario {number} of {count}: {_plain(scenario)[:50]}{done}\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            raw_stderr().write("\r\x1b[K")
            sys.stderr.flush()


# ----- shared -----

def _plain(value: object) -> str:
    """Text for a terminal: one line, no control characters (no escape sequences from a file or a log)."""
    return escape(" ".join(str(value).split()))


def _short(value: str, width: int) -> str:
    return value if len(value) <= width else value[:max(width - 1, 0)] + "…"


def _wall(coverage: Coverage, item: Item, numbers: dict[str, int]) -> str:
    """The latest live drill's date and log number; else `rehearsal [N]` (a rehearsal's date is made up)."""
    found = coverage.last.get(item.key) or coverage.rehearsed.get(item.key)
    if found is None:
        return ""
    when, log = found
    flag = "!" if log.flagged else ""
    if log.rehearsal:
        return f"rehearsal [{numbers[log.name]}]{flag}"
    return f"{when.when:%Y-%m-%d %H:%M} [{numbers[log.name]}]{flag}"


def _log_numbers(coverage: Coverage) -> dict[str, int]:
    """A number for each log shown in the last-drilled column, by log name."""
    shown = [coverage.last.get(i.key) or coverage.rehearsed.get(i.key) for i in coverage.items]
    names = sorted({found[1].name for found in shown if found is not None})
    return {name: n for n, name in enumerate(names, start=1)}


def _left_out_line(coverage: Coverage) -> str | None:
    """How many headless rehearsals were not counted, and how to count them (None: none left out)."""
    count = len(coverage.left_out())
    if not count:
        return None
    plays = "play" if count == 1 else "plays"
    return f"{count} headless {plays} not counted; --include-headless counts {'it' if count == 1 else 'them'}"


def _exploration(scenario: Any) -> str:
    if scenario.truncated:
        extra = f", then {scenario.covering} more to play each option met" if scenario.covering else ""
        return (f"explored {scenario.paths} paths, not every path: the search stopped at --limit {scenario.limit} "
                f"with {scenario.unexplored} branch{'es' if scenario.unexplored != 1 else ''} not followed{extra} "
                "(truncated: raise --limit to explore them all)")
    return f"{scenario.paths} path{'s' if scenario.paths != 1 else ''} explored"


def _totals_lines(coverage: Coverage) -> list[str]:
    t = coverage.totals()
    kinds = ", ".join(f"{KIND_NAMES[k]} {v['coverable']}/{v['items']}" for k, v in t["by_kind"].items())
    return [
        f"Total: {t['coverable']} of {t['items']} items ({t['coverable_percent']:g}%) coverable by at least "
        "one scenario",
        f"       {t['reached']} ({t['reached_percent']:g}%) reached on an explored path, "
        f"{t['drilled']} ({t['drilled_percent']:g}%) drilled in a log{_rehearsed_only(t)}",
        f"       coverable: {kinds}",
    ]


def _rehearsed_only(totals: dict[str, Any]) -> str:
    count = totals["rehearsed_only"]
    return f" ({count} only in a headless rehearsal)" if count else ""


def _log_lines(coverage: Coverage, numbers: dict[str, int], show: Any) -> list[str]:
    """The numbered logs, then a summary of the others: flagged ones and unused ones named."""
    by_name = {log.name: log for log in coverage.logs}
    lines = []
    for name, n in numbers.items():
        log = by_name[name]
        flag = f"  ! {'; '.join(show(p) for p in log.problems)}" if log.flagged else ""
        kind = "  (headless rehearsal)" if log.rehearsal else ""
        lines.append(f"[{n}] {show(name)}{kind}{flag}")
    used = [log for log in coverage.logs if log.used]
    others = [log for log in used if log.name not in numbers]
    unused = [log for log in coverage.logs if not log.used and not log.left_out]
    flagged = sum(1 for log in used if log.flagged)
    where = coverage.logs_folder or "no folder"
    left_out = _left_out_line(coverage)
    lines[:0] = [f"Drill logs in {show(where)}:",
                 f"{len(coverage.logs)} read, {len(used)} counted ({flagged} flagged), {len(unused)} not used"
                 + (f", {left_out}" if left_out else "")]
    for log in [lg for lg in others if lg.flagged][:10]:
        lines.append(f"    {show(log.name)}  ! {'; '.join(show(p) for p in log.problems)}")
    for log in unused[:10]:
        lines.append(f"    {show(log.name)}  not used: {show(log.reason or '')}")
    if len(unused) > 10:
        lines.append(f"    and {len(unused) - 10} more not used")
    return lines


def _label(item: Item) -> str:
    if item.kind == "step":
        return f"  {item.step}"
    if item.kind == "option":
        return f"    option {item.option}"
    if item.kind == "fallback":
        return f"    fallback → {item.fallback}"
    return f"    on event {item.event}"


# ----- text -----

def text(coverage: Coverage) -> str:
    """The matrix for a terminal: item rows under each runbook, a column a scenario, then the legends."""
    numbers = _log_numbers(coverage)
    scenarios = coverage.scenarios
    widths = [max(len(s.abbrev), 1) for s in scenarios]
    walls = {i.key: _wall(coverage, i, numbers) for i in coverage.items}
    last_width = max([len("last drilled (UTC)"), *(len(w) for w in walls.values())])
    room = WIDTH - sum(w + 2 for w in widths) - 2 - last_width
    label_width = max(28, min(room, max((len(_label(i)) for i in coverage.items), default=0)))

    def row(label: str, cells: list[str], last: str) -> str:
        middle = "".join(f"  {c:^{w}}" for c, w in zip(cells, widths, strict=True))
        return f"{_short(label, label_width):<{label_width}}{middle}  {last}".rstrip()

    out = [f"Coverage of {len(coverage.runbooks)} runbook{'s' if len(coverage.runbooks) != 1 else ''} by "
           f"{len(scenarios)} scenario{'s' if len(scenarios) != 1 else ''}: {len(coverage.items)} items", ""]
    out.append(row("", [s.abbrev for s in scenarios], "last drilled (UTC)"))
    for runbook in coverage.runbooks:
        items = [i for i in coverage.items if i.runbook == runbook.id]
        coverable = sum(1 for i in items if coverage.coverable(i))
        out.append(_short(f"{runbook.id}  ({coverable} of {len(items)} coverable)", WIDTH))
        for item in items:
            cells = [MARKS[s.cells.get(item.key, "outside")] for s in scenarios]
            out.append(row(_label(item), cells, walls[item.key]))
    out += ["", *_LEGEND, ""]
    abbrev_width = max((len(s.abbrev) for s in scenarios), default=2)
    id_width = max((len(_plain(s.id)) for s in scenarios), default=0)
    for s in scenarios:
        t = coverage.scenario_totals(s)
        out.append(f"{s.abbrev:<{abbrev_width}}  {_plain(s.id):<{id_width}}  {t['coverable']} of {t['items']} "
                   f"coverable, {t['reached']} reached; {_exploration(s)}")
    if not scenarios:
        out.append("no scenarios: nothing is coverable")
    out += ["", *_log_lines(coverage, numbers, _plain), "", *_totals_lines(coverage)]
    return "\n".join(out) + "\n"


# ----- Markdown -----

def _code(value: str) -> str:
    """An id as inline code; ids are kebab-case, but a `|` would still end a table cell, so it is escaped."""
    from engine.report.markdown import escape

    if "`" in value or "\n" in value or "\r" in value:
        return escape(value)
    return "`" + value.replace("|", "\\|") + "`"


def _md_label(item: Item) -> str:
    from engine.report.markdown import escape

    if item.kind == "step":
        return f"{_code(item.step)} {escape(item.title)}"
    if item.kind == "option":
        return f"↳ option {_code(item.option or '')}: {escape(item.label or '')}"
    if item.kind == "fallback":
        return f"↳ fallback → {_code(item.fallback or '')}"
    return f"↳ on event {_code(item.event or '')}"


def markdown(coverage: Coverage) -> str:
    """Tables that render on GitHub: scenarios, then one matrix a runbook, then the logs and the key."""
    from engine.report.markdown import escape

    numbers = _log_numbers(coverage)
    scenarios = coverage.scenarios
    t = coverage.totals()
    out = ["# Runbook coverage", "",
           f"**{t['coverable_percent']:g}%** of {t['items']} items coverable by at least one scenario; "
           f"{t['reached_percent']:g}% reached on an explored path; {t['drilled_percent']:g}% drilled in a log"
           f"{_rehearsed_only(t)}.",
           "", "| items | coverable | reached | drilled |", "|---|--:|--:|--:|"]
    for kind, v in t["by_kind"].items():
        out.append(f"| {KIND_NAMES[kind]} | {v['coverable']} of {v['items']} | {v['reached']} | {v['drilled']} |")
    out.append(f"| **all** | {t['coverable']} of {t['items']} | {t['reached']} | {t['drilled']} |")
    out += ["", "## Scenarios", "", "| | scenario | coverable | reached | exploration |", "|---|---|--:|--:|---|"]
    for s in scenarios:
        st = coverage.scenario_totals(s)
        out.append(f"| {s.abbrev} | {_code(s.id)} {escape(s.title)} | {st['coverable']} of {st['items']} | "
                   f"{st['reached']} | {escape(_exploration(s))} |")
    out += ["", "Cells: " + "; ".join(_LEGEND).replace("   ", "; ") + "."]
    head = "| item | " + " | ".join(s.abbrev for s in scenarios) + (" | " if scenarios else "") + \
        "last drilled (UTC) |"
    rule = "|---|" + ":-:|" * len(scenarios) + "---|"
    for runbook in coverage.runbooks:
        out += ["", f"## {_code(runbook.id)} {escape(runbook.title)}", "", head, rule]
        for item in (i for i in coverage.items if i.runbook == runbook.id):
            cells = [MARKS[s.cells.get(item.key, "outside")] for s in scenarios]
            out.append("| " + " | ".join([_md_label(item), *cells, escape(_wall(coverage, item, numbers))]) + " |")
    head, *entries = _log_lines(coverage, numbers, str)[1:]
    folder = _code(coverage.logs_folder) if coverage.logs_folder else "no folder"
    out += ["", "## Drill logs", "", f"In {folder}: {escape(head)}.", ""]
    out += [f"- {escape(line.strip())}" for line in entries]
    return "\n".join(out) + "\n"

