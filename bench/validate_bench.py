"""Benchmarks for `tabletop validate`, in process and from cold (run on demand, not in CI):

    python bench/validate_bench.py [--steps 500,5000,50000] [--repeat 5] [--chaos PATH]

Prints, with the ratios issue 16 sets goals for (CPU time, best of --repeat):
  - for a shipped runbook and generated runbooks of each size: PyYAML's C
    loader (yaml.CSafeLoader) merely parsing the bytes; tabletop reading them
    (compose + positions); validate as the command runs it (quick check) and
    with every model through pydantic; the ratios of each to the C parse;
  - cold start of `tabletop validate` on one small shipped file, whole
    processes, medians: against `python -c pass` and, where `chaos` is on PATH
    (or given by --chaos; `pip install chaostoolkit`), `chaos validate`.
bench/side_by_side.py measures the same cases as whole processes, against
another checkout; this file shows where the time of one goes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """The least CPU time (process_time, seconds) of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def in_process(name: str, path: Path, repeat: int) -> None:
    import yaml

    from engine.config import Config
    from engine.load import read_document
    from engine.validate import validate

    data = path.read_bytes()
    config = Config(max_file_bytes=len(data) + 1)
    validate([str(path)], config)  # the pydantic models, built once, as a long-lived process keeps them
    parse = best_of(repeat, lambda: yaml.load(data, Loader=yaml.CSafeLoader))  # noqa: S506 - the C safe loader
    read = best_of(repeat, lambda: read_document(str(path), max_bytes=len(data) + 1))
    quick = best_of(repeat, lambda: validate([str(path)], config, quick=True))
    slow = best_of(repeat, lambda: validate([str(path)], config))
    print(f"{name:<22} {len(data) / 1024:8.0f} KiB  C parse {parse * 1000:8.1f} ms  read {read * 1000:8.1f} ms "
          f"({read / parse:.2f}x)  validate {quick * 1000:8.1f} ms ({quick / parse:.2f}x)  "
          f"through pydantic {slow * 1000:8.1f} ms ({slow / parse:.2f}x)", flush=True)


def cpu_of(argv: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one whole process."""
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def cold_start(repeat: int, chaos: str | None) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte-compiled (compileall below)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "engine")], check=True,
                   stdout=subprocess.DEVNULL)
    rows = {"tabletop validate": [sys.executable, "-m", "engine", "validate", str(SMALL)],
            "python -c pass": [sys.executable, "-c", "pass"]}
    if chaos:
        experiment = Path(tempfile.mkdtemp(prefix="tabletop-bench-")) / "experiment.json"
        experiment.write_text('{"title": "t", "description": "d", "method": [{"type": "probe", "name": "p", '
                              '"provider": {"type": "python", "module": "os.path", "func": "exists", '
                              '"arguments": {"path": "/"}}}]}', encoding="utf-8")
        rows["chaos validate"] = [chaos, "--no-log-file", "validate", str(experiment)]
    times: dict[str, list[float]] = {label: [] for label in rows}
    for _ in range(repeat + 1):  # the first round warms the caches and is dropped
        for label, argv in rows.items():
            times[label].append(cpu_of(argv, env))
    median = {label: statistics.median(t[1:]) for label, t in times.items()}
    shown = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in median.items())
    print(f"cold start, one small file (CPU, medians): {shown}")
    for label in list(rows)[1:]:
        print(f"  tabletop validate / {label}: {median['tabletop validate'] / median[label]:.2f}x"
              + ("  (goal <= 1.0x)" if label == "chaos validate" else ""))
    if not chaos:
        print("  (no `chaos` on PATH and no --chaos: not compared with Chaos Toolkit)")


SMALL = ROOT / "runbooks" / "inbound-mail-continuity.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", default="500,5000,50000", help="comma-separated sizes of generated runbooks")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chaos", metavar="PATH", help="the `chaos` command (default: on PATH)")
    args = parser.parse_args()
    print("goals (issue 16): validate <= 2x the C parse at 500 steps, <= 1.3x at 5,000 and 50,000; "
          "cold start <= 1.0x chaos validate")
    in_process("a shipped runbook", SMALL, args.repeat)
    folder = Path(tempfile.mkdtemp(prefix="tabletop-bench-"))
    for steps in (int(n) for n in args.steps.split(",")):
        path = folder / f"generated-{steps}.yaml"
        path.write_text(generate(steps), encoding="utf-8")
        in_process(f"{steps:,} steps", path, args.repeat if steps < 50_000 else max(1, args.repeat // 3))
    cold_start(args.repeat, args.chaos or shutil.which("chaos"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
