"""The console under issue 20's fault 1: the team fails over at T+0:20, the relay's alarm (Module 2's) fires
at T+0:50. The module bar stays on Module 1, the pop-up says the alarm came ahead of its module, and at
T+1:00 `m` offers Module 2 (not Module 3), naming exactly the injects that then fire."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import screen_text, settle

from engine.drill import modules
from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.inject import InjectScreen

MAIL = "inbound-mail-continuity"


async def _close_injects(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(20):
        if isinstance(pilot.app.screen, ConsoleScreen):
            return
        await pilot.press("escape")
        await settle(pilot)


async def _drive(plan: Plan, clock: FakeClock, log: Path) -> None:
    drill = Drill.start(plan, clock, log_path=str(log))
    drill.fire_due()
    for step in ("detect-deferrals", "declare-incident", "check-gateway-queues", "size-impact"):
        drill.complete_step(f"{MAIL}/{step}")
    clock.advance(20 * 60)
    drill.fire_due()
    drill.decide(f"{MAIL}/failover-decision", "fail-over", "invoices cannot wait", "incident-commander")
    clock.advance(30 * 60)
    app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.tick()  # T+0:50: the relay's alarm comes due and pops up with the others not read yet
        await settle(pilot)
        assert isinstance(app.screen, InjectScreen) and "relay-spool-alarm" in app.screen.injects
        await _close_injects(pilot)
        app.push_screen(InjectScreen(["relay-spool-alarm"]))
        await settle(pilot)
        shown = screen_text(app)
        assert "INJECT  relay-spool-alarm" in shown
        assert "Module: Listed under Module 2: The long evening of rebalancing; delivered early," in shown
        await _close_injects(pilot)
        bar = screen_text(app)
        assert "1/3  Module 1: The mail stops" in bar and "next: Module 2: The long evening" in bar
        clock.advance(10 * 60)  # T+1:00
        app.tick()
        await settle(pilot)
        await _close_injects(pilot)
        move = modules.move_on(drill.state, drill.now_t())
        assert move is not None and move.module.id == "long-evening"
        await pilot.press("m")
        await settle(pilot)
        asked = " ".join(screen_text(app).split())
        assert "Move on to Module 2" in asked
        assert f"these injects fire: {', '.join(move.injects)}." in asked
        before = drill.state.seq
        await pilot.press("y")
        await settle(pilot)
        await _close_injects(pilot)
        assert [i for i, f in drill.state.fired.items() if f.seq > before] == move.injects
        assert "2/3  Module 2: The long evening" in screen_text(app)


def test_an_early_contingency_inject_leaves_the_console_on_its_module(shipped_plan: Plan, clock: FakeClock,
                                                                      tmp_path: Path) -> None:
    asyncio.run(_drive(shipped_plan, clock, tmp_path / "m.jsonl"))
