"""A timed decision in the console (issue 22): the clock bar, the step pane and the decision form count down
from the moment the step is ready; when the drill clock passes the limit, the console's tick takes the
default and says so, with nobody at the keyboard; `D` revises it like any decision. The clock is a FakeClock
moved by hand and the tick is called directly: nothing waits on real time."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import ANCHOR, goto, screen_text, settle, type_text

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.tui.app import DrillApp
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.decide import DecideScreen
from engine.tui.screens.revise import ReviseScreen
from engine.tui.widgets.step_detail import StepDetail

RUNBOOK = """\
runbook: rb
title: Keep mail flowing
roles:
  ic: Incident commander
steps:
  assess:
    title: Assess the deferrals
    owner: ic
  route:
    title: Fail over or hold?
    owner: ic
    needs: [assess]
    decision:
      question: Move inbound mail to the relay?
      within: 15m
      default: hold
      options:
        fail-over: {label: Fail over, next: [switch]}
        hold: {label: Hold, next: [watch]}
  switch:
    title: Switch MX to the relay
    owner: ic
  watch:
    title: Watch the queues
    owner: ic
"""

SCENARIO = """\
scenario: sc
title: Mail stops
runbooks: [rb]
injects: []
"""


def _app(tmp_path: Path) -> tuple[DrillApp, Drill, FakeClock]:
    for folder, name, text in (("runbooks", "rb.yaml", RUNBOOK), ("scenarios", "sc.yaml", SCENARIO)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text, encoding="utf-8")
    plan = load_plan(str(tmp_path / "scenarios" / "sc.yaml"), [str(tmp_path / "runbooks")])
    clock = FakeClock(ANCHOR)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "drill.jsonl"), facilitator="Sam")
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0), drill, clock


def _detail(app: DrillApp) -> str:
    detail = app.screen.query_one(StepDetail)
    return "\n".join(str(detail.get_option_at_index(i).prompt) for i in range(detail.option_count))


async def _countdown_default_and_revise(tmp_path: Path) -> None:
    app, drill, clock = _app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "⏱" not in screen_text(app)  # the decision is waiting: no countdown yet
        await goto(pilot, "rb/route")
        assert "Time limit: 15m from when it is ready; then `hold` is taken" in _detail(app)
        clock.advance(300)
        drill.complete_step("rb/assess")  # the decision is ready at T+0:05
        clock.advance(120)
        app.tick()
        await settle(pilot)
        assert "⏱ route → hold in 13:00" in screen_text(app)
        assert "Time left: 13:00 of 15m; then `hold` is taken" in _detail(app)

        await pilot.press("d")  # the form counts down too, and keeps counting while it is open
        await settle(pilot)
        assert isinstance(app.screen, DecideScreen)
        assert "Time left: 13:00 of 15m" in screen_text(app)
        clock.advance(60)
        app.tick()
        await settle(pilot)
        assert "Time left: 12:00 of 15m" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)

        before = drill.state.seq
        clock.advance(12 * 60 + 1)  # nobody touches the keyboard; the clock passes T+0:20
        app.tick()
        await settle(pilot)
        made = drill.state.decisions["rb/route"]
        assert (made.option, made.fell_to_default) == ("hold", True)
        assert "⏱" not in screen_text(app)
        assert "Time ran out: nobody decided within 15m, so `hold` was taken (D revises it)" in _detail(app)
        assert any("the default `hold` was taken" in str(n.message) for n in app._notifications)
        assert [e.type for e in read_log(drill.path).events if e.seq > before] == [ev.DECISION_MADE]

        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ReviseScreen)
        await pilot.press("1")  # fail-over
        await pilot.press("enter")
        await type_text(pilot, "The bridge chose fail-over in time")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
    assert drill.state.decisions["rb/route"].option == "fail-over"
    assert drill.state.status("rb/switch").value == "ready"
    kinds = [e.type for e in read_log(drill.path).events if e.seq > before]
    assert kinds == [ev.DECISION_MADE, ev.DECISION_REVISED]


def test_the_console_counts_down_takes_the_default_and_D_revises_it(tmp_path: Path) -> None:
    asyncio.run(_countdown_default_and_revise(tmp_path))
