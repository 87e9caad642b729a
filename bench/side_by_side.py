"""Side-by-side benchmarks of whole `tabletop` processes, with ratios (run on demand, not in CI):

    python bench/side_by_side.py [--only validate,start,explore,play,coverage,verify,report,console]
                                 [--runs 5] [--timeout 120] [--against OTHER_CHECKOUT] [--chaos PATH]

Each case runs its commands in turn (A B A B ...), measures every finished
process from outside (user + system CPU seconds and peak RSS from wait4, so
start-up counts), and prints the median of each and, for every tabletop row,
the median of the per-round CPU ratios to every other row. On a shared, noisy
machine the ratios are the figures to quote; the absolute times drift with the
load. Each command runs once unmeasured first, and every checkout's engine/ is
byte-compiled before any run (as an installed package is), so a run never
pays for compiling sources, whatever PYTHONDONTWRITEBYTECODE says.

Cases (issue 16):
  validate   `tabletop validate` against parsing the same bytes with PyYAML's
             C loader: a shipped runbook, 500, 5,000 and 50,000 steps
  start      cold start on one small file against `python -c pass` and,
             where `chaos` is on PATH (or given by --chaos), `chaos validate`
             of a small experiment (Chaos Toolkit: `pip install chaostoolkit`,
             best in a venv of its own)
  explore    4..20 unrelated and 4..12 interacting decisions, and 4..16
             decisions a shared close-out step needs, complete (a limit no
             search reaches)
  play       500..5,000 steps; 100..10,000 injects
  coverage   10 runbooks of 500 steps, 10 scenarios
  verify     `tabletop log verify` of a 1,000,000-event log (written once,
             kept in the cache folder under the hash of the shipped scenario and runbooks, so a log
             of older files is never the workload: that one stops at
             the version check before the fold), beside hashing its lines
             (the floor; issue 28: within 4x) and hashing and parsing them
             (with json, and with orjson as the log reader does)
  report     `tabletop report` of the same log, JSON and HTML (goal: the
             peak is the report's content, not the log's events)
  report5k   `tabletop report` of a 5,000-event log, Markdown and HTML,
             against `log verify` of the same log (issue 28: within 1.3x)
  pdf        `tabletop report --format pdf` of the 5,000-event log (goal:
             under 10 s CPU)
  console    first frame of `tabletop drill` on the shipped scenario, wall
             time on a pseudo-terminal, against a bare Textual app

With --against, every tabletop command also runs in the other checkout (for
example `mkdir -p /tmp/base && git archive main | tar -x -C /tmp/base`), and the ratio this/other
is printed: before and after, side by side in one run. A run that passes
--timeout is killed and shown as `>N s`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import workloads  # noqa: E402

PY = sys.executable
CACHE = Path(tempfile.gettempdir()) / "tabletop-bench-cache"
SHIPPED_RUNBOOK = ROOT / "runbooks" / "inbound-mail-continuity.yaml"
SHIPPED_SCENARIO = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
C_PARSE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb').read(), Loader=yaml.CSafeLoader)"
# The floors of `log verify`: the SHA-256 of every line (the chain alone; issue 28's goal is within 4x of it),
# and parsing every line as JSON as well (what any reader of the events pays before checking one).
HASH_LINES = ("import sys, hashlib\nwith open(sys.argv[1], 'rb') as f:\n"
              "    for line in f: hashlib.sha256(line.rstrip(b'\\n')).hexdigest()")
PARSE_LINES = ("import sys, hashlib, json\nwith open(sys.argv[1], 'rb') as f:\n"
               "    for line in f: hashlib.sha256(line.rstrip(b'\\n')).hexdigest(); json.loads(line)")
# ... and with orjson, the parser the log reader uses.
ORJSON_LINES = PARSE_LINES.replace("json", "orjson")


@dataclass
class Run:
    cpu: float  # user + system seconds
    wall: float
    rss_mb: float
    code: int | None  # None: killed at the timeout


@dataclass
class Command:
    label: str
    argv: list[str]
    cwd: Path = ROOT
    before: Callable[[], None] | None = None  # e.g. remove the log a run writes
    tree_row: bool = False  # a tabletop command (ratios are printed from it to the other rows)

    def run(self, timeout: float) -> Run:
        if self.before:
            self.before()
        env = {**os.environ, "PYTHONPATH": str(self.cwd), "NO_COLOR": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        start = time.perf_counter()
        proc = subprocess.Popen([PY, "-c", _LAUNCHER, *self.argv], cwd=self.cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return Run(timeout, time.perf_counter() - start, float("nan"), None)
        cpu, wall, rss_kb, code = out.split()
        return Run(float(cpu), float(wall), int(rss_kb) / 1024, int(code))


# Forks the command and reports its own rusage. A process started straight from this benchmark would
# inherit the benchmark's peak RSS (Linux keeps the high-water mark across fork and exec); a fork of
# this small launcher starts from the launcher's.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_utime + usage.ru_stime, time.perf_counter() - start, usage.ru_maxrss,
      os.waitstatus_to_exitcode(status))
"""


