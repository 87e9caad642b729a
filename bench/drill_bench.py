"""Benchmarks for the drill core (run on demand, not in CI):

    python bench/drill_bench.py [--events 100000] [--repeat 5] [--append-seconds 5] [--decisions 9]

Reports:
  (a) folding a big drill log, the resume path: read_log (read, parse, check
      the hash chain) and replay (the fold) of a log of N events written
      with the Drill API on the shipped scenario (mostly checklist ticks,
      notes and service flaps, with every step transition of a drill);
      best-of wall times, and peak memory in a fresh subprocess (max RSS, and
      the tracemalloc peak of the Python heap). Goals: under 1 s, under 300 MB.
  (b) append throughput with an fsync per event, in events per second, in a
      folder on the filesystem of exports/ (the default place for logs).
  (c) `tabletop explore` on the shipped runbooks and scenario: paths, paths
      per second, total time; and, on a generated runbook with D decisions in
      a row (2^D paths), the two ways of forking a path (deepcopy of the
      state, or folding the path's events again).
  (d) explore of decisions that cannot influence each other (4..20, grouped:
      1 + D paths stand for 2^D) and of decisions that do (4..12 in a row,
      one group: 2^D paths): paths played, the paths they stand for, and the
      CPU seconds of the search in this process (CPU time, not wall time:
      the figure to quote on a shared machine). Goal: 20 unrelated decisions
      complete in under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCENARIO = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# ----- (a) a big log -----

def write_big_log(path: str, events: int, seed: int = 7) -> None:
    """A valid drill of about `events` events on the shipped scenario, through the Drill API.

    fsync is switched off while writing it: this log is input for the fold
    benchmark, and a hundred thousand fsyncs would only measure the disk.
    """
    from engine.drill import log as log_module
    from engine.drill.clock import FakeClock
    from engine.drill.session import Drill
    from engine.drill.state import StepStatus
    from engine.plans import load_plan

    rng = random.Random(seed)
    plan = load_plan(str(SCENARIO))
    clock = FakeClock(datetime(2026, 1, 22, 19, 33, tzinfo=UTC))
    real_fsync = log_module.os.fsync
    log_module.os.fsync = lambda fd: None  # type: ignore[assignment]
    try:
        drill = Drill.start(plan, clock, log_path=path, facilitator="Bench", participants={"lead": "A. Bench"})
        services = sorted(plan.services)
        checklists = [k for k, s in plan.steps.items() if s.do]
        health = dict(drill.state.services)
        # Spread the drill's step transitions over the whole log, so the fold carries a busy state throughout.
        step_every = max(1, events // 400)
        turn = 0
        while drill.state.seq < events - 2:
            turn += 1
            clock.advance(rng.uniform(0.2, 3.0))
            drill.fire_due()
            roll = rng.random()
            if turn % step_every == 0:
                _move_a_step(drill, rng, StepStatus)
            elif roll < 0.55:
                key = rng.choice(checklists)
                drill.tick(key, rng.randrange(len(plan.steps[key].do)), rng.random() < 0.8)
            elif roll < 0.85:
                drill.note(rng.choice(("observation", "strength", "improvement")),
                           f"Note {drill.state.seq}: the bridge heard an update about the queue.",
                           rng.choice([None, *checklists]), "observer")
            else:  # a flap: a service goes down or degraded and comes back
                service = rng.choice(services)
                to = "up" if health[service] != "up" else rng.choice(("degraded", "down"))
                drill.set_service(service, to)
                health[service] = to
        drill.end("benchmark")
        drill.close()
    finally:
        log_module.os.fsync = real_fsync  # type: ignore[assignment]


def _move_a_step(drill, rng: random.Random, StepStatus) -> None:  # type: ignore[no-untyped-def]  # noqa: N803
    statuses = drill.state.statuses()
    active = [k for k, s in statuses.items() if s is StepStatus.ACTIVE]
    ready = [k for k, s in statuses.items() if s is StepStatus.READY]
    for key in active:
        options = drill.plan.steps[key].options
        if options:
            drill.decide(key, rng.choice(list(options)), "bench", "bench")
        else:
            drill.complete_step(key)
        return
    if ready:
        drill.start_step(rng.choice(ready))


_FOLD_PROBE = """
import json, sys, time, tracemalloc
sys.path.insert(0, {root!r})
from engine.drill.log import read_log
from engine.plans import load_plan
from engine.drill.session import replay
plan = load_plan({scenario!r})
trace = {trace!r}
if trace:
    tracemalloc.start()
