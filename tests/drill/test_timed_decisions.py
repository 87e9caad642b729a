"""Timed decisions (docs/format.md, "Timed decisions"): the countdown starts when the decision becomes ready,
the drill clock takes the default when it runs out (decision.made with fell_to_default), the fold refuses a
default before its time, `D` revises it like any decision, replay and resume agree, and headless play takes
it when the team takes longer than `within`. Driven through the Drill API on a fake clock, no sleeping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from drillkit import minutes, start, tabletop, write_plan

from engine.drill import events as ev
from engine.drill import timed
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill, replay
from engine.drill.state import EventError, StepStatus

RUNBOOK = """\
runbook: rb
title: Keep mail flowing
services:
  relay: The secondary MX relay
steps:
  assess:
    title: Assess the deferrals
    target: 10m
  route:
    title: Fail over or hold?
    needs: [assess]
    target: 20m
    requires: [relay]
    decision:
      question: Move inbound mail to the relay?
      within: 15m
      default: hold
      options:
        fail-over: {label: Fail over, next: [switch]}
        hold: {label: Hold, next: [watch]}
  switch:
    title: Switch MX to the relay
  watch:
    title: Watch the queues
  close:
    title: Close the incident
    needs: [route]
"""

SCENARIO = """\
scenario: sc
title: Mail stops
runbooks: [rb]
injects:
  - id: relay-down
    at: T+3h
    services: {relay: down}
"""


@pytest.fixture
def run(tmp_path: Path) -> tuple[Drill, FakeClock]:
    return start(write_plan(tmp_path, RUNBOOK, SCENARIO), tmp_path)


def _ready(drill: Drill, clock: FakeClock, after: float = 10) -> None:
    """Assess is done `after` minutes in: the decision becomes ready then."""
    drill.start_step("rb/assess")
    minutes(clock, after)
    drill.complete_step("rb/assess")


def test_the_countdown_starts_when_the_decision_becomes_ready(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    assert timed.left(drill.state, "rb/route", drill.now_t()) is None  # waiting: no countdown yet
    _ready(drill, clock)
    assert drill.state.ready_t["rb/route"] == 600.0
    minutes(clock, 5)
    assert timed.left(drill.state, "rb/route", drill.now_t()) == 600.0
    assert timed.running(drill.state) == ["rb/route"]


def test_nothing_falls_before_the_time_runs_out(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 14.9)
    assert drill.take_defaults() == []
    assert "rb/route" not in drill.state.decisions


def test_the_drill_clock_takes_the_default_when_the_time_runs_out(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 16)
    [event] = drill.take_defaults()
    assert event.type == ev.DECISION_MADE
    assert event.data == {"step": "rb/route", "option": "hold",
                          "rationale": "no decision within 15m; the default was taken", "by": "",
                          "fell_to_default": True}
    decision = drill.state.decisions["rb/route"]
    assert (decision.option, decision.fell_to_default, decision.t) == ("hold", True, 1560.0)
    assert drill.state.status("rb/watch") is StepStatus.READY  # the default's branch opens
    assert drill.take_defaults() == []  # taken once


def test_a_decision_made_in_time_does_not_fall(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 5)
    drill.decide("rb/route", "fail-over", "The relay is ready.", "IC")
    minutes(clock, 60)
    assert drill.take_defaults() == []
    assert drill.state.decisions["rb/route"].fell_to_default is False


def test_a_paused_clock_stops_the_countdown(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 10)
    drill.pause()
    minutes(clock, 60)  # an hour of wall time, none of scenario time
    assert drill.take_defaults() == []
    drill.resume_clock()
    minutes(clock, 5)
    assert [e.data["option"] for e in drill.take_defaults()] == ["hold"]


def test_a_blocked_decision_falls_once_it_is_unblocked(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    _ready(drill, clock)
    drill.set_service("relay", "down")
    assert drill.state.status("rb/route") is StepStatus.BLOCKED
    minutes(clock, 30)
    assert drill.take_defaults() == []  # a blocked decision cannot be made, by anyone
    drill.set_service("relay", "up")
    assert [e.data["option"] for e in drill.take_defaults()] == ["hold"]


@pytest.mark.parametrize(("data", "why"), [
    ({"step": "rb/route", "option": "hold", "fell_to_default": True}, "its time runs out at T\\+0:25"),
    ({"step": "rb/route", "option": "fail-over", "fell_to_default": True}, "falls to its default 'hold'"),
])
def test_the_fold_refuses_a_default_that_cannot_fall_now(run: tuple[Drill, FakeClock], data: dict[str, Any],
                                                         why: str) -> None:
    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 5 if data["option"] == "hold" else 20)
    with pytest.raises(EventError, match=why):
        drill.record(ev.decode(ev.DECISION_MADE, data))


def test_an_untimed_decision_cannot_fall_to_a_default(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK.replace("      within: 15m\n      default: hold\n", ""), SCENARIO)
    drill, clock = start(plan, tmp_path)
    _ready(drill, clock)
    minutes(clock, 60)
    assert drill.take_defaults() == []
    with pytest.raises(EventError, match="has no time limit"):
        drill.record(ev.DecisionMade("rb/route", "hold", fell_to_default=True))


def test_a_default_is_revised_like_any_decision(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 16)
    drill.take_defaults()
    drill.revise("rb/route", "fail-over", "the team had decided; the console was not told", "Priya")
    decision = drill.state.decisions["rb/route"]
    assert (decision.option, decision.fell_to_default) == ("fail-over", False)
    assert drill.state.status("rb/switch") is StepStatus.READY


def test_replay_and_resume_agree_with_the_drill(run: tuple[Drill, FakeClock], tmp_path: Path) -> None:
    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 16)
    drill.take_defaults()
    drill.close()
    again = replay(drill.plan, read_log(drill.path))
    assert again.decisions == drill.state.decisions and again.ready_t == drill.state.ready_t
    resumed = Drill.resume(drill.plan, drill.path, FakeClock(clock.now()))
    assert resumed.state.decisions["rb/route"].fell_to_default is True
    resumed.close()


def test_a_resumed_drill_counts_down_from_when_the_log_says_it_became_ready(tmp_path: Path) -> None:
    drill, clock = start(write_plan(tmp_path, RUNBOOK, SCENARIO), tmp_path)
    _ready(drill, clock)
    drill.close()
    minutes(clock, 40)  # away: a resume does not count it (the clock is paused at T+0:10)
    resumed = Drill.resume(drill.plan, drill.path, clock)
    resumed.resume_clock()
    minutes(clock, 14)
    assert resumed.take_defaults() == []
    minutes(clock, 1)
    assert [(e.t, e.data["option"]) for e in resumed.take_defaults()] == [(1500.0, "hold")]
    resumed.close()


def test_a_log_without_the_field_reads_as_before(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    _ready(drill, clock)
    event = drill.decide("rb/route", "hold", "as planned", "IC")
    assert "fell_to_default" not in event.data  # written only when true: older readers see the same lines
    assert ev.decode(ev.DECISION_MADE, {"step": "rb/route", "option": "hold"}).fell_to_default is False
    with pytest.raises(ev.DecodeError):
        ev.decode(ev.DECISION_MADE, {"step": "rb/route", "option": "hold", "fell_to_default": "yes"})


TEAM = """\
team: slow
durations:
  route: {took}