def tabletop(label: str, tree: Path, *args: str, before: Callable[[], None] | None = None) -> Command:
    return Command(label, [PY, "-m", "engine", *args], tree, before, tree_row=True)


def compare(title: str, commands: list[Command], runs: int, timeout: float, goal: str = "") -> None:
    """Run the commands in turn `runs` times (after one unmeasured round); print medians, and every
    tabletop row's CPU ratio to each other row (median of the per-round ratios, min..max)."""
    results: list[list[Run]] = [[] for _ in commands]
    if commands[0].run(timeout).code is not None:  # warm the caches; skipped rounds would be lost anyway
        for command in commands[1:]:
            command.run(timeout)
    for _ in range(runs):
        for i, command in enumerate(commands):
            run = command.run(timeout)
            results[i].append(run)
        if any(r.code is None for r in results[0]):
            break  # the first command timed out: more rounds would only take longer
    print(f"{title}" + (f"  (goal: {goal})" if goal else ""))
    for command, measured in zip(commands, results, strict=True):
        cpu = statistics.median(r.cpu for r in measured)
        rss = max((r.rss_mb for r in measured if r.code is not None), default=float("nan"))
        killed = any(r.code is None for r in measured)
        codes = sorted({r.code for r in measured if r.code is not None})
        shown = f"killed>{timeout:.0f}s" if killed else f"{cpu:8.3f} s"
        line = f"  {command.label:<34} cpu {shown:>10}  wall {statistics.median(r.wall for r in measured):7.2f} s" \
               f"  peak {rss:7.0f} MB  exit {codes or '-'}"
        print(line, flush=True)
        if command.tree_row and any(code != 0 for code in codes):
            print(f"    ^ exit {codes}: if this is a refusal, the row timed it and not the work", flush=True)
    ours = [i for i, c in enumerate(commands) if c.tree_row]
    for i in ours:
        for j, other in enumerate(commands):
            if j == i or (j in ours and j < i):
                continue  # two checkouts' rows: once, this / other
            pairs = [a.cpu / b.cpu for a, b in zip(results[i], results[j], strict=False)
                     if a.code is not None and b.code is not None and b.cpu > 0]
            if pairs:
                lo, mid, hi = min(pairs), statistics.median(pairs), max(pairs)
                print(f"    {commands[i].label} / {other.label}: {mid:.2f}x ({lo:.2f}..{hi:.2f})", flush=True)


# ----- the cases -----

def trees(args: argparse.Namespace) -> list[tuple[str, Path]]:
    out = [("this", ROOT)]
    if args.against:
        out.append(("other", Path(args.against).resolve()))
    return out


def case_validate(args: argparse.Namespace, work: Path) -> None:
    files = [("a shipped runbook", SHIPPED_RUNBOOK)]
    files += [(f"{n:,} steps", workloads.runbook_file(work, n)) for n in (500, 5000, 50000)]
    settings = work / "big-files.toml"  # 50,000 steps is about 11 MB, over the default 5 MB limit
    settings.write_text("max-file-bytes = 104857600\n", encoding="utf-8")
    for name, path in files:
        n = path.stat().st_size
        size = f"{n / 1e6:.1f} MB" if n > 1e5 else f"{n // 1000} KB"
        commands = [tabletop(f"validate [{t}]", tree, "validate", "--config", str(settings), str(path))
                    for t, tree in trees(args)]
        commands.append(Command("PyYAML C parse", [PY, "-c", C_PARSE, str(path)]))
        goal = "<= 2x the C parse" if "500 " in name else ("<= 1.3x the C parse" if "steps" in name else "")
        compare(f"validate, {name} ({size})", commands, args.runs, args.timeout, goal)


