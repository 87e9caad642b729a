"""The four faults of issue 20 as fixed examples of the robot, and the readers' disagreements the robot found.

Each fault is a deterministic run of the facilitator's actions through the `Drill` API on the shipped
MO1221364 scenario, in a copy of the project. Each failed on the main of the day the issue was filed, and
passes since its fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from robotdraw import Drawn
from robotkit import T0, drawn_project, inside, load, shipped_project
from robotreaders import agree, check_coverage, check_readiness, check_step_times, cli, light

from engine.drill import modules
from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.plans import load_plan
from engine.report.builder import build_report
from engine.room import views

OUTAGE = "m365-na-outage-2026-01-22.yaml"  # MO1221364
MAIL = "inbound-mail-continuity"
MINUTE = 60.0


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the shipped project, worked in as the current folder."""
    folder = shipped_project(tmp_path / "project")
    (folder / "exports" / "drills").mkdir(parents=True)
    with inside(folder):
        yield folder


def drill_of(scenario: str = OUTAGE, *, plan_path: str | None = None) -> tuple[Drill, FakeClock]:
    """A drill of the shipped scenario, as `play` names its files (relative), or from `plan_path`."""
    plan = load_plan(plan_path) if plan_path else load(scenario)
    clock = FakeClock(T0)
    return Drill.start(plan, clock, log_path="exports/drills/drill.jsonl", facilitator="Sam"), clock


def at(drill: Drill, clock: FakeClock, minutes: float) -> None:
    """Let the exercise clock run to T+`minutes` and fire what falls due, as the console's tick does."""
    clock.advance(minutes * MINUTE - drill.now_t())
    drill.fire_due()


def work_up_to(drill: Drill, key: str) -> None:
    """Start and finish every step of the mail runbook that can be, until `key` is ready."""
    while drill.state.status(key) is not StepStatus.READY:
        ready = [k for k, s in drill.state.statuses().items()
                 if k.startswith(MAIL) and s is StepStatus.READY and not drill.plan.steps[k].options]
        assert ready, drill.state.statuses()
        drill.start_step(ready[0])
        drill.complete_step(ready[0])


def snapshots_of(drill: Drill) -> dict[int, dict]:
    """light(state) after every event of the drill's log so far, folded afresh (for agree's prefix check)."""
    from engine.drill.log import read_log
    from engine.drill.replay import replay

    lines = Path(drill.path).read_bytes().splitlines(keepends=True)
    cut = Path(drill.path).with_name("cut.jsonl")
    out = {}
    for n in range(1, len(lines) + 1):
        cut.write_bytes(b"".join(lines[:n]))
        out[n - 1] = light(replay(drill.plan, read_log(str(cut))))
    cut.unlink()
    return out


def test_a_contingency_inject_that_fires_early_does_not_start_its_module(project: Path) -> None:
    drill, clock = drill_of()
    work_up_to(drill, f"{MAIL}/failover-decision")
    at(drill, clock, 20)
    drill.decide(f"{MAIL}/failover-decision", "fail-over", "the queue is growing", "Sam")
    at(drill, clock, 50)
    assert "relay-spool-alarm" in drill.state.fired  # the relay's alarm: listed under Module 2, fired at T+0:50
    where = modules.view(drill.state, drill.now_t())
    assert where is not None and where.current is not None
    assert where.current.id == "mail-stops", "Module 2 began because one of its injects fired early"
    assert where.following is not None and where.following.id == "long-evening", "`m` would skip Module 2"
    assert views.participant(drill.state, drill.now_t())["module"]["id"] == "mail-stops"
    at(drill, clock, 90)
    drill.end()
    drill.close()
    began = {m.id: m.started_t for m in build_report(drill.path).modules}
    assert began["long-evening"] == 90 * MINUTE, "the report's module start is not Module 2's real start"


# Module 2 starts at T+0:30 by the clock; its only inject comes at T+1:00.
LATE_RUNBOOK = """\
runbook: rb
title: One step
roles:
  lead: Leads
steps:
  s0: {title: Step 0, owner: lead}
"""
LATE_SCENARIO = """\
scenario: sc
title: A module whose first inject comes late
runbooks: [rb]
duration: 2h
modules:
  - {id: m1, title: Module 1, at: T+0m, injects: [i0], questions: [{id: q1, ask: Who decides}]}
  - {id: m2, title: Module 2, at: T+30m, injects: [i1], questions: [{id: q2, ask: What now}]}
injects:
  - {id: i0, at: T+0m, say: It starts.}
  - {id: i1, at: T+1h, say: It goes on.}
"""


