"""The jump dialog says what is true at the moment it says it: the clock it reads and the arithmetic of
a relative jump move with the exercise clock, and its last-field hint names the button as it reads."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import screen_text, settle, type_text
from test_console_snapshots import _midway

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.tui.screens.jump import JumpScreen


def test_the_jump_dialog_keeps_the_time_and_the_arithmetic_true(shipped_plan: Plan, clock: FakeClock,
                                                                 tmp_path: Path) -> None:
    app = _midway(shipped_plan, clock, tmp_path / "d.jsonl")
    app.key_guard = 0
    seen: list[str] = []

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            await settle(pilot)
            assert isinstance(app.screen, JumpScreen)
            await type_text(pilot, "+30m")
            await settle(pilot)
            seen.append(screen_text(app))
            clock.advance(3)  # the clock runs on while the dialog is open
            app.tick()
            await settle(pilot)
            seen.append(screen_text(app))
            await pilot.press("enter")  # the only field: says how to record, naming the button
            await settle(pilot)
            seen.append(screen_text(app))

    asyncio.run(run())
    assert "The clock reads T+0:43:05." in seen[0] and "→ T+1:13:05 (+30m)" in seen[0]
    assert "The clock reads T+0:43:08." in seen[1] and "→ T+1:13:08 (+30m)" in seen[1]
    assert "ctrl+s (or the Jump button) records" in seen[2]