decisions:
  route: {{option: fail-over, rationale: The relay is ready., by: IC}}
"""


@pytest.mark.parametrize(("took", "option", "fell"), [("25m", "hold", True), ("12m", "fail-over", False)])
def test_headless_play_takes_the_default_when_the_team_takes_longer(tmp_path: Path, capsys: Any, took: str,
                                                                    option: str, fell: bool) -> None:
    write_plan(tmp_path, RUNBOOK, SCENARIO)
    team = tmp_path / "team.yaml"
    team.write_text(TEAM.format(took=took), encoding="utf-8")
    log = tmp_path / "played.jsonl"
    code, out, err = tabletop(capsys, "play", tmp_path / "scenarios" / "sc.yaml", "--team", team, "--log", log)
    assert code == 0, err
    [made] = [e for e in read_log(str(log)).events if e.type == ev.DECISION_MADE]
    assert (made.data["option"], made.data.get("fell_to_default", False)) == (option, fell)
    if fell:
        assert made.t == 600 + 15 * 60  # assess takes its 10m target; the decision falls 15m later


def test_a_log_read_without_its_files_still_folds_a_default(run: tuple[Drill, FakeClock]) -> None:
    from engine.drill.log_plan import plan_from_log

    drill, clock = run
    _ready(drill, clock)
    minutes(clock, 16)
    drill.take_defaults()
    drill.close()
    events = read_log(drill.path).events
    alone = replay(plan_from_log(events), read_log(drill.path))  # the stand-in plan of the log alone
    assert alone.decisions["rb/route"].fell_to_default is True
