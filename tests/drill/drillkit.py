"""Helpers shared by the drill tests (not a test module): small plans from YAML text, a drill on a
fake clock with its log in a temporary folder, and the `tabletop` command run in this process."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.cli import main
from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
TEAM = ROOT / "teams" / "m365-na-outage.team.yaml"
DATA = Path(__file__).resolve().parent / "data"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def write_plan(folder: Path, runbook: str, scenario: str) -> Plan:
    """Write one runbook and one scenario under `folder` and load them as a drill plan."""
    (folder / "runbooks").mkdir(parents=True, exist_ok=True)
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    (folder / "runbooks" / "rb.yaml").write_text(runbook, encoding="utf-8")
    path = folder / "scenarios" / "sc.yaml"
    path.write_text(scenario, encoding="utf-8")
    return load_plan(str(path), [str(folder / "runbooks")])


def start(plan: Plan, folder: Path, name: str = "drill.jsonl") -> tuple[Drill, FakeClock]:
    clock = FakeClock(T0)
    return Drill.start(plan, clock, log_path=str(folder / name)), clock


def minutes(clock: FakeClock, n: float) -> None:
    clock.advance(n * 60)


def tabletop(capsys: Any, *args: str) -> tuple[int, str, str]:
    """Run the `tabletop` command here (not in a subprocess): exit code, stdout, stderr."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err
