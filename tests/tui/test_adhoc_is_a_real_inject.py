"""An ad hoc inject is a real inject: the form takes its expected action and the objectives it bears on,
the log records them field by field (left out when blank, so older logs read as before), an unknown
objective is refused with the drill's list, and evaluators see it with its expected action."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from conftest import screen_text, settle, type_text
from test_console_snapshots import _midway

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.room.views import evaluator
from engine.tui.screens.adhoc import AdhocScreen
from engine.tui.screens.confirm import ConfirmScreen

EXPECT = "The IC gives a time for the next update, not an ETA"


def test_expected_action_and_objectives_land_in_the_log_and_on_the_evaluator_page(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    log = tmp_path / "d.jsonl"
    app = _midway(shipped_plan, clock, log)
    app.key_guard = 0
    seen: dict[str, str] = {}

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("A")
            await settle(pilot)
            assert isinstance(app.screen, AdhocScreen)
            screen = app.screen
            await type_text(pilot, "The CFO walks in asking for an ETA")
            for _ in range(6):  # past To, Services and Event, left as they are
                if screen.focused is not None and screen.focused.id == "expect":
                    break
                await pilot.press("enter")
            assert screen.focused is not None and screen.focused.id == "expect"
            await type_text(pilot, EXPECT)
            await pilot.press("enter")
            await type_text(pilot, "no-such-objective")
            await pilot.press("ctrl+s")
            await settle(pilot)
            seen["refused"] = screen_text(app)
            await pilot.press(*["backspace"] * len("no-such-objective"))
            await type_text(pilot, "inform-people")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)

    asyncio.run(run())
    assert "No objective 'no-such-objective'" in seen["refused"]
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert last["type"] == "inject.adhoc"
    assert last["data"] == {"inject": "adhoc-1", "text": "The CFO walks in asking for an ETA", "to": [],
                            "by": "Sam", "expect": EXPECT,
                            "objectives": ["inbound-mail-continuity/inform-people"]}
    assert app.drill is not None
    page = evaluator(app.drill.state, app.drill.now_t())
    [written] = [i for i in page["injects"] if i["id"] == "adhoc-1"]
    assert written["expect"] == EXPECT
