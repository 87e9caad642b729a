"""The console redraws only what changed (issue 10's key latency), and what it redraws is what a full
redraw would show: the steps table repaints the rows an action changed, the clock and module lines
only when their text changes, and a pane chosen while every pane is on screen is the one shown once
the terminal narrows."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle
from textual.strip import Strip

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.widgets.clock_bar import ClockBar
from engine.tui.widgets.pane_tabs import PaneTabs
from engine.tui.widgets.step_table import StepTable

MAIL = "inbound-mail-continuity"


def _app(plan: Plan, clock: FakeClock, log: Path) -> DrillApp:
    drill = Drill.start(plan, clock, log_path=str(log))
    drill.fire_due()
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)


def _lines(table: StepTable) -> list[list[tuple[str, str]]]:
    """Every line of the table as drawn: each segment's text and style."""
    strips: list[Strip] = [table.render_line(y) for y in range(table.size.height)]
    return [[(segment.text, str(segment.style)) for segment in strip] for strip in strips]


async def _rows_as_if_redrawn(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(StepTable)
        await goto(pilot, f"{MAIL}/detect-deferrals")
        count = table._update_count
        await pilot.press("s")
        clock.advance(7 * 60)
        await pilot.press("x", "x", "c")  # ticks, then done: the row goes from ready to active to done
        await settle(pilot)
        await pilot.press("y")  # two items still open: it asks first
        await settle(pilot)
        assert table._update_count == count  # no update invalidated the whole table's renders
        text = screen_text(app)
        assert "✓ done" in text and "detect-deferrals" in text
        live = _lines(table)
        table._layout = ()  # build every row again from the state, as when the table is first drawn
        table.build(app.drill.state, app.drill.now_t())  # type: ignore[union-attr]
        await settle(pilot)
        assert _lines(table) == live
        done = next(line for line in live if any("detect-deferrals" in text for text, _ in line))
        assert any("detect-deferrals" in text and "dim" in style for text, style in done)  # done rows go dim


def test_rows_repainted_in_place_show_what_a_full_redraw_shows(shipped_plan: Plan, clock: FakeClock,
                                                                 tmp_path: Path) -> None:
    asyncio.run(_rows_as_if_redrawn(shipped_plan, clock, tmp_path / "a.jsonl"))


async def _clock_line(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConsoleScreen)
        bar = screen.query_one(ClockBar)
        shown = bar.visual
        screen.refresh_view(full=True)  # nothing moved: the same line object stays
        assert bar.visual is shown
        clock.advance(1)
        screen.refresh_view(full=False)
        await settle(pilot)
        assert bar.visual is not shown
        assert "T+0:00:01" in screen_text(app).splitlines()[0]


def test_the_clock_line_is_redrawn_when_its_text_changes(shipped_plan: Plan, clock: FakeClock,
                                                          tmp_path: Path) -> None:
    asyncio.run(_clock_line(shipped_plan, clock, tmp_path / "a.jsonl"))


async def _pane_chosen_wide(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConsoleScreen) and screen.wide
        await pilot.press("2")  # every pane is on screen: nothing to redraw yet
        await settle(pilot)
        assert screen.pane == "services"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert screen.query_one("#pane-services").has_class("-current")
        assert not screen.query_one("#pane-step").has_class("-current")
        assert "[2 Services]" in str(screen.query_one(PaneTabs).visual)
        assert "[2 Services]" in screen_text(app)


def test_a_pane_chosen_while_wide_is_the_one_shown_when_narrow(shipped_plan: Plan, clock: FakeClock,
                                                               tmp_path: Path) -> None:
    asyncio.run(_pane_chosen_wide(shipped_plan, clock, tmp_path / "a.jsonl"))
