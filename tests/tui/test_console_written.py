"""The console's writing actions, driven with keys as a facilitator would: an ad-hoc inject (a), a service's
health by hand (h), and, on resume after a crash, the question whether the time away counts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from conftest import screen_text, settle, type_text
from test_console_snapshots import _midway

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.adhoc import AdhocScreen
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.inject import InjectScreen
from engine.tui.screens.time_away import TimeAwayScreen
from engine.tui.widgets.inject_timeline import InjectTimeline


def _events(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


async def _adhoc(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _midway(plan, clock, log)
    app.key_guard = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(_events(log))
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AdhocScreen)
        await type_text(pilot, "The CFO walks in asking for an ETA")
        await pilot.press("enter", "down", "space", "enter")  # To: the second role, messaging-lead
        await type_text(pilot, "dns=down")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no service 'dns'; the runbooks have exchange-online" in screen_text(app)
        assert len(_events(log)) == before  # nothing written
        await pilot.press(*["backspace"] * 8)
        await type_text(pilot, "relay-mx=down")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "adhoc-1 is delivered at T+0:43:05 to messaging-lead" in text
        assert "Service relay-mx: up → down." in text
        await pilot.press("escape")  # not now: back in the form, nothing written
        await settle(pilot)
        assert isinstance(app.screen, AdhocScreen) and len(_events(log)) == before
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, InjectScreen)  # announced, to be read out
        assert "The CFO walks in asking for an ETA" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        await pilot.press("3")
        await settle(pilot)
        assert any("adhoc-1 (ad hoc)" in str(o.prompt) for o in app.screen.query_one(InjectTimeline).options)
    events = _events(log)
    assert len(events) == before + 1
    assert events[-1]["type"] == "inject.adhoc"
    assert events[-1]["data"] == {"inject": "adhoc-1", "text": "The CFO walks in asking for an ETA",
                                  "to": ["messaging-lead"], "services": {"relay-mx": "down"}, "by": "Sam"}


def test_a_writes_an_inject_that_is_checked_confirmed_announced_and_listed(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_adhoc(shipped_plan, clock, tmp_path / "drill.jsonl"))


async def _service(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _midway(plan, clock, log)
    app.key_guard = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(_events(log))
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Choose the service, then its health" in screen_text(app)
        await pilot.press("down", "enter", "down", "down", "enter", "ctrl+s")  # mail-gateway, down
        await settle(pilot)
        text = screen_text(app)
        assert "mail-gateway goes from up to down at T+0:43:05, set by hand." in text
        assert "Step active → blocked: watch-queues." in text
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert app.drill is not None and app.drill.state.services["mail-gateway"] == "down"
    events = _events(log)
    assert len(events) == before + 1
    assert (events[-1]["type"], events[-1]["data"]) == ("service.changed", {"service": "mail-gateway", "to": "down"})


def test_h_sets_a_service_by_hand_after_naming_what_it_blocks(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_service(shipped_plan, clock, tmp_path / "drill.jsonl"))


async def _crashed(plan: Plan, clock: FakeClock, log: Path, answer: str) -> tuple[str, Drill]:
    drill = Drill.start(plan, clock, log_path=str(log), facilitator="Sam")
    drill.fire_due()
    clock.advance(600)
    drill.start_step("inbound-mail-continuity/detect-deferrals")  # the last event, at T+0:10
    clock.advance(300)
    drill.close()  # killed: the clock was running, nothing paused it
    clock.advance(25 * 60 + 7)
    resumed = Drill.resume(plan, str(log), clock)
    app = DrillApp(plan, clock, resumed, resumed=True, blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TimeAwayScreen)
        assert len(app._notifications) == 0  # the question says all a notice would, and a notice covers its buttons
        text = screen_text(app)
        await pilot.press(answer)
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
    resumed.close()
    return text, resumed


def test_resume_after_a_crash_asks_whether_the_time_away_counts(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    text, drill = asyncio.run(_crashed(shipped_plan, clock, tmp_path / "drill.jsonl", "c"))
    assert "The last event was written at 2026-01-22 19:43:00 UTC, 30m 07s ago;" in text
    assert "exercise clock read T+0:10:00 then" in text
    assert "Count it: the clock moves on to T+0:40:07" in text
    gap = _events(tmp_path / "drill.jsonl")[-1]
    assert (gap["type"], gap["data"]) == ("clock.gap", {"since": "2026-01-22T19:43:00.000Z", "away": 1807.0,
                                                         "counted": True})
    assert drill.state.t == 600 + 1807 and not drill.state.running


def test_not_counting_leaves_the_clock_where_it_stopped(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _, drill = asyncio.run(_crashed(shipped_plan, clock, tmp_path / "drill.jsonl", "n"))
    gap = _events(tmp_path / "drill.jsonl")[-1]
    assert gap["data"]["counted"] is False and drill.state.t == 600
