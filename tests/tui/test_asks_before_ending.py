"""Ending asks when something is missing: `c` on a step with checklist items open names them first, and
finishing the hot wash with objectives unrated names them first. In the hot wash a rating key marks the
rating and the focus stays: Enter goes on to the comment."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle, type_text

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.tui.app import DrillApp
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.hotwash import HotwashScreen
from engine.tui.screens.summary import SummaryScreen

MAIL = "inbound-mail-continuity"
STEP = f"{MAIL}/detect-deferrals"


def _drill(plan: Plan, clock: FakeClock, log: Path) -> Drill:
    drill = Drill.start(plan, clock, log_path=str(log), facilitator="Sam")
    drill.fire_due()
    return drill


def test_c_with_open_checklist_items_asks_first_naming_them(shipped_plan: Plan, clock: FakeClock,
                                                            tmp_path: Path) -> None:
    drill = _drill(shipped_plan, clock, tmp_path / "d.jsonl")
    drill.start_step(STEP)
    drill.tick(STEP, 0)
    drill.tick(STEP, 2)
    app = DrillApp(shipped_plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    seen: dict[str, str] = {}

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await goto(pilot, STEP)
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            seen["ask"] = screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert drill.state.status(STEP) is StepStatus.ACTIVE
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, ConsoleScreen)

    asyncio.run(run())
    assert "Mark detect-deferrals done?" in seen["ask"]
    assert "2 of 4 checklist items are not ticked:" in seen["ask"]
    assert "[ ] Read the SMTP reply the probe received" in seen["ask"]
    assert drill.state.status(STEP) is StepStatus.DONE


def test_c_with_every_item_ticked_asks_nothing(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    drill = _drill(shipped_plan, clock, tmp_path / "d.jsonl")
    drill.start_step(STEP)
    for item in range(4):
        drill.tick(STEP, item)
    app = DrillApp(shipped_plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await goto(pilot, STEP)
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, ConsoleScreen)

    asyncio.run(run())
    assert drill.state.status(STEP) is StepStatus.DONE


def test_finishing_the_hot_wash_with_objectives_unrated_asks_naming_them(shipped_plan: Plan, clock: FakeClock,
                                                                         tmp_path: Path) -> None:
    log = tmp_path / "d.jsonl"
    drill = _drill(shipped_plan, clock, log)
    drill.end("time")
    app = DrillApp(shipped_plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    first, second = list(shipped_plan.objectives)[:2]
    seen: dict[str, str] = {}

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HotwashScreen)
            await pilot.press("s")  # S marks the rating; the focus stays on the ratings
            assert app.screen.focused is not None and app.screen.focused.id == "rating"
            await pilot.press("enter")  # on to the comment
            await type_text(pilot, "Probe took 12 minutes")
            await pilot.press("enter")  # records it; the next objective
            await settle(pilot)
            await pilot.press("ctrl+e")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            seen["ask"] = screen_text(app)
            await pilot.press("escape")  # back to rate them
            await settle(pilot)
            assert isinstance(app.screen, HotwashScreen)
            await pilot.press("ctrl+e")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)

    asyncio.run(run())
    assert "Finish the hot wash?" in seen["ask"]
    total = len(shipped_plan.objectives)
    assert f"{total - 1} of {total} objectives are not rated" in seen["ask"]
    assert second in seen["ask"] and f"  {first}\n" not in seen["ask"]
    [rating] = [e for e in read_log(str(log)).events if e.type == ev.RATING]
    assert rating.data == {"objective": first, "rating": "S", "comment": "Probe took 12 minutes"}
