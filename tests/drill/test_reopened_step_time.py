"""Step times that survive corrections (issue 20, fault 4): a step done in seconds, reopened an hour later
and done again, took the time it was at work (both intervals shown), never the hour between."""

from __future__ import annotations

from pathlib import Path

from drillkit import SHIPPED, start

from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.replay import replay
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.report import render
from engine.report.builder import build_report
from engine.tui.screens.hotwash import evidence
from engine.tui.widgets.step_table import spent

STEP = "inbound-mail-continuity/detect-deferrals"  # target 15m


def _reopened(tmp_path: Path) -> tuple[Drill, FakeClock]:
    drill, clock = start(load_plan(str(SHIPPED)), tmp_path)
    drill.fire_due()
    drill.start_step(STEP)
    clock.advance(30)
    drill.complete_step(STEP)
    clock.advance(3600)
    drill.reopen(STEP, "ticked done by mistake", "facilitator")
    clock.advance(30)
    drill.complete_step(STEP)
    return drill, clock


def test_a_reopened_step_keeps_both_times_at_work(tmp_path: Path) -> None:
    drill, _ = _reopened(tmp_path)
    assert spent(drill.state, STEP, drill.now_t()) == 60  # on main: 3660, the hour between counted
    assert drill.state.steps[STEP].intervals() == [(0.0, 30.0), (3630.0, 3660.0)]
    drill.close()
    again = replay(drill.plan, read_log(drill.path))  # resume and the report fold the same
    assert again.steps[STEP].intervals() == [(0.0, 30.0), (3630.0, 3660.0)]


def test_the_report_and_the_hot_wash_show_the_time_at_work(tmp_path: Path) -> None:
    drill, _ = _reopened(tmp_path)
    lines = [line.plain for line in evidence(drill.state, "inbound-mail-continuity/detect-externally")
             if "detect-deferrals" in line.plain]
    assert lines and "1m (target 15m)" in lines[0] and "1h" not in lines[0]
    assert "at work T+0:00:00 to T+0:00:30, T+1:00:30 to T+1:01:00" in lines[0]
    drill.close()
    report = build_report(drill.path)
    step = next(s for s in report.steps if s.key == STEP)
    assert step.taken == 60 and step.over_target == 60 - 900
    assert step.intervals == [[0.0, 30.0], [3630.0, 3660.0]]
    assert STEP not in report.metrics.over_target
    row = next(line for line in render.render_markdown(report).splitlines()
               if line.startswith("| Confirm the deferrals from outside the tenancy |"))
    assert "| T+0:00 | T+1:01 | 15m | 1m (at work T+0:00 to T+0:00, T+1:00 to T+1:01) |" in row
    page = render.render_html(report, appendix=True)
    assert "at work T+0:00 to T+0:00, T+1:00 to T+1:01" in page and "then reopened" in page  # table and chart


def test_an_explored_fork_keeps_its_own_step_times(tmp_path: Path) -> None:
    """explore's copy of a fold shares no step record's list or set with the fold it came from, so a
    reopening in one fork (a what-if) never shows in the other."""
    from dataclasses import fields

    from engine.drill.explore import copy_state

    drill, _ = _reopened(tmp_path)
    twin = copy_state(drill.state)
    for key, record in drill.state.steps.items():
        for f in fields(record):
            value = getattr(record, f.name)
            if isinstance(value, (list, set, dict)):
                assert getattr(twin.steps[key], f.name) is not value, f"{key}.{f.name} is shared"
    twin.steps[STEP].worked.append((1.0, 2.0))
    assert drill.state.steps[STEP].intervals() == [(0.0, 30.0), (3630.0, 3660.0)]
    drill.close()
