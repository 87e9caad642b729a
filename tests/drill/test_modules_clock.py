"""Modules begin by the clock or by the facilitator (issue 20, fault 1), never because one of their injects
fired early: the shipped scenario's team fails over at T+0:20, so the relay's contingency alarm (listed
under Module 2, which starts at T+1:30) fires at T+0:50, in Module 1, and says so."""

from __future__ import annotations

from pathlib import Path

from drillkit import SHIPPED, minutes, start, tabletop, write_plan

from engine.drill import modules
from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.report.builder import build_report

MAIL = "inbound-mail-continuity"


def _fail_over_early(tmp_path: Path) -> tuple[Drill, FakeClock]:
    """The shipped drill with the fail-over decided at T+0:20, the clock then at T+0:50."""
    drill, clock = start(load_plan(str(SHIPPED)), tmp_path)
    drill.fire_due()
    for step in ("detect-deferrals", "declare-incident", "check-gateway-queues", "size-impact"):
        drill.complete_step(f"{MAIL}/{step}")
    minutes(clock, 20)
    drill.fire_due()
    drill.decide(f"{MAIL}/failover-decision", "fail-over", "invoices cannot wait", "incident-commander")
    minutes(clock, 30)
    drill.fire_due()
    return drill, clock


def test_a_contingency_inject_fired_early_does_not_start_its_module(tmp_path: Path) -> None:
    drill, _ = _fail_over_early(tmp_path)
    assert drill.state.fired["relay-spool-alarm"].t == 3000  # T+0:50, listed under Module 2 (T+1:30)
    where = modules.view(drill.state, drill.now_t())
    assert where is not None and where.index == 0 and where.started_t == 0
    assert where.following is not None and where.following.id == "long-evening" and where.following_t == 5400
    early = modules.delivered_early(drill.state)
    assert [(e.inject, e.own, e.during, e.t) for e in early] == [("relay-spool-alarm", 1, 0, 3000)]
    note = modules.early_note(drill.state, "relay-spool-alarm")
    assert note is not None and "Module 2" in note and "during Module 1" in note
    assert modules.early_note(drill.state, "console-dark") is None


def test_moving_on_fires_exactly_what_it_names_and_goes_to_the_next_module(tmp_path: Path) -> None:
    drill, clock = _fail_over_early(tmp_path)
    minutes(clock, 10)  # T+1:00: leadership-pressure (Module 1) fires on time
    drill.fire_due()
    move = modules.move_on(drill.state, drill.now_t())
    assert move is not None and move.module.id == "long-evening" and move.target_t == 5400  # not Module 3
    named = list(move.injects)
    assert named and "report-peak" in named and "relay-spool-alarm" not in named
    before = drill.state.seq
    events = drill.next_module()
    fired = [e.data["inject"] for e in events if e.type == "inject.fired"]
    assert fired == named
    assert [i for i, f in drill.state.fired.items() if f.seq > before] == named
    where = modules.view(drill.state, drill.now_t())
    assert where is not None and where.index == 1 and where.started_t == 5400
    drill.close()
    report = build_report(drill.path)
    began = {m.id: m.started_t for m in report.modules}
    assert began == {"mail-stops": 0, "long-evening": 5400, "long-tail": None}
    second = next(m for m in report.modules if m.id == "long-evening")
    assert second.early == [{"inject": "relay-spool-alarm", "t": 3000, "during": second_title(report, 0)}]


def second_title(report, index: int) -> str:  # type: ignore[no-untyped-def]
    return report.modules[index].title


def test_headless_play_deciding_early_reports_the_modules_real_start(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    team = tmp_path / "early.team.yaml"
    team.write_text(
        "team: early\n"
        "durations: {detect-deferrals: 5m, declare-incident: 5m, check-gateway-queues: 5m, size-impact: 5m,"
        " failover-decision: 5m}\n"
        "decisions:\n  failover-decision: {option: fail-over, rationale: Invoices cannot wait.}\n",
        encoding="utf-8")
    log = tmp_path / "early.jsonl"
    code, _, err = tabletop(capsys, "play", SHIPPED, "--team", team, "--log", log)
    assert code == 0, err
    report = build_report(str(log))
    second = next(m for m in report.modules if m.id == "long-evening")
    assert second.started_t == 5400  # T+1:30, not T+0:50 when the relay alarm fired
    assert [e["inject"] for e in second.early] == ["relay-spool-alarm"]
    code, out, _ = tabletop(capsys, "report", log, "-o", "-", "--format", "md")
    assert code == 0
    assert "Began T+1:30" in out and "`relay-spool-alarm` came before the module began: delivered T+0:50" in out


BRANCH_RUNBOOK = """\
runbook: rb
title: A runbook
steps:
  decide:
    title: Decide
    decision:
      question: Which way?
      options:
        left: {label: Left, next: [go-left]}
        right: {label: Right, next: [go-right]}
  go-left: {title: Go left}
  go-right: {title: Go right}
"""

BRANCH_SCENARIO = """\
scenario: sc
title: A scenario
runbooks: [rb]
modules:
  - {id: first, title: First, at: T+0m, injects: [opening]}
  - {id: left-side, title: Left side, after: {decision: decide, option: left}, at: +30m, injects: [left-news]}
injects:
  - {id: opening, at: T+0m, say: It begins.}
  - {id: left-news, at: T+5m, say: Scheduled but listed under the branch module.}
"""


def test_a_branch_module_begins_after_its_condition_and_delay(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, BRANCH_RUNBOOK, BRANCH_SCENARIO)
    drill, clock = start(plan, tmp_path)
    drill.fire_due()
    minutes(clock, 10)
    drill.fire_due()  # left-news fires at T+0:10 by its own time: the branch module has not begun
    where = modules.view(drill.state, drill.now_t())
    assert where is not None and where.index == 0
    assert [e.inject for e in modules.delivered_early(drill.state)] == ["left-news"]
    drill.decide("rb/decide", "left")
    minutes(clock, 29)
    assert modules.view(drill.state, drill.now_t()).index == 0  # type: ignore[union-attr]
    minutes(clock, 1)
    where = modules.view(drill.state, drill.now_t())
    assert where is not None and where.index == 1 and where.started_t == 40 * 60


def test_moving_on_to_a_branch_module_fires_its_injects_by_hand(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, BRANCH_RUNBOOK, BRANCH_SCENARIO.replace("at: T+5m", "at: T+2h"))
    drill, _ = start(plan, tmp_path)
    drill.fire_due()
    move = modules.move_on(drill.state, drill.now_t())
    assert move is not None and move.target_t is None and move.injects == ["left-news"]
    drill.next_module()
    assert drill.state.fired["left-news"].manual
    where = modules.view(drill.state, drill.now_t())
    assert where is not None and where.index == 1
    assert modules.move_on(drill.state, drill.now_t()) is None  # the last module
