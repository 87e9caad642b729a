"""The improvement loop end to end: the team-file drill's area for improvement becomes a plan item, the
item is marked done, and a later live drill in the console, driven key by key, rates the objective it
touches S; `tabletop plan status` then shows the item verified by that log."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from conftest import ROOT, settle, type_text

from engine.cli import main
from engine.drill.clock import FakeClock
from engine.plans import load_plan
from engine.tui.app import DrillApp
from engine.tui.screens.hotwash import HotwashScreen
from engine.tui.screens.inject import InjectScreen
from engine.tui.screens.summary import SummaryScreen

ACCOUNTABLE = "admin-console-loss/provider-accountability"


def _run(capsys, *args: object) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out


async def _live_drill_rating(root: Path, log: Path, objective: str, rating: str) -> None:
    plan = load_plan(str(root / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(root / "runbooks")])
    clock = FakeClock(datetime(2026, 2, 10, 14, 0, tzinfo=UTC))
    app = DrillApp(plan, clock, log_path=str(log), scenario_path="scenario.yaml", blink=False, tick_seconds=3600,
                   key_guard=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "Sam")
        await pilot.press("ctrl+s")
        await settle(pilot)
        while isinstance(app.screen, InjectScreen):
            await pilot.press("enter")
            await settle(pilot)
        clock.advance(1800)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HotwashScreen)
        for _ in range(screen.objectives.index(objective)):
            await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.objectives[screen.index] == objective
        await pilot.press(rating.lower(), "enter")  # the rating, then on to the comment
        await type_text(pilot, "Escalated from the printed sheet in 12 minutes")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("y")  # the other objectives are not rated: it asks first
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("q")


def test_a_later_live_drill_verifies_a_done_item(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "repo"
    for part in ("runbooks", "scenarios", "schemas"):
        shutil.copytree(ROOT / part, root / part)
    monkeypatch.chdir(root)
    monkeypatch.setenv("TABLETOP_CACHE", str(tmp_path / "cache"))
    team = Path("exports/drills/team.jsonl")
    code, _ = _run(capsys, "play", "scenarios/m365-na-outage-2026-01-22.yaml", "--team",
                   ROOT / "teams" / "m365-na-outage.team.yaml", "--log", team)
    assert code == 0
    code, out = _run(capsys, "plan", "add", team)
    assert code == 0 and "wrote improvements/team.yaml: 1 item" in out

    plan_file = root / "improvements" / "team.yaml"
    text = plan_file.read_text(encoding="utf-8")
    for old, new in (("    action:\n", "    action: Print the escalation numbers into the binder\n"),
                     ("    owner:\n", "    owner: Kerry Walsh\n"), ("    due:\n", "    due: 2026-02-15\n"),
                     ("    status: open\n", "    status: done\n    completed: 2026-02-01\n")):
        assert old in text
        text = text.replace(old, new)
    plan_file.write_text(text, encoding="utf-8")
    code, out = _run(capsys, "validate", "improvements", "runbooks", "--today", "2026-03-01")
    assert code == 0 and "improvement-" not in out

    code, out = _run(capsys, "plan", "status", "--today", "2026-02-09")
    assert code == 0
    assert "ip-20260122-49  done" in out
    assert "done; waiting for a live drill since 2026-02-01" in out

    live = root / "exports" / "drills" / "live.jsonl"
    asyncio.run(_live_drill_rating(root, live, ACCOUNTABLE, "S"))
    rating_line = next(n for n, line in enumerate(live.read_text(encoding="utf-8").splitlines(), start=1)
                       if '"type":"rating"' in line)

    code, out = _run(capsys, "plan", "status", "--today", "2026-02-11")
    assert code == 0
    assert (f"ip-20260122-49 verified verified by live.jsonl (2026-02-10), line {rating_line}: objective "
            f"{ACCOUNTABLE} rated S") in " ".join(out.split())
    code, out = _run(capsys, "plan", "status", "--today", "2026-02-11", "--format", "json")
    [item] = json.loads(out)["items"]
    assert item["standing"] == "verified" and item["status"] == "done"
    assert item["verified_by"] == {"log": "live.jsonl", "date": "2026-02-10", "line": rating_line,
                                   "what": f"objective {ACCOUNTABLE} rated S"}
