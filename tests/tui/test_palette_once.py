"""The command palette lists each action once: Textual's own Quit is left out for the console's (which asks)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.actions import ACTIONS
from engine.tui.app import DrillApp


async def _titles(plan: Plan, clock: FakeClock, log: Path) -> list[str]:
    drill = Drill.start(plan, clock, log_path=str(log))
    drill.fire_due()
    app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        system = [command.title for command in app.get_system_commands(app.screen)]
    return system + [title for title, _ in ACTIONS.values()]


def test_each_action_is_listed_once(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    titles = asyncio.run(_titles(shipped_plan, clock, tmp_path / "p.jsonl"))
    assert titles.count("Quit") == 1
    assert len(titles) == len(set(titles))