def case_start(args: argparse.Namespace, work: Path) -> None:
    commands = [tabletop(f"validate small file [{t}]", tree, "validate", str(SHIPPED_RUNBOOK))
                for t, tree in trees(args)]
    commands.append(Command("python -c pass", [PY, "-c", "pass"]))
    chaos = args.chaos or shutil.which("chaos")
    if chaos:
        experiment = work / "experiment.json"
        experiment.write_text('{"title": "t", "description": "d", "method": [{"type": "probe", "name": "p", '
                              '"provider": {"type": "python", "module": "os.path", "func": "exists", '
                              '"arguments": {"path": "/"}}}]}', encoding="utf-8")
        commands.append(Command("chaos validate", [chaos, "--no-log-file", "validate", str(experiment)]))
    else:
        print("(no `chaos` on PATH and no --chaos: cold start is compared with `python -c pass` only)")
    compare("cold start, validate of one small file", commands, args.runs, args.timeout, "<= 1.0x chaos validate")


def case_explore(args: argparse.Namespace, work: Path) -> None:
    shapes: list[tuple[str, Callable[[Path, int], Path], tuple[int, ...]]] = [
        ("unrelated", workloads.unrelated, (4, 8, 12, 16, 20)),
        ("interacting", workloads.interacting, (4, 8, 12)),
        ("shared wrap-up", workloads.wrap_up, (4, 8, 12, 16)),  # a close-out needs every decision step
    ]
    for shape, make, sizes in shapes:
        for n in sizes:
            scenario = make(work / f"explore-{shape.replace(' ', '-')}-{n}", n)
            commands = [tabletop(f"explore [{t}]", tree, "explore", str(scenario), "--limit", "100000000",
                                 "--format", "json") for t, tree in trees(args)]
            compare(f"explore, {n} {shape} decisions, complete", commands, args.runs, args.timeout)


def case_play(args: argparse.Namespace, work: Path) -> None:
    log = work / "play.jsonl"

    def fresh() -> None:
        log.unlink(missing_ok=True)

    workload: list[tuple[str, Path]] = []
    workload += [(f"{n:,} steps", workloads.long_runbook(work / f"play-steps-{n}", n)) for n in (500, 1000, 2000, 5000)]
    workload += [(f"{n:,} injects", workloads.many_injects(work / f"play-injects-{n}", n)) for n in (100, 1000, 10000)]
    for name, scenario in workload:
        commands = [tabletop(f"play [{t}]", tree, "play", str(scenario), "--log", str(log), before=fresh)
                    for t, tree in trees(args)]
        compare(f"play, {name}", commands, args.runs, args.timeout)


def case_coverage(args: argparse.Namespace, work: Path) -> None:
    folder = workloads.coverage_set(work / "coverage")
    (work / "no-logs").mkdir(exist_ok=True)
    commands = [tabletop(f"coverage [{t}]", tree, "coverage", str(folder / "runbooks"), str(folder / "scenarios"),
                         "--logs", str(work / "no-logs"), "--format", "json") for t, tree in trees(args)]
    compare("coverage, 10 runbooks x 500 steps, 10 scenarios", commands, args.runs, args.timeout)


def big_log() -> Path:
    """The 1,000,000-event log of the shipped scenario as it is now (written once per version of it)."""
    CACHE.mkdir(exist_ok=True)
    return workloads.big_log(CACHE / f"verify-1000000-{_shipped_version()}.jsonl", 1_000_000)


def _shipped_version() -> str:
    """The shipped scenario's and runbooks' bytes, hashed: a log records the hash of each file it ran with, so
    a log written for older files stops at that check (a second's work, not the workload)."""
    digest = hashlib.sha256(SHIPPED_SCENARIO.read_bytes())
    for runbook in sorted((ROOT / "runbooks").glob("*.yaml")):
        digest.update(runbook.read_bytes())
    return digest.hexdigest()[:12]


def _shipped_in(tree: Path) -> Path:
    return tree / SHIPPED_SCENARIO.relative_to(ROOT)


def case_verify(args: argparse.Namespace, work: Path) -> None:
    log = big_log()
    # Each checkout verifies against its own copy of the scenario (the same bytes): a scenario of another
    # checkout would bring its runbooks beside those found from the working folder, twice the same ids.
    commands = [tabletop(f"log verify [{t}]", tree, "log", "verify", "--scenario", str(_shipped_in(tree)), str(log))
                for t, tree in trees(args)]
    commands.append(Command("hash the lines (floor)", [PY, "-c", HASH_LINES, str(log)]))
    commands.append(Command("hash and parse the lines", [PY, "-c", PARSE_LINES, str(log)]))
    commands.append(Command("hash and parse them (orjson)", [PY, "-c", ORJSON_LINES, str(log)]))
    compare(f"log verify, 1,000,000 events ({log.stat().st_size / 1e6:.0f} MB; goal: peak < 300 MB)", commands,
            args.runs, args.timeout, "<= 4x hashing the lines")