def test_the_report_dates_a_module_when_the_console_showed_it_begin(tmp_path: Path) -> None:
    folder = drawn_project(tmp_path / "late", Drawn(LATE_RUNBOOK, LATE_SCENARIO))
    with inside(folder):
        plan = load("sc.yaml")
        clock = FakeClock(T0)
        drill = Drill.start(plan, clock, log_path="drill.jsonl")
        drill.fire_due()
        at(drill, clock, 40)
        where = modules.view(drill.state, drill.now_t())
        assert where is not None and where.current is not None and where.current.id == "m2"
        shown = where.started_t
        at(drill, clock, 70)
        drill.end()
        drill.close()
        began = {m.id: m.started_t for m in build_report(drill.path).modules}
    assert shown == 30 * MINUTE
    assert began["m2"] == shown, "the console showed Module 2 from T+0:30; the report says it began later"


def test_a_live_console_drill_gets_a_report_without_warnings(project: Path, tmp_path: Path) -> None:
    # The console names the files by absolute path (`tabletop drill scenarios/...` in the project).
    drill, clock = drill_of(plan_path=str(project / "scenarios" / OUTAGE))
    assert Path(drill.plan.runbook_files[0].path).is_absolute()
    at(drill, clock, 10)
    drill.end()
    drill.close()
    report = build_report(drill.path)
    assert [n.text for n in report.notices if n.level != "info"] == []


def test_readiness_counts_a_drill_whose_decision_was_revised_to_an_option_never_chosen_first(project: Path) -> None:
    drill, clock = drill_of()
    work_up_to(drill, f"{MAIL}/failover-decision")
    drill.decide(f"{MAIL}/failover-decision", "hold", "retries will carry it", "Sam")
    at(drill, clock, 20)
    drill.revise(f"{MAIL}/failover-decision", "fail-over", "we did fail over; the wrong key was pressed", "Sam")
    drill.rate(f"{MAIL}/route-decision", "S")
    drill.end()
    drill.close()
    check_readiness(drill.plan, drill.state, Path(drill.path).parent, known=False)


def test_a_reopened_step_is_timed_by_the_time_it_was_active(project: Path) -> None:
    drill, clock = drill_of()
    key = f"{MAIL}/detect-deferrals"
    drill.start_step(key)
    clock.advance(30)
    drill.complete_step(key)  # done in thirty seconds
    clock.advance(60 * MINUTE)
    drill.reopen(key, "done by mistake: the external probe had not run", "Sam")
    if drill.state.status(key) is StepStatus.READY:
        drill.start_step(key)
    clock.advance(MINUTE)
    drill.complete_step(key)  # and again, in a minute
    drill.end()
    drill.close()
    step = build_report(drill.path).step(key)
    assert step is not None and step.taken == 90, step
    check_step_times(drill.state, Path(drill.path), known=False)  # plan status says the same


# ----- what the robot found besides the four faults -----


def test_readiness_counts_a_drill_with_a_discussion_summary(project: Path) -> None:
    drill, clock = drill_of()
    at(drill, clock, 5)
    drill.summarise("mail-stops", "when-fail-over", "The incident commander decides by 15:30.", "Sam")
    drill.end()
    drill.close()
    check_readiness(drill.plan, drill.state, Path(drill.path).parent, known=False)


def test_the_report_shows_a_note_as_it_stands(project: Path) -> None:
    """Found by the robot: the report and the evaluator seat kept a withdrawn note (and plan add made an
    improvement item of it) and showed an amended note's first text."""
    drill, clock = drill_of()
    at(drill, clock, 5)
    wrong = drill.note("improvement", "Relay capacity was never checked", None, "Eve", owner="Ops lead").seq
    typo = drill.note("strength", "Priya called the provider", None, "Eve").seq
    drill.withdraw_note(wrong, "it was checked at T+0:04; the evaluator missed it", "Eve")
    drill.amend_note(typo, "Sam called the provider", "Eve")
    drill.end()
    drill.close()
    evaluator = views.evaluator(drill.state, drill.now_t())  # the room's evaluator seat, likewise
    assert [n["text"] for n in evaluator["notes"]] == ["Sam called the provider"]
    report = build_report(drill.path)
    assert [(n.kind, n.text) for n in report.general_notes] == [("strength", "Sam called the provider")]
    assert report.improvement_plan == [] and report.figures.improvements == 0
    assert len(report.corrections) == 2  # both corrections are still told, in their own section
    code, out, err = cli("plan", "add", drill.path)
    assert code == 0, err
    assert not list(Path("improvements").glob("*.yaml")), "plan add made an item of a withdrawn note"


