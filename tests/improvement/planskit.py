"""Helpers shared by the improvement-plan and readiness tests (not a test module): a project folder
with the shipped runbooks and scenarios, drills written through the Drill API on a fake clock, and the
`tabletop` command run in this process."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.cli import main
from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "scenarios/m365-na-outage-2026-01-22.yaml"
TEAM = ROOT / "teams" / "m365-na-outage.team.yaml"
ESCALATION = "admin-console-loss/provider-escalation"
ACCOUNTABLE = "admin-console-loss/provider-accountability"


def project(folder: Path) -> Path:
    """A copy of the shipped runbooks, scenarios and schemas in `folder`/repo, ready to drill in."""
    root = folder / "repo"
    for part in ("runbooks", "scenarios", "schemas"):
        shutil.copytree(ROOT / part, root / part)
    (root / "exports" / "drills").mkdir(parents=True)
    return root


def tabletop(capsys: Any, *args: object) -> tuple[int, str, str]:
    """Run the `tabletop` command here (not in a subprocess): exit code, stdout, stderr."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def team_drill(capsys: Any, root: Path) -> Path:
    """The shipped team-file drill, played headless into root/exports/drills; returns its log."""
    log = root / "exports" / "drills" / "team-drill.jsonl"
    code, _, err = tabletop(capsys, "play", root / SCENARIO, "--team", TEAM, "--log", log)
    assert code == 0, err
    return log


def drill(root: Path, name: str, start: datetime, *, mode: str = "live",
          body: Callable[[Drill, FakeClock], None] | None = None) -> Path:
    """A drill of the shipped scenario written through the Drill API: started, `body`, ended."""
    plan = load_plan(str(root / SCENARIO), [str(root / "runbooks")])
    clock = FakeClock(start.replace(tzinfo=UTC) if start.tzinfo is None else start)
    log = root / "exports" / "drills" / name
    session = Drill.start(plan, clock, log_path=str(log), mode=mode, facilitator="Sam")
    try:
        if body:
            body(session, clock)
        if not session.state.ended:
            session.end("finished")
    finally:
        session.close()
    return log
