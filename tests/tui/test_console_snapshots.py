"""Snapshots of the console (pytest-textual-snapshot): a frozen clock, no cursor blink, fixed content.

Update them after a deliberate change with `pytest tests/tui --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp

MAIL = "inbound-mail-continuity"


def _midway(plan: Plan, clock: FakeClock, log: Path) -> DrillApp:
    """The shipped drill 42 minutes in: steps done, a decision, a note, injects fired, a service down."""
    drill = Drill.start(plan, clock, log_path=str(log), facilitator="Sam",
                        participants={"incident-commander": "Dana", "messaging-lead": "Priya"})
    drill.fire_due()
    for step in ("detect-deferrals", "declare-incident", "check-gateway-queues", "size-impact"):
        drill.start_step(f"{MAIL}/{step}")
        drill.tick(f"{MAIL}/{step}", 0)
        clock.advance(300)
        drill.complete_step(f"{MAIL}/{step}")
    drill.decide(f"{MAIL}/failover-decision", "hold", "Short outage expected", "Dana")
    drill.note("improvement", "Nobody owned the relay", f"{MAIL}/failover-decision", "Sam", action="Name an owner")
    clock.advance(1320)
    drill.fire_due()
    drill.start_step(f"{MAIL}/watch-queues")
    drill.tick(f"{MAIL}/watch-queues", 1)
    clock.advance(65)
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_console(snap_compare, shipped_plan: Plan, clock: FakeClock, tmp_path: Path, size: tuple[int, int]) -> None:
    app = _midway(shipped_plan, clock, tmp_path / "drill.jsonl")

    async def focus_watch_queues(pilot) -> None:  # type: ignore[no-untyped-def]
        table = pilot.app.screen.query_one("#steps")
        while table.current_key() != f"{MAIL}/watch-queues":
            await pilot.press("down")

    assert snap_compare(app, terminal_size=size, run_before=focus_watch_queues)


def test_inject_announcement(snap_compare, shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    drill = Drill.start(shipped_plan, clock, log_path=str(tmp_path / "drill.jsonl"),
                        participants={"messaging-lead": "Priya"})
    app = DrillApp(shipped_plan, clock, drill, blink=False, tick_seconds=3600)
    assert snap_compare(app, terminal_size=(80, 24))  # the two T+0 injects fire as the console opens


def test_note_form(snap_compare, shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    app = _midway(shipped_plan, clock, tmp_path / "drill.jsonl")
    drill = app.drill
    assert drill is not None

    async def open_note(pilot) -> None:  # type: ignore[no-untyped-def]
        table = pilot.app.screen.query_one("#steps")
        while table.current_key() != "admin-console-loss/confirm-console-loss":
            await pilot.press("down")
        await pilot.press("n", "s")

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_note)


def test_hot_wash(snap_compare, shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    app = _midway(shipped_plan, clock, tmp_path / "drill.jsonl")
    assert app.drill is not None
    app.drill.rate(f"{MAIL}/detect-externally", "S", "Probe took 12 minutes")
    app.drill.end("time")
    assert snap_compare(app, terminal_size=(80, 24))
