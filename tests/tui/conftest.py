"""Shared pieces of the console tests: the shipped plan, a frozen clock, and reading the screen as text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile" / "scenarios" / "hostile.yaml"
ANCHOR = datetime(2026, 1, 22, 19, 33, tzinfo=UTC)


@pytest.fixture(scope="session")
def shipped_plan() -> Plan:
    return load_plan(str(SHIPPED))


@pytest.fixture(scope="session")
def hostile_plan() -> Plan:
    return load_plan(str(HOSTILE))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(ANCHOR)


def screen_text(app: App[object]) -> str:
    """The active screen as plain text, one line a row (what a person would read off the terminal)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot: Pilot[object]) -> None:
    await pilot.pause()
    await pilot.pause()


async def goto(pilot: Pilot[object], key: str) -> None:
    """Move the steps table's cursor onto a row with the arrow keys, as a facilitator would."""
    from engine.tui.widgets.step_table import StepTable

    table = pilot.app.screen.query_one(StepTable)
    if not table.has_focus:
        await pilot.click(StepTable, offset=(2, 0))  # the header row: focuses without moving the cursor
    target = table.get_row_index(key)
    for _ in range(table.row_count):
        if table.cursor_row == target:
            break
        await pilot.press("down" if table.cursor_row < target else "up")
    assert table.current_key() == key


async def type_text(pilot: Pilot[object], text: str) -> None:
    """Type into the focused field key by key (the same path as a person at the keyboard)."""
    await pilot.press(*text)
