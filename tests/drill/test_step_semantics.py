"""One test per rule of "How steps move" (docs/format.md), driven through the Drill API on a fake clock,
with every event written to a real log in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillkit import minutes, start, write_plan

from engine.drill.log import read_log
from engine.drill.session import Drill
from engine.drill.state import EventError, StepStatus

RUNBOOK = """\
runbook: rb
title: Keep mail flowing
services:
  relay: The secondary MX relay
  tracker: The ticket tracker
steps:
  assess:
    title: Assess the deferrals
    target: 10m
  route:
    title: Fail over or hold?
    needs: [assess]
    decision:
      question: Move inbound mail to the relay?
      options:
        fail-over: {label: Fail over, next: [switch]}
        hold: {label: Hold, next: [watch]}
  switch:
    title: Switch MX to the relay
    requires: [relay]
    fallback: forward-by-hand
  forward-by-hand:
    title: Forward urgent mail by hand
  watch:
    title: Watch the queues
    decision:
      question: Escalate to the provider?
      options:
        escalate: {label: Escalate, next: [call-provider]}
        wait: {label: Wait, next: [note-wait]}
  call-provider:
    title: Call the provider
  note-wait:
    title: Note the decision to wait
  close:
    title: Close the incident
    needs: [switch, watch]
  log-ticket:
    title: Log a ticket
    requires: [tracker]
  report:
    title: Report to leadership
    needs: [log-ticket]
  answer-press:
    title: Answer the press
    on: press-call
"""

SCENARIO = """\
scenario: sc
title: A bad afternoon for mail
runbooks: [rb]
duration: 4h
injects:
  - id: relay-fails
    at: T+2h
    services: {relay: down}
    say: The relay stops answering.
  - id: relay-back
    at: T+3h
    services: {relay: up}
    say: The relay answers again.
  - id: press
    at: T+1h
    event: press-call
    say: A reporter calls.
  - id: queue-alarm
    after: {decision: route, option: hold}
    at: +30m
    say: The gateway queue alarm goes off.
