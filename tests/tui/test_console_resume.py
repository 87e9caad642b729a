"""Quit mid-drill, resume from the log: the same statuses, the clock paused; an ended drill opens the hot wash."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.hotwash import HotwashScreen
from engine.tui.screens.inject import InjectScreen
from engine.tui.widgets.step_table import StepTable

MAIL = "inbound-mail-continuity"


async def _first_session(plan: Plan, clock: FakeClock, log: Path) -> dict[str, StepStatus]:
    app = DrillApp(plan, clock, log_path=str(log), blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")  # no names
        await settle(pilot)
        while isinstance(app.screen, InjectScreen):
            await pilot.press("escape")
            await settle(pilot)
        await goto(pilot, f"{MAIL}/detect-deferrals")
        await pilot.press("s", "x", "c")
        await settle(pilot)
        await pilot.press("y")  # three items still open: it asks first
        await settle(pilot)
        await goto(pilot, f"{MAIL}/declare-incident")
        await pilot.press("s")
        clock.advance(90)
        await pilot.press("q")
        await settle(pilot)
        assert "--resume" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
    assert app.drill is not None
    statuses = app.drill.state.statuses()
    app.drill.close()
    return statuses


async def _second_session(plan: Plan, clock: FakeClock, log: Path) -> tuple[dict[str, StepStatus], str, str]:
    drill = Drill.resume(plan, str(log), clock)
    app = DrillApp(plan, clock, drill, log_path=None, resumed=True, blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        table = app.screen.query_one(StepTable)
        row = table.get_row(f"{MAIL}/declare-incident")
        text = screen_text(app)
        statuses = drill.state.statuses()
    drill.close()
    return statuses, text, str(row[0])


def test_quit_and_resume_restores_every_status(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    log = tmp_path / "drill.jsonl"
    before = asyncio.run(_first_session(shipped_plan, clock, log))
    assert before[f"{MAIL}/detect-deferrals"] is StepStatus.DONE
    assert before[f"{MAIL}/declare-incident"] is StepStatus.ACTIVE
    clock.advance(3600)  # time away from the console does not count
    after, text, state_cell = asyncio.run(_second_session(shipped_plan, clock, log))
    assert after == before
    assert "PAUSED" in text and "T+0:01:30" in text
    assert state_cell == "▶ active"


async def _open_ended(plan: Plan, clock: FakeClock, log: Path) -> str:
    drill = Drill.start(plan, clock, log_path=str(log))
    first = next(iter(plan.objectives))
    drill.rate(first, "M", "slow")
    drill.end("time")
    drill.close()
    resumed = Drill.resume(plan, str(log), clock)
    app = DrillApp(plan, clock, resumed, resumed=True, blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HotwashScreen)
        text = screen_text(app)
    resumed.close()
    return text


def test_resuming_an_ended_drill_opens_the_hot_wash_at_the_first_unrated_objective(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    text = asyncio.run(_open_ended(shipped_plan, clock, tmp_path / "ended.jsonl"))
    assert "objective 2 of 12" in text and "1 rated" in text
