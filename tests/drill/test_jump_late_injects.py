"""Injects a clock jump passes fire stamped with their own due time and marked as fired late."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.replay import replay
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"


def test_a_jump_stamps_each_passed_inject_with_its_own_time(tmp_path: Path) -> None:
    plan = load_plan(str(SHIPPED))
    drill = Drill.start(plan, FakeClock(), log_path=str(tmp_path / "d.jsonl"))
    drill.fire_due()
    passed = [(t, i.id) for t, i in drill.state.upcoming() if t < 4.5 * 3600]
    assert len(passed) >= 3
    drill.jump(4.5 * 3600)
    drill.fire_due()
    for t, inject in passed:
        fired = drill.state.fired[inject]
        assert (fired.t, fired.late_t) == (t, 4.5 * 3600)  # its own time, not all T+4:30
    events = [e for e in read_log(drill.path).events if e.type == ev.INJECT_FIRED][2:]
    assert [e.data.get("due") for e in events[:len(passed)]] == [t for t, _ in passed]
    assert replay(plan, read_log(drill.path)).fired == drill.state.fired  # resume reads it back the same
    drill.close()


def test_an_inject_fired_on_time_carries_no_due() -> None:
    assert "due" not in ev.InjectFired("x").encode()


@pytest.mark.parametrize("due", ["soon", True, -1, float("nan")])
def test_a_due_time_that_is_not_seconds_is_refused(due: object) -> None:
    with pytest.raises(ev.DecodeError):
        ev.InjectFired.decode({"inject": "x", "due": due})
