"""Benchmarks for `tabletop validate` (run on demand, not in CI):

    python bench/validate_bench.py [--steps 5000] [--repeat 5]

Reports, on a generated runbook of N steps:
  - validate wall time (whole pipeline, in process) and its ratio to the time
    PyYAML's C loader (yaml.CSafeLoader) takes merely to parse the same bytes;
  - peak memory (max RSS) of `tabletop validate` on it, in a subprocess;
  - the loader choice: ruamel C-parser compose vs ruamel round-trip load;
  - cold-start wall time of `tabletop validate` on one small shipped file.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(steps: int) -> str:
    """A runbook shaped like real ones: chains with joins, a decision every 50 steps, fallbacks."""
    out = [
        "runbook: generated",
        "title: A generated runbook for benchmarks",
        "services:",
        "  primary: The service most steps rely on",
        "roles:",
        "  lead: Leads",
        "  operator: Operates",
        "objectives:",
        "  finish: Finish every step",
        "steps:",
    ]
    for i in range(steps):
        sid = f"step-{i}"
        owner = "lead" if i % 2 else "operator"
        out += [f"  {sid}:", f"    title: Step number {i} of the generated runbook", f"    owner: {owner}",
                "    target: 15m", "    objectives: [finish]", "    do:",
                f"      - Check item one of {i}", f"      - Check item two of {i}"]
        block = i % 50
        if block == 10:
            out += ["    decision:", f"      question: Which way for block {i // 50}?", "      options:",
                    f"        left: {{label: Left, next: [step-{i + 1}]}}",
                    f"        right: {{label: Right, next: [step-{i + 2}]}}"]
        if i > 0 and block not in (11, 12):
            need = i - 1 if block != 13 else i - 3
            extra = f", step-{i - 2}" if block == 13 else (f", step-{i - 7}" if block > 20 and i % 3 == 0 else "")
            if block == 13:
                out.append(f"    needs: [step-{i - 1}, step-{i - 2}]")
            else:
                out.append(f"    needs: [step-{need}{extra}]")
        elif block in (11, 12):
            out.append(f"    needs: [step-{i - block + 10}]")
        if block == 30:
            out += ["    requires: [primary]", f"    fallback: fallback-{i}"]
    for i in range(steps):
        if i % 50 == 30:
            out += [f"  fallback-{i}:", "    title: Work around the outage", "    owner: lead"]
    return "\n".join(out) + "\n"


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import yaml
    from ruamel.yaml import YAML

    from engine.load import read_document
    from engine.validate import validate

    text = generate(args.steps)
    folder = Path(tempfile.mkdtemp(prefix="tabletop-bench-"))
    path = folder / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    print(f"generated runbook: {args.steps} steps, {len(text.splitlines()):,} lines, {len(text) / 1024:.0f} KiB")

    result = validate([str(path)])
    print(f"findings on it: {len(result.findings)} ({sorted({f.rule for f in result.findings})})")

    t_pyyaml = best_of(args.repeat, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    t_validate = best_of(args.repeat, lambda: validate([str(path)]))
    t_read = best_of(args.repeat, lambda: read_document(str(path)))
    print(f"PyYAML CSafeLoader parse:        {t_pyyaml * 1000:8.1f} ms")
    print(f"tabletop read (compose + walk):  {t_read * 1000:8.1f} ms")
    ratio = t_validate / t_pyyaml
    print(f"tabletop validate (in process):  {t_validate * 1000:8.1f} ms   ratio to PyYAML parse: {ratio:.2f}x")

    rt = YAML(typ="rt")
    t_rt = best_of(max(1, args.repeat // 2), lambda: rt.load(text))
    print(f"ruamel round-trip load:          {t_rt * 1000:8.1f} ms   (compose+walk is {t_rt / t_read:.1f}x faster)")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "engine", "validate", str(path)]
    start = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"`tabletop validate` subprocess:  {wall * 1000:8.1f} ms wall, peak RSS {peak_kb / 1024:.0f} MB")

    small = ROOT / "runbooks" / "inbound-mail-continuity.yaml"
    cold = []
    for _ in range(max(5, args.repeat)):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "engine", "validate", str(small)], env=env, capture_output=True)
        cold.append(time.perf_counter() - start)
    bare = []
    for _ in range(max(5, args.repeat)):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
        bare.append(time.perf_counter() - start)
    print(f"cold start, one small file:      {statistics.median(cold) * 1000:8.1f} ms median "
          f"(bare python: {statistics.median(bare) * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
