"""After a crash, the time away is the facilitator's choice (clock.gap): resume remembers when the last event
was written, and the answer, counted or not, is an event the fold, log show and a second resume understand.
The logs are cut as a SIGKILL leaves them: the v1 console log that never ended, and the same with a torn line."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from drillkit import minutes, start, tabletop, write_plan
from test_step_semantics import RUNBOOK, SCENARIO

from engine.bounds import MAX_CLOCK_SECONDS
from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill, replay
from engine.drill.state import EventError
from engine.plans import load_plan

V1 = Path(__file__).parent / "data" / "v1"
LAST_WALL = "2026-01-22T19:50:40.000Z"  # the last line of console-live.jsonl, at T+37:40 (2260 s)


def _resume_v1(tmp_path: Path, torn: bool, at: datetime) -> Drill:
    shutil.copytree(V1 / "files", tmp_path / "files")
    log = tmp_path / "console-live.jsonl"
    shutil.copy(V1 / "console-live.jsonl", log)
    if torn:
        with log.open("ab") as handle:
            handle.write(b'{"seq":19,"wall":"2026-01-22T19:51:0')  # killed mid-write
    files = tmp_path / "files"
    plan = load_plan(str(files / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(files / "runbooks")])
    return Drill.resume(plan, str(log), FakeClock(at))


@pytest.mark.parametrize("torn", [False, True])
def test_resume_after_a_crash_knows_when_the_last_event_was_written(tmp_path: Path, torn: bool) -> None:
    drill = _resume_v1(tmp_path, torn, datetime(2026, 1, 22, 20, 5, 40, tzinfo=UTC))
    try:
        assert drill.stopped == LAST_WALL
        assert drill.time_away() == 900.0  # 19:50:40 -> 20:05:40
        assert not drill.state.running and drill.state.t == 2260.0
    finally:
        drill.close()


@pytest.mark.parametrize("torn", [False, True])
def test_counting_the_time_away_moves_the_paused_clock_on_and_late_injects_keep_their_time(
        tmp_path: Path, torn: bool) -> None:
    drill = _resume_v1(tmp_path, torn, datetime(2026, 1, 22, 21, 0, 40, tzinfo=UTC))
    try:
        event = drill.settle_time_away(counted=True)
        assert event.data == {"since": LAST_WALL, "away": 4200.0, "counted": True}
        assert (drill.state.t, drill.now_t(), drill.state.running) == (6460.0, 6460.0, False)
        assert drill.stopped is None and drill.time_away() is None
        late = drill.fire_due()
        assert late, "injects due in the hour and ten minutes away fire on the next tick"
        for fired in late:
            assert fired.data["due"] <= 6460.0 and fired.t == 6460.0  # stamped with their own time, fired late
        with pytest.raises(EventError, match="no time away to settle"):
            drill.settle_time_away(counted=False)
    finally:
        drill.close()
    again = replay(drill.plan, read_log(drill.path))
    assert (again.t, again.gaps, again.fired.keys()) == (drill.state.t, drill.state.gaps, drill.state.fired.keys())


def test_not_counting_the_time_away_leaves_the_clock_where_it_stopped(tmp_path: Path) -> None:
    drill = _resume_v1(tmp_path, False, datetime(2026, 1, 22, 21, 0, 40, tzinfo=UTC))
    try:
        drill.settle_time_away(counted=False)
        assert (drill.state.t, drill.now_t()) == (2260.0, 2260.0)
        assert drill.state.gaps[-1].counted is False and drill.state.gaps[-1].away == 4200.0
        assert drill.fire_due() == []
    finally:
        drill.close()


def test_a_drill_quit_from_the_console_has_no_time_away_to_settle(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 3)
    drill.pause()  # what the console's quit does
    drill.close()
    minutes(clock, 60)
    resumed = Drill.resume(plan, drill.path, clock)
    try:
        assert resumed.stopped is None and resumed.time_away() is None
        with pytest.raises(EventError, match="no time away"):
            resumed.settle_time_away(counted=True)
    finally:
        resumed.close()


def test_the_fold_refuses_a_gap_while_the_clock_runs_a_bad_since_or_a_bad_away(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 1)
    with pytest.raises(EventError, match="while the clock is paused"):
        drill.record(ev.ClockGap(LAST_WALL, 60.0, True))
    drill.pause()
    with pytest.raises(EventError, match="must be a wall time"):
        drill.record(ev.ClockGap("yesterday", 60.0, True))
    with pytest.raises(EventError, match="beyond"):
        drill.record(ev.ClockGap(LAST_WALL, float(MAX_CLOCK_SECONDS), True))  # from T+0:01, past the bound
    for data, field in (({"since": 1, "away": 1, "counted": True}, "since"),
                        ({"since": LAST_WALL, "away": -1, "counted": True}, "away"),
                        ({"since": LAST_WALL, "away": True, "counted": True}, "away"),
                        ({"since": LAST_WALL, "away": 1, "counted": "yes"}, "counted")):
        with pytest.raises(ev.DecodeError) as caught:
            ev.decode(ev.CLOCK_GAP, data)
        assert caught.value.field == field
    assert ev.decode(ev.CLOCK_GAP, ev.ClockGap(LAST_WALL, 1.5, False).encode()) == ev.ClockGap(LAST_WALL, 1.5, False)


def test_log_show_says_how_long_and_whether_it_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    drill = _resume_v1(tmp_path, True, datetime(2026, 1, 22, 20, 5, 45, tzinfo=UTC))
    drill.settle_time_away(counted=False)
    drill.close()
    code, out, _ = tabletop(capsys, "log", "show", drill.path)
    assert code == 0
    assert "15m 05s away since the last event at 2026-01-22T19:50:40Z, not counted" in out
