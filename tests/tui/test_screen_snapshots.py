"""Snapshots of every screen and dialog of the console at 80x24 (pytest-textual-snapshot): a frozen
exercise clock, no cursor blink, a fixed terminal size, so a frame changes only when the code does.

Update them after a deliberate change with `pytest tests/tui --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_console_snapshots import MAIL, _midway

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.tui.app import DrillApp

SIZE = (80, 24)


async def _to(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one("#steps")
    while table.current_key() != key:
        await pilot.press("down")


def _keys(*keys: str, step: str | None = None):  # type: ignore[no-untyped-def]
    """A run_before that moves to `step` (if given), then presses `keys` with a pause after each."""
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        if step:
            await _to(pilot, step)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
    return run


SCREENS = {
    "help": _keys("f1"),
    "skip": _keys("k", step=f"{MAIL}/watch-queues"),
    "decide": _keys("d", step="security-telemetry-gap/posture-decision"),
    "fire_picker": _keys("I"),
    "fire_confirm": _keys("i"),
    "jump": _keys("j", *"T+1:30"),
    "end_confirm": _keys("e"),
    "quit_confirm": _keys("q"),
    "injects_pane": _keys("3"),
    "inject_reread": _keys("3", "enter"),
    "note_last_field": _keys("n", "i", "enter", *"Relay", "enter", "enter", "enter", "enter", "enter"),
    "refusal": _keys("x", step=f"{MAIL}/fail-back"),
    "revise": _keys("D", step=f"{MAIL}/failover-decision"),
    "revise_confirm": _keys("D", "1", "enter", *"Six more hours", "ctrl+s", step=f"{MAIL}/failover-decision"),
    "reopen": _keys("o", step=f"{MAIL}/size-impact"),
    "note_correction": _keys("N", "enter", "a"),
    "withdraw": _keys("3", "down", "w"),
    "withdraw_confirm": _keys("3", "down", "w", "enter", *"Stray key", "ctrl+s"),
    "adhoc": _keys("A", *"The CFO walks in", "enter", "down", "space", "enter", *"relay-mx=down"),
    "adhoc_confirm": _keys("A", *"The CFO walks in", "enter", "down", "space", "enter", *"relay-mx=down", "ctrl+s"),
    "service_health": _keys("h", "down", "enter"),
    "service_health_confirm": _keys("h", "down", "enter", "down", "down", "enter", "ctrl+s"),
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_dialog(snap_compare, shipped_plan: Plan, clock: FakeClock, tmp_path: Path, name: str,
                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the log's path shows in some dialogs: the same in every run
    app = _midway(shipped_plan, clock, Path("drill.jsonl"))
    app.key_guard = 0  # keys come faster than a person types
    assert snap_compare(app, terminal_size=SIZE, run_before=SCREENS[name])


def test_start_screen(snap_compare, shipped_plan: Plan, clock: FakeClock) -> None:
    app = DrillApp(shipped_plan, clock, facilitator="Sam", blink=False, tick_seconds=3600)
    assert snap_compare(app, terminal_size=SIZE)


def test_summary_screen(snap_compare, shipped_plan: Plan, clock: FakeClock, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the summary names the log: the same path in every run
    app = _midway(shipped_plan, clock, Path("drill.jsonl"))
    assert app.drill is not None
    app.drill.end("time")
    app.key_guard = 0  # the question about the unrated objectives takes the y at once
    assert snap_compare(app, terminal_size=SIZE, run_before=_keys("ctrl+e", "y"))


def test_time_away_question(snap_compare, shipped_plan: Plan, clock: FakeClock, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Resumed after a crash (the log ends with the clock running): when, how long ago, count it or not."""
    from engine.drill.session import Drill

    monkeypatch.chdir(tmp_path)
    drill = Drill.start(shipped_plan, clock, log_path="drill.jsonl", facilitator="Sam")
    drill.fire_due()
    clock.advance(600)
    drill.start_step(f"{MAIL}/detect-deferrals")
    drill.close()  # killed with the clock running
    clock.advance(1807)
    resumed = Drill.resume(shipped_plan, "drill.jsonl", clock)
    app = DrillApp(shipped_plan, clock, resumed, resumed=True, blink=False, tick_seconds=3600, key_guard=0)
    assert snap_compare(app, terminal_size=SIZE)
