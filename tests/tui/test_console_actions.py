"""What applies when: actions hidden from the footer when they do not apply, refusals that say why,
and every action reachable from the command palette."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle, type_text

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen

MAIL = "inbound-mail-continuity"


def _app(plan: Plan, clock: FakeClock, log: Path) -> tuple[DrillApp, Drill]:
    drill = Drill.start(plan, clock, log_path=str(log))
    drill.fire_due()
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0), drill


async def _footer_and_refusals(plan: Plan, clock: FakeClock, log: Path) -> None:
    app, drill = _app(plan, clock, log)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConsoleScreen)
        await goto(pilot, f"{MAIL}/detect-deferrals")
        shown = {b.binding.action for b in app.active_bindings.values() if b.enabled}
        assert {"start_step", "complete_step", "skip_step", "pause"} <= shown
        assert not {"decide", "resume", "tick"} & shown  # a step not started has no checklist to tick yet
        await goto(pilot, f"{MAIL}/declare-incident")  # waiting
        assert screen.check_action("start_step", ()) is False
        before = drill.state.seq
        await pilot.press("s", "c", "d")
        assert drill.state.seq == before  # nothing recorded
        messages = [str(n.message) for n in app._notifications]
        assert "declare-incident cannot start: it is waiting for detect-deferrals" in messages
        assert "declare-incident is not a decision" in messages
        await goto(pilot, f"runbook:{MAIL}")
        assert screen.refusal("tick") is not None and screen.refusal("note") is None
        await pilot.press("r", "r")  # the next ready or active step, twice
        assert screen.query_one("#steps").current_key() == f"{MAIL}/log-sender-reports"


def test_footer_shows_what_applies_and_refusals_say_why(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_footer_and_refusals(shipped_plan, clock, tmp_path / "a.jsonl"))


async def _palette(plan: Plan, clock: FakeClock, log: Path) -> None:
    app, drill = _app(plan, clock, log)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, f"{MAIL}/detect-deferrals")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Start the step")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert drill.state.steps[f"{MAIL}/detect-deferrals"].started_t is not None
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Pause the clock")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not drill.state.running
        assert "PAUSED" in screen_text(app)


def test_the_command_palette_runs_drill_actions(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_palette(shipped_plan, clock, tmp_path / "p.jsonl"))


async def _tick_in_checklist(plan: Plan, clock: FakeClock, log: Path) -> None:
    app, drill = _app(plan, clock, log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        key = f"{MAIL}/detect-deferrals"
        await goto(pilot, key)
        await pilot.press("enter")  # to the checklist
        await pilot.press("down", "space", "down", "enter")
        assert drill.state.steps[key].ticks == {1, 2}
        await pilot.press("space")  # untick
        assert drill.state.steps[key].ticks == {1}
        assert "[x] Read the SMTP reply" in screen_text(app)


def test_ticking_in_the_checklist_with_space_and_enter(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_tick_in_checklist(shipped_plan, clock, tmp_path / "c.jsonl"))