def case_report(args: argparse.Namespace, work: Path) -> None:
    log = big_log()
    for kind in ("json", "html"):
        commands = [tabletop(f"report --format {kind} [{t}]", tree, "report", str(log), "--scenario",
                             str(_shipped_in(tree)), "--format", kind, "--force", "-o",
                             str(work / f"report-{t}.{kind}")) for t, tree in trees(args)]
        compare(f"report --format {kind}, 1,000,000 events", commands, args.runs, args.timeout)


def small_log() -> Path:
    """The 5,000-event log of the shipped scenario as it is now (written once per version of it)."""
    CACHE.mkdir(exist_ok=True)
    return workloads.big_log(CACHE / f"report-5000-{_shipped_version()}.jsonl", 5_000)


def case_report5k(args: argparse.Namespace, work: Path) -> None:
    log = small_log()
    for kind in ("md", "html"):
        commands = [tabletop(f"report --format {kind} [{t}]", tree, "report", str(log), "--scenario",
                             str(_shipped_in(tree)), "--format", kind, "--force", "-o",
                             str(work / f"report5k-{t}.{kind}")) for t, tree in trees(args)]
        commands += [tabletop(f"log verify [{t}]", tree, "log", "verify", "--scenario", str(_shipped_in(tree)),
                              str(log)) for t, tree in trees(args)]
        compare(f"report --format {kind}, 5,000 events (floor: log verify of the same log)", commands, args.runs,
                args.timeout, "<= 1.3x log verify")


def case_pdf(args: argparse.Namespace, work: Path) -> None:
    log = small_log()
    commands = [tabletop(f"report --format pdf [{t}]", tree, "report", str(log), "--scenario",
                         str(_shipped_in(tree)), "--format", "pdf", "--force", "-o", str(work / f"report5k-{t}.pdf"))
                for t, tree in trees(args)]
    compare("report --format pdf, 5,000 events", commands, args.runs, args.timeout, "< 10 s CPU")


_BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("Start the drill")
Bare().run()
"""


def case_console(args: argparse.Namespace, work: Path) -> None:
    from tui_bench import first_frame_of

    rows: list[tuple[str, list[str], Path]] = []
    for t, tree in trees(args):
        rows.append((f"tabletop drill [{t}]", [PY, "-m", "engine", "drill", str(SHIPPED_SCENARIO), "--log",
                                             str(work / "console-{n}.jsonl")], tree))
    rows.append(("bare Textual app", [PY, "-c", _BARE_APP], ROOT))
    times: dict[str, list[float]] = {label: [] for label, _, _ in rows}
    for n in range(args.runs):
        for label, argv, cwd in rows:
            argv = [a.replace("{n}", f"{label[-6:-1]}{n}") for a in argv]
            times[label].append(first_frame_of(argv, b"Start the drill", cwd=cwd))
    print("console first frame (wall, pty 80x24; goal < 600 ms)")
    base = times[rows[0][0]]
    for label, _, _ in rows:
        ms = [t * 1000 for t in times[label]]
        line = f"  {label:<34} median {statistics.median(ms):6.0f} ms  best {min(ms):6.0f} ms"
        if times[label] is not base:
            pairs = [a / b for a, b in zip(base, times[label], strict=True)]
            line += f"  | first row / this row: {statistics.median(pairs):.2f}x"
        print(line, flush=True)


CASES = {"validate": case_validate, "start": case_start, "explore": case_explore, "play": case_play,
         "coverage": case_coverage, "verify": case_verify, "report": case_report,
         "report5k": case_report5k, "pdf": case_pdf,
         "console": case_console}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(CASES), help="comma-separated cases")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--heavy-runs", type=int, default=None,
                        help="rounds for explore, play, coverage, verify and report (default: --runs)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one run may take")
    parser.add_argument("--against", metavar="DIR", help="another checkout of tabletop to compare with")
    parser.add_argument("--chaos", metavar="PATH", help="the `chaos` command for the start case (default: on PATH)")
    args = parser.parse_args()
    for _, tree in trees(args):  # as installed: byte-compiled, so no run pays for compiling sources
        subprocess.run([PY, "-m", "compileall", "-q", str(tree / "engine")], check=True, stdout=subprocess.DEVNULL)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"{args.runs} rounds; cpu = user + sys of the whole process, medians")
    with tempfile.TemporaryDirectory(prefix="tabletop-side-") as tmp:
        for name in args.only.split(","):
            heavy = name.strip() in ("explore", "play", "coverage", "verify", "report", "pdf") and args.heavy_runs
            case_args = argparse.Namespace(**{**vars(args), "runs": args.heavy_runs}) if heavy else args
            CASES[name.strip()](case_args, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