def test_coverage_counts_what_stands_after_a_correction(project: Path) -> None:
    """Found by the robot: a step reopened (done by mistake) stayed drilled, and a revised decision left its
    first option drilled and the option that stands not."""
    drill, clock = drill_of()
    work_up_to(drill, f"{MAIL}/failover-decision")
    drill.decide(f"{MAIL}/failover-decision", "hold", "retries will carry it", "Sam")
    drill.revise(f"{MAIL}/failover-decision", "fail-over", "the wrong key was pressed", "Sam")
    drill.reopen(f"{MAIL}/detect-deferrals", "done by mistake", "Sam")
    drill.close()
    check_coverage(drill.plan, drill.state, Path(drill.path).parent)
    code, out, _ = cli("coverage", "--logs", "exports/drills", "--format", "json", "runbooks", f"scenarios/{OUTAGE}")
    drilled = {i["key"] for i in json.loads(out)["items"] if i["last_drilled"]}
    assert f"option:{MAIL}/failover-decision=fail-over" in drilled
    assert f"option:{MAIL}/failover-decision=hold" not in drilled
    assert f"step:{MAIL}/detect-deferrals" not in drilled


def test_every_reader_agrees_on_a_whole_drill_of_the_shipped_scenario(project: Path) -> None:
    """The robot's checks on one long drill, written out: every kind of correction, an ad hoc inject, a service
    set by hand, a pause and a jump, the hot wash, a rating and a feedback form."""
    drill, clock = drill_of()
    work_up_to(drill, f"{MAIL}/failover-decision")
    at(drill, clock, 20)
    drill.decide(f"{MAIL}/failover-decision", "fail-over", "the queue is growing", "Sam")
    drill.adhoc("The CFO asks for an update.", ["incident-commander"], {}, None, "Sam")
    drill.set_service("relay-mx", "down")
    note = drill.note("observation", "The bridge was slow to form", f"{MAIL}/declare-incident", "Eve").seq
    drill.amend_note(note, "The bridge took eight minutes to form", "Eve")
    at(drill, clock, 50)
    drill.withdraw("relay-spool-alarm", "fired by a stray key", "Sam")
    drill.pause()
    clock.advance(10 * MINUTE)
    drill.resume_clock()
    drill.jump(drill.now_t() + 40 * MINUTE)
    drill.fire_due()
    drill.end("time is up")
    drill.answer("What went well?", "The bridge")
    drill.rate(f"{MAIL}/route-decision", "P", "decided in time")
    drill.submit_feedback({"organised": 4}, {"strengths": "The bridge"}, respondent="p1", role="lead")
    drill.close()
    agree(project, drill.plan, drill.state, Path(drill.path), snapshots_of(drill), None)


def test_plan_status_and_the_report_time_a_blocked_step_alike(project: Path) -> None:
    drill, clock = drill_of()
    drill.start_step(f"{MAIL}/detect-deferrals")
    drill.complete_step(f"{MAIL}/detect-deferrals")
    drill.start_step(f"{MAIL}/check-gateway-queues")
    clock.advance(MINUTE)
    drill.set_service("mail-gateway", "down")
    clock.advance(30 * MINUTE)
    drill.set_service("mail-gateway", "up")
    clock.advance(MINUTE)
    drill.complete_step(f"{MAIL}/check-gateway-queues")  # two minutes of work, thirty blocked
    drill.close()
    check_step_times(drill.state, Path(drill.path), known=False)


def test_plan_status_counts_a_decision_made_as_its_step_done(project: Path) -> None:
    """Found by the robot: plan status (the readiness summary of a log) saw only step.done, so an improvement
    item on a decision step never saw it done, while the report and the fold count it done."""
    from engine.readiness.drills import summarize

    drill, clock = drill_of()
    work_up_to(drill, f"{MAIL}/failover-decision")
    drill.start_step(f"{MAIL}/failover-decision")
    clock.advance(5 * MINUTE)
    drill.decide(f"{MAIL}/failover-decision", "hold", "retries will carry it", "Sam")
    drill.close()
    assert summarize(drill.path).steps[f"{MAIL}/failover-decision"][0] == 5 * MINUTE
    check_step_times(drill.state, Path(drill.path))