"""


@pytest.fixture
def drill(tmp_path: Path) -> Drill:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    return start(plan, tmp_path)[0]


def status(drill: Drill, step: str) -> StepStatus:
    return drill.state.status(f"rb/{step}")


def decide(drill: Drill, option: str) -> None:
    drill.complete_step("rb/assess")
    drill.decide("rb/route", option, "test", "ic")


def test_a_join_goes_ahead_after_the_branch_not_taken_is_skipped(drill: Drill) -> None:
    decide(drill, "fail-over")
    assert status(drill, "watch") is StepStatus.SKIPPED
    assert status(drill, "close") is StepStatus.WAITING  # switch is still to do
    drill.complete_step("rb/switch")
    assert status(drill, "close") is StepStatus.READY
    assert "“Fail over” was chosen" in (drill.state.steps["rb/watch"].skip_reason or "")  # as the runbook words it


def test_a_fallback_opens_when_a_required_service_goes_down(drill: Drill) -> None:
    decide(drill, "fail-over")
    assert status(drill, "forward-by-hand") is StepStatus.DORMANT
    drill.set_service("relay", "down")
    assert status(drill, "switch") is StepStatus.BLOCKED
    assert status(drill, "forward-by-hand") is StepStatus.READY


def test_a_blocked_step_comes_back_where_it_was_when_the_service_is_up(drill: Drill) -> None:
    decide(drill, "fail-over")
    drill.start_step("rb/switch")
    drill.set_service("relay", "down")
    assert status(drill, "switch") is StepStatus.BLOCKED
    drill.set_service("relay", "degraded")
    assert status(drill, "switch") is StepStatus.ACTIVE
    assert drill.state.steps["rb/switch"].blocked_t is None


def test_a_blocked_step_whose_fallback_is_done_counts_as_resolved_for_a_join(drill: Drill) -> None:
    decide(drill, "fail-over")
    drill.set_service("relay", "down")
    assert status(drill, "close") is StepStatus.WAITING
    drill.complete_step("rb/forward-by-hand")
    assert status(drill, "switch") is StepStatus.BLOCKED
    assert drill.state.resolved("rb/switch")
    assert status(drill, "close") is StepStatus.READY


def test_an_on_branch_opens_when_its_event_arrives(drill: Drill, tmp_path: Path) -> None:
    assert status(drill, "answer-press") is StepStatus.DORMANT
    drill.fire("relay-back")  # an inject without the event opens nothing
    assert status(drill, "answer-press") is StepStatus.DORMANT
    drill.fire("press")
    assert status(drill, "answer-press") is StepStatus.READY


def test_a_contingency_inject_arms_at_its_option_and_comes_due_after_its_offset(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 10)
    decide(drill, "hold")
    inject = plan.inject("queue-alarm")
    assert inject is not None
    assert drill.state.due_time(inject) == 40 * 60
    minutes(clock, 29)
    assert "queue-alarm" not in [i.id for i in drill.state.due(drill.now_t())]
    minutes(clock, 1)
    assert "queue-alarm" in [i.id for i in drill.state.due(drill.now_t())]
    fired = [e.data["inject"] for e in drill.fire_due()]
    assert "queue-alarm" in fired and drill.state.fired["queue-alarm"].t == 40 * 60


def test_a_contingency_inject_never_arms_after_the_other_option(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    decide(drill, "fail-over")
    minutes(clock, 24 * 60)
    assert "queue-alarm" not in drill.state.armed
    assert "queue-alarm" not in [i.id for _, i in drill.state.upcoming()]
    assert "queue-alarm" not in [i.id for i in drill.state.due(drill.now_t())]


def test_a_skip_needs_a_reason_and_is_logged_with_it(drill: Drill) -> None:
    written = drill.log.next_seq
    with pytest.raises(EventError, match="reason"):
        drill.skip_step("rb/log-ticket", "  ")
    assert drill.log.next_seq == written  # a refused event is never written
    assert status(drill, "log-ticket") is StepStatus.READY
    drill.skip_step("rb/log-ticket", "the tracker is part of the outage")
    assert status(drill, "log-ticket") is StepStatus.SKIPPED
    assert drill.state.steps["rb/log-ticket"].skip_reason == "the tracker is part of the outage"
    assert status(drill, "report") is StepStatus.READY  # a skipped need counts as resolved
    assert read_log(drill.path).events[-1].data["reason"] == "the tracker is part of the outage"


def test_skipping_is_transitive_through_options_and_fallbacks(drill: Drill) -> None:
    decide(drill, "fail-over")
    # watch was skipped, so its own options can never be taken: their branches are skipped too.
    for step in ("watch", "call-provider", "note-wait"):
        assert status(drill, step) is StepStatus.SKIPPED, step
    drill.complete_step("rb/switch")
    # switch finished without needing its fallback, which therefore closes.
    assert status(drill, "forward-by-hand") is StepStatus.SKIPPED


def test_a_decision_on_a_waiting_step_is_refused(drill: Drill) -> None:
    assert status(drill, "route") is StepStatus.WAITING
    with pytest.raises(EventError, match="waiting"):
        drill.decide("rb/route", "hold")
    assert "rb/route" not in drill.state.decisions


def test_the_clock_pauses_resumes_and_jumps(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 10)
    assert drill.now_t() == 600
    drill.pause()
    minutes(clock, 30)  # paused: scenario time stands still
    assert drill.now_t() == 600
    drill.resume_clock()
    minutes(clock, 5)
    assert drill.now_t() == 900
    drill.jump(4 * 3600)  # "four hours later"
    assert drill.now_t() == 4 * 3600
    minutes(clock, 1)
    assert drill.now_t() == 4 * 3600 + 60
    with pytest.raises(EventError, match="forward"):
        drill.jump(60)


def test_resume_after_a_clean_stop_has_the_same_state_and_a_paused_clock(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 12)
    decide(drill, "hold")
    drill.note("observation", "held on the advice of the messaging lead", "rb/route", "facilitator")
    minutes(clock, 3)
    drill.fire("press")
    before = drill.state.statuses()
    decisions = dict(drill.state.decisions)
    t = drill.state.t
    drill.close()

    minutes(clock, 60)  # the hour away does not count
    again = Drill.resume(plan, drill.path, clock)
    assert again.state.statuses() == before
    assert again.state.decisions == decisions
    assert not again.state.running
    assert again.now_t() == t
    assert read_log(again.path).events[-1].type == "clock.paused"


def test_text_that_is_not_valid_unicode_is_refused_and_nothing_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from engine.drill.clock import FakeClock
    from engine.drill.log import read_log
    from engine.drill.session import Drill
    from engine.drill.state import EventError
    from engine.plans import load_plan

    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    plan = load_plan(str(root / "scenarios" / "m365-na-outage-2026-01-22.yaml"))
    drill = Drill.start(plan, FakeClock(datetime(2026, 1, 22, tzinfo=UTC)), log_path=str(tmp_path / "d.jsonl"))
    before = drill.state.seq
    import pytest

    with pytest.raises(EventError, match="not valid Unicode"):
        drill.note("observation", "broken \udcff paste")
    assert drill.state.seq == before and drill.state.notes == []
    assert len(read_log(str(tmp_path / "d.jsonl")).events) == before + 1
