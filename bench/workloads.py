"""Generated runbooks, scenarios and logs for bench/side_by_side.py (run on demand, not in CI).

Every generator writes plain files into a folder and returns the path to
hand to `tabletop`; the same arguments always write the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from validate_bench import generate as generated_runbook  # noqa: E402


def _folders(folder: Path) -> tuple[Path, Path]:
    runbooks, scenarios = folder / "runbooks", folder / "scenarios"
    runbooks.mkdir(parents=True, exist_ok=True)
    scenarios.mkdir(parents=True, exist_ok=True)
    return runbooks, scenarios


def runbook_file(folder: Path, steps: int) -> Path:
    """The validate workload: a runbook of `steps` steps shaped like real ones (see validate_bench)."""
    path = folder / f"runbook-{steps}.yaml"
    path.write_text(generated_runbook(steps), encoding="utf-8")
    return path


def _scenario(scenarios: Path, name: str, runbooks: list[str], injects: list[str], duration: str = "8h") -> Path:
    lines = [f"scenario: {name}", f"title: Generated scenario {name}", f"runbooks: [{', '.join(runbooks)}]",
             f"duration: {duration}", "anchor: 2026-01-22T19:33:00Z", "injects:", *injects]
    path = scenarios / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _kickoff() -> list[str]:
    return ["  - id: kickoff", "    at: T+0m", "    say: The exercise begins."]


def unrelated(folder: Path, decisions: int) -> Path:
    """`decisions` decisions that share nothing: each opens one of two branches of its own."""
    runbooks, scenarios = _folders(folder)
    lines = ["runbook: unrelated", "title: Decisions that share nothing", "steps:"]
    for i in range(decisions):
        lines += [f"  decide-{i}:", f"    title: Decision {i}", "    target: 5m",
                  "    decision:", f"      question: Which way at {i}?", "      options:",
                  f"        left: {{label: Left, next: [left-{i}]}}",
                  f"        right: {{label: Right, next: [right-{i}]}}",
                  f"  left-{i}:", f"    title: Left {i}", "    target: 10m",
                  f"  right-{i}:", f"    title: Right {i}", "    target: 20m"]
    (runbooks / "unrelated.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _scenario(scenarios, "unrelated-day", ["unrelated"], _kickoff())


def interacting(folder: Path, decisions: int) -> Path:
    """`decisions` decisions in a row, each waiting on the join of the one before; a service flaps."""
    runbooks, scenarios = _folders(folder)
    lines = ["runbook: chain", "title: Decisions in a row", "services:", "  grid: The power grid", "steps:"]
    for i in range(decisions):
        lines += [f"  decide-{i}:", f"    title: Decision {i}", "    target: 5m"]
        if i:
            lines.append(f"    needs: [join-{i - 1}]")
        lines += ["    decision:", f"      question: Which way at {i}?", "      options:",
                  f"        left: {{label: Left, next: [left-{i}]}}",
                  f"        right: {{label: Right, next: [right-{i}]}}",
                  f"  left-{i}:", f"    title: Left {i}", "    target: 10m", "    requires: [grid]",
                  f"  right-{i}:", f"    title: Right {i}", "    target: 20m",
                  f"  join-{i}:", f"    title: Join {i}", f"    needs: [left-{i}, right-{i}]"]
    (runbooks / "chain.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    injects = ["  - id: brownout", "    at: T+30m", "    services: {grid: degraded}",
               "  - id: all-clear", "    at: T+2h", "    services: {grid: up}"]
    return _scenario(scenarios, "chain-day", ["chain"], injects)


def wrap_up(folder: Path, decisions: int) -> Path:
    """`decisions` decisions, each opening one of two branches of its own, and a close-out step that needs
    every decision step ("close the incident when every call is made"): the choices share nothing."""
    runbooks, scenarios = _folders(folder)
    lines = ["runbook: wrap-up", "title: Close when every call is made", "steps:"]
    for i in range(decisions):
        lines += [f"  decide-{i}:", f"    title: Decision {i}", "    target: 5m",
                  "    decision:", f"      question: Which way at {i}?", "      options:",
                  f"        left: {{label: Left, next: [left-{i}]}}",
                  f"        right: {{label: Right, next: [right-{i}]}}",
                  f"  left-{i}:", f"    title: Left {i}", "    target: 10m",
                  f"  right-{i}:", f"    title: Right {i}", "    target: 20m"]
    lines += ["  close-out:", "    title: Close out", "    target: 15m",
              f"    needs: [{', '.join(f'decide-{i}' for i in range(decisions))}]"]
    (runbooks / "wrap-up.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _scenario(scenarios, "wrap-up-day", ["wrap-up"], _kickoff())


def long_runbook(folder: Path, steps: int) -> Path:
    """A scenario over one generated runbook of `steps` steps, with a service outage and recovery."""
    runbooks, scenarios = _folders(folder)
    text = generated_runbook(steps).replace("runbook: generated", "runbook: long", 1)
    (runbooks / "long.yaml").write_text(text, encoding="utf-8")
    injects = [*_kickoff(), "  - id: outage", "    at: T+1h", "    services: {primary: down}",
               "  - id: recovery", "    at: T+3h", "    services: {primary: up}"]
    return _scenario(scenarios, "long-day", ["long"], injects, duration="2000h")


def many_injects(folder: Path, injects: int) -> Path:
    """A small runbook and a scenario of `injects` injects a minute apart; every tenth flips a service."""
    runbooks, scenarios = _folders(folder)
    lines = ["runbook: small", "title: A small runbook", "services:", "  primary: Primary", "steps:"]
    for i in range(20):
        lines += [f"  s{i}:", f"    title: Step {i}", "    target: 30m", "    requires: [primary]"]
        if i:
            lines.append(f"    needs: [s{i - 1}]")
    (runbooks / "small.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out: list[str] = []
    for i in range(injects):
        out += [f"  - id: inject-{i}", f"    at: T+{i}m", f"    say: Update number {i} from the bridge."]
        if i % 10 == 9:
            out.append(f"    services: {{primary: {'degraded' if i % 20 == 9 else 'up'}}}")
    return _scenario(scenarios, "busy-day", ["small"], out, duration=f"{injects // 60 + 2}h")


def coverage_set(folder: Path, runbooks_count: int = 10, steps: int = 500) -> Path:
    """`runbooks_count` generated runbooks of `steps` steps and as many scenarios, each over one runbook."""
    runbooks, scenarios = _folders(folder)
    for n in range(runbooks_count):
        text = generated_runbook(steps).replace("runbook: generated", f"runbook: rb-{n}", 1)
        (runbooks / f"rb-{n}.yaml").write_text(text, encoding="utf-8")
        injects = [*_kickoff(), "  - id: outage", "    at: T+1h", "    services: {primary: down}",
                   "  - id: recovery", "    at: T+3h", "    services: {primary: up}"]
        _scenario(scenarios, f"sc-{n}", [f"rb-{n}"], injects, duration="400h")
    return folder


def big_log(path: Path, events: int) -> Path:
    """A drill log of about `events` events on the shipped scenario, written once and kept (see drill_bench)."""
    if not path.exists():
        from drill_bench import write_big_log

        tmp = path.with_suffix(".partial")
        tmp.unlink(missing_ok=True)
        write_big_log(str(tmp), events)
        tmp.rename(path)
    return path
