"""The Services pane, redrawn after every event, reads the status only of the steps that require a service
that is down (issue 21 item 8: it read every step's status), and lists the same blocked steps a scan of
every step lists."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from test_step_table_follows import T0, chains, counted

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.drill.state import DrillState, StepStatus
from engine.tui.app import DrillApp
from engine.tui.widgets.pane_text import PaneText
from engine.tui.widgets.service_board import ServiceBoard

MAIL = "inbound-mail-continuity"


def blocked_by_scan(state: DrillState) -> dict[str, list[str]]:
    """Service -> the ids of the blocked steps it blocks, scanning every step (what the pane did before)."""
    out: dict[str, list[str]] = {}
    for key, step in state.plan.steps.items():
        if state.status(key) is StepStatus.BLOCKED:
            for service in step.requires:
                if state.services.get(service) == "down":
                    out.setdefault(service, []).append(step.id)
    return out


def board_text(board: ServiceBoard) -> str:
    shown = board.query_one(PaneText)._shown
    return str(shown) if shown is not None else ""


def test_all_services_up_reads_no_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = chains(tmp_path / "project", 200)
    clock = FakeClock(T0)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))

    async def run() -> None:
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
        async with app.run_test(size=(200, 50)) as pilot:
            await pilot.pause()
            assert app.console_screen is not None
            board = app.console_screen.query_one(ServiceBoard)
            with counted(monkeypatch) as calls:
                board.show(drill.state)
            assert calls["status"] == 0  # before: 200, one for every step
            assert "up" in board_text(board) and "blocks" not in board_text(board)

    asyncio.run(run())
    drill.close()


def test_the_blocked_steps_listed_are_those_a_full_scan_finds(shipped_plan: Plan, clock: FakeClock,
                                                              tmp_path: Path) -> None:
    drill = Drill.start(shipped_plan, clock, log_path=str(tmp_path / "d.jsonl"))

    async def run() -> None:
        app = DrillApp(shipped_plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
        async with app.run_test(size=(200, 50)) as pilot:
            await pilot.pause()
            assert app.console_screen is not None
            board = app.console_screen.query_one(ServiceBoard)
            for service in sorted(shipped_plan.services):
                drill.set_service(service, "down")
                board.show(drill.state)
                scan = blocked_by_scan(drill.state)
                for ids in scan.values():
                    assert f"blocks {', '.join(ids)}" in board_text(board)
                assert board_text(board).count("blocks ") == len(scan)
            assert any(blocked_by_scan(drill.state).values())  # the check saw blocked steps

    asyncio.run(run())
    drill.close()
