"""Benchmark: a what-if fork of a 5,000-event drill, and the comparison of the two, each as a whole process
(`tabletop play --from LOG --at WHEN` and `tabletop report --compare A B`). Run on demand:

    .venv/bin/python bench/fork_bench.py [--events 5000] [--repeat 3] [--at T+5:00]

The parent is report_bench's busy ten-hour drill of the shipped scenario (notes and ticks fill it to the
asked number of events). Prints the best wall time of each command. The goal: under 1 s each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report_bench import play  # noqa: E402

from engine.plans import load_plan  # noqa: E402


def timed(argv: list[str]) -> float:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "engine", *argv], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    took = time.perf_counter() - began
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}: {done.stderr.strip()}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--at", default="T+5:00")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        parent = Path(folder) / "parent.jsonl"
        count = play(str(parent), load_plan(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml")),
                     args.events)
        print(f"parent: {count} events, {parent.stat().st_size} bytes")
        forks, compares = [], []
        for number in range(args.repeat):
            child = Path(folder) / f"fork-{number}.jsonl"
            forks.append(timed(["play", "--from", str(parent), "--at", args.at, "--decide",
                                "failover-decision=hold", "--log", str(child)]))
            compares.append(timed(["report", "--compare", str(parent), str(child), "--format", "md", "-o", "-"]))
        lines = sum(1 for _ in child.open("rb"))
        print(f"fork at {args.at} ({lines} events): best {min(forks):.3f} s of {args.repeat}")
        print(f"compare (md): best {min(compares):.3f} s of {args.repeat}")
        print(f"bare start (tabletop --help): {timed(['--help']):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
