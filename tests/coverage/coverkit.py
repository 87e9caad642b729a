"""Helpers shared by the coverage tests (not a test module): the fixture set copied where a test may
change it, drill logs played on a fake clock, and the `tabletop` command run in this process."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.cli import main
from engine.drill.clock import FakeClock
from engine.drill.play import Player
from engine.drill.session import Drill
from engine.plans import load_plan

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def fixture_set(folder: Path) -> Path:
    """A copy of the fixture runbooks and scenarios under `folder` (returned)."""
    target = folder / "set"
    shutil.copytree(DATA, target)
    return target


def play_log(root: Path, scenario: str, log: Path, start: datetime, decide: dict[str, str] | None = None,
             mode: str = "live") -> Path:
    """Play a scenario of the set at `root` to its end, from `start`, writing `log` with drill.started `mode`.

    The default, `live`, stands for a console drill (coverage counts it); `headless` is what `tabletop play`
    writes (a rehearsal, counted only with --include-headless).
    """
    plan = load_plan(str(root / "scenarios" / f"{scenario}.yaml"), [str(root / "runbooks")])
    clock = FakeClock(start)
    drill = Drill.start(plan, clock, log_path=str(log), mode=mode)
    try:
        Player(drill, clock, decide=decide or {}).run()
    finally:
        drill.close()
    return log


def tabletop(capsys: Any, *args: object) -> tuple[int, str, str]:
    """Run the `tabletop` command here (not in a subprocess): exit code, stdout, stderr."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def coverage_json(capsys: Any, *args: object) -> dict[str, Any]:
    code, out, err = tabletop(capsys, "coverage", "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def cells(data: dict[str, Any], scenario: str) -> dict[str, str]:
    """Item key -> cell for one scenario."""
    return {item["key"]: item["cells"][scenario] for item in data["items"]}
