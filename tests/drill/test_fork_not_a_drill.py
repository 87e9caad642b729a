"""A what-if fork is a rehearsal: readiness, plan status and coverage's last drilled never count it,
not even a fork of a live drill, nor a fork whose drill.started says `live`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from drillkit import SHIPPED, T0, tabletop

from engine.coverage import read_drills
from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import DrillLog
from engine.drill.play import Player
from engine.drill.session import Drill, started
from engine.drill.state import DrillState
from engine.plans import load_plan
from engine.readiness.drills import summarize


def live_drill(log: Path) -> None:
    plan = load_plan(str(SHIPPED))
    clock = FakeClock(T0)
    drill = Drill.start(plan, clock, log_path=str(log), mode="live")
    try:
        Player(drill, clock).run()
    finally:
        drill.close()


def claimed_live_fork(log: Path) -> None:
    """A fork whose drill.started says mode `live` (written by hand): still a fork."""
    plan = load_plan(str(SHIPPED))
    clock = FakeClock(T0)
    drill = Drill(plan, DrillState(plan), DrillLog.create(str(log)), clock)
    drill.record(replace(started(plan, "live"), fork=ev.ForkOf("parent.jsonl", "0" * 64, "T+1:00")))
    try:
        Player(drill, clock).run()
    finally:
        drill.close()


def test_a_fork_of_a_live_drill_is_never_counted_as_a_drill(tmp_path: Path, capsys: Any) -> None:
    parent, child, claimed = tmp_path / "live.jsonl", tmp_path / "fork.jsonl", tmp_path / "claimed.jsonl"
    live_drill(parent)
    code, _, err = tabletop(capsys, "play", "--from", parent, "--at", "T+1:00", "--log", child,
                            "--decide", "failover-decision=hold")
    assert code == 0, err
    claimed_live_fork(claimed)
    assert [summarize(str(p)).live for p in (parent, child, claimed)] == [True, False, False]
    assert summarize(str(child)).mode == summarize(str(claimed)).mode == "headless"
    plan = load_plan(str(SHIPPED))
    infos, _, _ = read_drills([str(p) for p in (parent, child, claimed)], [plan], [], include_headless=True)
    assert [info.rehearsal for info in infos] == [False, True, True]  # read_drills: never its last drilled
