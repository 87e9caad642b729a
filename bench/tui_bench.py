"""Benchmarks for the facilitator's console, `tabletop drill` (run on demand, not in CI):

    python bench/tui_bench.py [--repeat 5] [--presses 200] [--steps 5000] [--sizes 80x24,200x50]

Reports, for the shipped scenario (47 steps) and a generated runbook of --steps steps:
  - startup: wall time from launching `tabletop drill SCENARIO` in a pseudo-terminal (a real
    subprocess, 80x24, TERM=xterm-256color) to the first painted frame of the start screen, and
    of `--resume LOG` to the first frame of the console (the first frame of a drill of that
    size); median and best of --repeat runs, wall and CPU. The console opens with the files
    parsed before (engine/parse_cache.py, in a cache folder of the bench's own, filled by an
    unmeasured first run), and again with --no-cache: the first drill after a runbook changed.
    engine/ is byte-compiled first, as an installed package is, whatever
    PYTHONDONTWRITEBYTECODE says;
  - key latency: key press -> screen updated, in process with `App.run_test` (headless):
    from the key event to the last frame the app composed for it; p50, p95 and max, overall and
    by kind (move: down/up/r; record: s/x/c, each an fsynced event; dialog: a `c` that opened its
    question, checklist items being open; pane: 3/1, switching the tabbed side pane), for both
    runbooks at each of --sizes (80x24 and 200x50 by default). Each press is timed twice: wall
    time, and the process's CPU time over the same span (what the console itself spent, which a
    loaded, shared machine does not inflate much; the fsync of a record is wall time only).
The load average is printed before and after; on a shared machine read the CPU figures.
Goals (issues 4 and 21): first frame under 600 ms, key press p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import gc
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
TABLETOP = Path(sys.executable).with_name("tabletop")


# ----- startup, in a pseudo-terminal -----

def first_frame_of(argv: list[str], marker: bytes, timeout: float = 20.0, cwd: Path = ROOT) -> float:
    """Seconds from spawning `argv` on a pty until `marker` has been written to it."""
    return first_frame_timed(argv, marker, timeout, cwd)[0]


def first_frame_timed(argv: list[str], marker: bytes, timeout: float = 20.0, cwd: Path = ROOT
                      ) -> tuple[float, float]:
    """(wall, CPU) seconds from spawning `argv` on a pty until `marker` has been written to it; the CPU
    is the process's own user + system time then, read from /proc (clock ticks, 10 ms), which a loaded
    machine inflates far less than the wall time."""
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", "PYTHONPATH": str(cwd)}
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    elapsed = cpu = float("nan")
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            if marker in seen:
                elapsed = time.perf_counter() - started
                cpu = _cpu_seconds(proc.pid)
                break
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    return elapsed, cpu


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_startup(repeat: int, scenarios: list[tuple[str, Path]]) -> dict[str, float]:
    """First frame of the start screen and of a resumed console, for each (name, scenario); prints the
    figures and returns the CPU medians in ms by "<name>, <screen>"."""
    from engine.drill.clock import SystemClock
    from engine.drill.session import Drill
    from engine.plans import load_plan

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TABLETOP_CACHE"] = str(Path(tmp) / "cache")  # the console's parsed files, the bench's own
        for label, scenario in scenarios:
            starts, resumes, uncached = [], [], []
            log = Path(tmp) / f"resume-{len(out)}.jsonl"
            drill = Drill.start(load_plan(str(scenario)), SystemClock(), log_path=str(log))
            drill.fire_due()
            drill.close()
            resume = [str(TABLETOP), "drill", str(scenario), "--resume", str(log)]
            first_frame_timed(resume, b"PAUSED")  # fills the cache (unmeasured)
            for n in range(repeat):
                starts.append(first_frame_timed([str(TABLETOP), "drill", str(scenario), "--log",
                                                 str(Path(tmp) / f"s{len(out)}-{n}.jsonl")], b"Start the drill"))
                resumes.append(first_frame_timed(resume, b"PAUSED"))
                uncached.append(first_frame_timed([*resume, "--no-cache"], b"PAUSED"))
            for name, times in (("start screen", starts), ("console (--resume)", resumes),
                                ("console, --no-cache", uncached)):
                ms = [wall * 1000 for wall, _ in times]
                cpu = [spent * 1000 for _, spent in times]
                out[f"{label}, {name}"] = statistics.median(cpu)
                print(f"first frame, {label}, {name:<19} wall median {statistics.median(ms):6.0f} ms "
                      f"best {min(ms):6.0f} ms | cpu median {statistics.median(cpu):5.0f} ms best {min(cpu):5.0f} ms"
                      f"  (goal < 600 ms; pty 80x24, {repeat} runs)")
    return out


# ----- key latency, headless -----

def generate(steps: int, folder: Path) -> Path:
    """A runbook of `steps` steps in ten chains with checklists, and a scenario with a few injects."""
    (folder / "runbooks").mkdir()
    (folder / "scenarios").mkdir()
    lines = ["runbook: generated", "title: Generated runbook", "roles:", "  lead: Leads",
             "services:", "  primary: Primary", "steps:"]
    for i in range(steps):
        lines += [f"  s{i}:", f"    title: Step {i} of the generated runbook, with a title of typical length",
                  "    owner: lead", "    target: 15m", "    do:", "      - Check one thing", "      - Check another"]
        if i >= 10:
            lines.append(f"    needs: [s{i - 10}]")
    (folder / "runbooks" / "generated.yaml").write_text("\n".join(lines) + "\n")
    scenario = ["scenario: generated", "title: Generated scenario", "runbooks: [generated]", "injects:"]
    for n in range(5):
        scenario += [f"  - id: inject-{n}", f"    at: T+{(n + 1) * 10}m", f"    say: Something happens, number {n}."]
    path = folder / "scenarios" / "generated.yaml"
    path.write_text("\n".join(scenario) + "\n")
    return path


KINDS = {"down": "move", "up": "move", "r": "move", "s": "record", "x": "record", "c": "record", "3": "pane",
         "1": "pane"}


async def key_latency(scenario: Path, presses: int, size: tuple[int, int] = (80, 24)
                      ) -> list[tuple[str, float, float]]:
    """Per key: (kind, wall seconds, CPU seconds) from sending the key event to the last frame the app
    composed for it.

    The headless driver draws nothing, but the app still composes every frame (`App._display` is
    called with the compositor's update); the bench records when, sends one key, lets the app go
    quiet for SETTLE seconds, and takes the last frame's time. Pilot's own idle waits are not counted.
    """
    from engine.drill.clock import FakeClock
    from engine.drill.session import Drill
    from engine.plans import load_plan
    from engine.tui.app import DrillApp
    from engine.tui.screens.inject import InjectScreen

    frames: list[tuple[float, float]] = []

    class TimedApp(DrillApp):
        def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
            if renderable is not None:
                frames.append((time.perf_counter(), time.process_time()))
            super()._display(screen, renderable)

    # As `tabletop drill` does: the collector is held off through start-up, and a console that takes it
    # back at its first frame (freezing start-up's objects out of later collections) gets it that way.
    # A console from before that keeps the collector on throughout, as its command did.
    held = hasattr(DrillApp, "first_frame_shown")
    if held:
        gc.disable()
    plan = load_plan(str(scenario))
    clock = FakeClock(datetime(2026, 1, 22, 19, 33, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as tmp:
        drill = Drill.start(plan, clock, log_path=str(Path(tmp) / "bench.jsonl"))
        try:  # keys come faster than a person types: no guard dropping them after a dialog closes
            app = TimedApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
        except TypeError:  # a console from before the key guard (to measure "before")
            app = TimedApp(plan, clock, drill, blink=False, tick_seconds=3600)
        times: list[tuple[str, float, float]] = []
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            # A facilitator's mix: move, start, tick, finish, move on; a pane switch now and then.
            cycle = ["r", "s", "x", "x", "c", "down", "up", "3", "1", "r", "s", "c"]
            for n in range(presses):
                key = cycle[n % len(cycle)]
                frames.clear()
                began, began_cpu = time.perf_counter(), time.process_time()
                app.simulate_key(key)
                await asyncio.sleep(SETTLE)
                asked = type(app.screen).__name__ == "ConfirmScreen"  # `c` with items open asks first
                if frames:
                    times.append(("dialog" if asked else KINDS[key], frames[-1][0] - began, frames[-1][1] - began_cpu))
                if asked:  # yes (untimed)
                    await pilot.press("y")
                    await pilot.pause()
                while isinstance(app.screen, InjectScreen):
                    await pilot.press("escape")
                    await pilot.pause()
        drill.close()
    gc.unfreeze()
    gc.enable()
    return times


SETTLE = 0.25  # seconds of quiet after a key before its last frame is taken


def bench_keys(presses: int, runs: list[tuple[str, Path]], sizes: list[tuple[int, int]]) -> dict[str, float]:
    """Key latency for each size and (name, scenario); prints the figures and returns the CPU p95 of all
    keys in ms by "<name>, <W>x<H>"."""
    out: dict[str, float] = {}
    for (width, height), (name, scenario) in ((size, run) for size in sizes for run in runs):
        timed = asyncio.run(key_latency(scenario, presses, (width, height)))
        print(f"key -> screen, {name}  (goal p95 < 50 ms; headless run_test, {width}x{height})")
        for kind in ("all", "move", "record", "dialog", "pane"):
            ms = sorted(wall * 1000 for k, wall, _ in timed if kind in ("all", k))
            cpu = sorted(spent * 1000 for k, _, spent in timed if kind in ("all", k))
            if not ms:
                continue
            if kind == "all":
                out[f"{name}, {width}x{height}"] = _p95(cpu)
            print(f"  {kind:<7} wall p50 {statistics.median(ms):5.1f} p95 {_p95(ms):5.1f} max {ms[-1]:5.1f} ms"
                  f" | cpu p50 {statistics.median(cpu):5.1f} p95 {_p95(cpu):5.1f} max {cpu[-1]:5.1f} ms"
                  f"  ({len(ms)} presses)")
    return out


def _p95(sorted_ms: list[float]) -> float:
    return sorted_ms[int(0.95 * (len(sorted_ms) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--sizes", default="80x24,200x50", help="terminal sizes for key latency, e.g. 80x24,200x50")
    parser.add_argument("--no-startup", action="store_true", help="key latency only")
    parser.add_argument("--no-keys", action="store_true", help="first frames only")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "engine"), quiet=1)  # as installed: no start-up spent compiling sources
    sizes = [(int(w), int(h)) for w, h in (size.split("x") for size in args.sizes.split(","))]
    print(f"load average before: {' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("shipped scenario (47 steps)", SHIPPED),
                (f"generated ({args.steps} steps)", generate(args.steps, Path(tmp)))]
        if not args.no_startup:
            figures.update(bench_startup(args.repeat, runs))
        if not args.no_keys:
            figures.update(bench_keys(args.presses, runs, sizes))
    print(f"load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print("summary (CPU ms: first frame median; key -> screen p95 of all keys):")
    for name, ms in figures.items():
        print(f"  {name:<58} {ms:6.1f}")


if __name__ == "__main__":
    main()