def hwm():
    # VmHWM: the peak RSS of this process image. ru_maxrss would not do: Linux carries it over from
    # the parent across fork and exec, and the parent holds a big log in memory by now.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
before = hwm()
start = time.perf_counter()
read = read_log({log!r})
mid = time.perf_counter()
state = replay(plan, read)
end = time.perf_counter()
peak = tracemalloc.get_traced_memory()[1] if trace else 0
print(json.dumps({{"read": mid - start, "replay": end - mid, "events": len(read.events),
                   "rss_before_kb": before, "rss_kb": hwm(),
                   "traced": peak}}))
"""


def fold_in_subprocess(log: str, trace: bool) -> dict:  # type: ignore[type-arg]
    import json

    code = _FOLD_PROBE.format(root=str(ROOT), scenario=str(SCENARIO), log=log, trace=trace)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def bench_fold(events: int, repeat: int) -> None:
    from engine.drill.log import read_log
    from engine.drill.session import replay
    from engine.plans import load_plan

    folder = tempfile.mkdtemp(prefix="tabletop-bench-")
    try:
        path = os.path.join(folder, "big.jsonl")
        start = time.perf_counter()
        write_big_log(path, events)
        written = time.perf_counter() - start
        size = os.path.getsize(path)
        plan = load_plan(str(SCENARIO))
        read = read_log(path)
        assert read.ok, read.problem
        kinds: dict[str, int] = {}
        for event in read.events:
            kinds[event.type] = kinds.get(event.type, 0) + 1
        mix = ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])[:6])
        print(f"(a) log: {len(read.events):,} events, {size / 1e6:.1f} MB, written in {written:.1f} s (no fsync)")
        print(f"    mix: {mix}")
        t_read = best_of(repeat, lambda: read_log(path))
        t_replay = best_of(repeat, lambda: replay(plan, read))
        t_both = best_of(repeat, lambda: replay(plan, read_log(path)))
        goal = "meets" if t_both < 1.0 else "MISSES"
        print(f"    read_log {t_read * 1000:7.0f} ms   replay {t_replay * 1000:7.0f} ms   "
              f"read_log + replay {t_both * 1000:7.0f} ms  (best of {repeat}; {goal} the 1 s goal)")
        plain = fold_in_subprocess(path, trace=False)
        traced = fold_in_subprocess(path, trace=True)
        rss = plain["rss_kb"] / 1024
        grown = (plain["rss_kb"] - plain["rss_before_kb"]) / 1024
        goal = "meets" if rss < 300 else "MISSES"
        print(f"    fresh process: read {plain['read'] * 1000:.0f} ms + replay {plain['replay'] * 1000:.0f} ms; "
              f"peak RSS {rss:.0f} MB ({grown:.0f} MB of it for the fold; {goal} the 300 MB goal); "
              f"tracemalloc peak {traced['traced'] / 1e6:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ----- (b) appends with fsync -----

def bench_append(seconds: float) -> None:
    from engine.drill.clock import FakeClock
    from engine.drill.session import Drill
    from engine.plans import load_plan

    exports = ROOT / "exports"
    folder = tempfile.mkdtemp(prefix=".bench-", dir=exports)
    try:
        plan = load_plan(str(SCENARIO))
        clock = FakeClock(datetime(2026, 1, 22, 19, 33, tzinfo=UTC))
        drill = Drill.start(plan, clock, log_path=os.path.join(folder, "append.jsonl"))
        key = next(k for k, s in plan.steps.items() if s.do)
        count = 0
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            clock.advance(0.5)
            drill.tick(key, 0, count % 2 == 0)
            count += 1
        drill.close()
        fs = _filesystem(folder)
        print(f"(b) append with fsync per event (Drill.record: check, write, fsync, apply) on {fs}: "
              f"{count / elapsed:,.0f} events/s ({count:,} in {elapsed:.1f} s, "
              f"{elapsed / count * 1000:.2f} ms each)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _filesystem(folder: str) -> str:
    try:
        out = subprocess.run(["df", "-T", folder], capture_output=True, text=True, check=True).stdout.splitlines()
        fields = out[-1].split()
        return f"{fields[1]} ({fields[0]}, mounted on {fields[-1]})"
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "the exports folder's filesystem"


# ----- (c) explore -----

def generated_plan(folder: Path, decisions: int):  # type: ignore[no-untyped-def]
    """A runbook of `decisions` decisions in a row, each opening one of two branches joined after it."""
    from engine.plans import load_plan

    lines = ["runbook: chain", "title: Decisions in a row", "services:", "  grid: The power grid", "steps:"]
    previous = None
    for i in range(decisions):
        needs = f"    needs: [join-{previous}]" if previous is not None else None
        lines += [f"  decide-{i}:", f"    title: Decision {i}", "    target: 5m"]
        if needs:
            lines.append(needs)
        lines += ["    decision:", f"      question: Which way at {i}?", "      options:",
                  f"        left: {{label: Left, next: [left-{i}]}}",
                  f"        right: {{label: Right, next: [right-{i}]}}",
                  f"  left-{i}:", f"    title: Left {i}", "    target: 10m", "    requires: [grid]",
                  f"  right-{i}:", f"    title: Right {i}", "    target: 20m",
                  f"  join-{i}:", f"    title: Join {i}", f"    needs: [left-{i}, right-{i}]"]
        previous = i
    (folder / "runbooks").mkdir()
    (folder / "scenarios").mkdir()
    (folder / "runbooks" / "chain.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    scenario = ("scenario: chain-day\ntitle: A day of choices\nrunbooks: [chain]\nduration: 8h\ninjects:\n"
                "  - id: brownout\n    at: T+30m\n    services: {grid: degraded}\n"
                "  - id: all-clear\n    at: T+2h\n    services: {grid: up}\n")
    (folder / "scenarios" / "chain-day.yaml").write_text(scenario, encoding="utf-8")
    return load_plan(str(folder / "scenarios" / "chain-day.yaml"))


def bench_explore(decisions: int, repeat: int) -> None:
    from engine.drill.explore import PATH_LIMIT, explore, fork_by_deepcopy, fork_by_refold
    from engine.plans import load_plan

    plan = load_plan(str(SCENARIO))
    paths = len(list(explore(plan)))
    t = best_of(repeat, lambda: list(explore(plan)))
    print(f"(c) explore, shipped scenario: {paths} paths in {t * 1000:.1f} ms = {paths / t:,.0f} paths/s "
          f"(in process, best of {repeat})")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "engine", "explore", str(SCENARIO)]
    start = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=False, cwd=ROOT)
    print(f"    `tabletop explore` on it, whole command with start-up and validation: "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    for name, fork in (("deepcopy", fork_by_deepcopy), ("refold", fork_by_refold)):
        t = best_of(repeat, lambda fork=fork: list(explore(plan, fork=fork)))
        print(f"    fork by {name:<8} shipped: {t * 1000:6.1f} ms")
    folder = Path(tempfile.mkdtemp(prefix="tabletop-bench-"))
    try:
        big = generated_plan(folder, decisions)
        limit = max(PATH_LIMIT, 2 ** decisions)
        for name, fork in (("deepcopy", fork_by_deepcopy), ("refold", fork_by_refold)):
            exploration = explore(big, limit, fork=fork)
            start = time.perf_counter()
            n = len(list(exploration))
            t = time.perf_counter() - start
            print(f"    fork by {name:<8} generated, {decisions} decisions in a row: {n:,} paths in {t:.2f} s "
                  f"= {n / t:,.0f} paths/s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_groups(repeat: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    from engine.drill.explore import explore
    from engine.plans import load_plan

    folder = Path(tempfile.mkdtemp(prefix="tabletop-bench-"))
    try:
        for shape, make, sizes in (("unrelated", workloads.unrelated, (4, 8, 12, 16, 20)),
                                   ("interacting", workloads.interacting, (4, 6, 8, 10, 12))):
            for n in sizes:
                plan = load_plan(str(make(folder / f"{shape}-{n}", n)))
                best = float("inf")
                for _ in range(repeat):
                    start = time.process_time()
                    exploration = explore(plan, 10**9)  # grouping the decisions counts too
                    for _end in exploration:
                        pass
                    best = min(best, time.process_time() - start)
                groups = len(exploration.group_paths)
                print(f"(d) explore, {n:2} {shape} decisions: {exploration.paths:5} paths played standing for "
                      f"{exploration.total:8} ({groups} group{'s' if groups != 1 else ''}), "
                      f"{best:.3f} s CPU (best of {repeat})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--append-seconds", type=float, default=5.0)
    parser.add_argument("--decisions", type=int, default=9)
    parser.add_argument("--only", choices=["fold", "append", "explore", "groups"])
    args = parser.parse_args()
    if args.only in (None, "fold"):
        bench_fold(args.events, args.repeat)
    if args.only in (None, "append"):
        bench_append(args.append_seconds)
    if args.only in (None, "explore"):
        bench_explore(args.decisions, args.repeat)
    if args.only in (None, "groups"):
        bench_groups(min(args.repeat, 3))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; max RSS of this process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
