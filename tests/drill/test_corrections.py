"""One test per correction rule (docs/format.md, "Corrections"), driven through the Drill API on a fake
clock, each event written to a real log; the last tests check that a replay of the log folds the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillkit import minutes, start, write_plan
from test_step_semantics import RUNBOOK, SCENARIO, decide, status

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill, replay
from engine.drill.state import EventError, StepStatus


@pytest.fixture
def run(tmp_path: Path) -> tuple[Drill, FakeClock]:
    return start(write_plan(tmp_path, RUNBOOK, SCENARIO), tmp_path)


def test_revising_a_decision_puts_the_old_branch_back_and_opens_the_new(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    decide(drill, "fail-over")
    assert status(drill, "watch") is StepStatus.SKIPPED
    minutes(clock, 120)
    drill.revise("rb/route", "hold", "the relay is not ready", "ic")
    assert status(drill, "switch") is StepStatus.SKIPPED
    assert drill.state.steps["rb/switch"].skipped_by == "branch not taken"
    assert "“Hold” was chosen" in (drill.state.steps["rb/switch"].skip_reason or "")
    assert status(drill, "watch") is StepStatus.READY
    assert drill.state.decisions["rb/route"].option == "hold"
    revision = drill.state.corrections[-1]
    assert (revision.old, revision.new, revision.reason, revision.by, revision.t) == (
        "fail-over", "hold", "the relay is not ready", "ic", 7200.0)


def test_a_step_started_on_the_old_branch_stays_and_says_so(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    decide(drill, "fail-over")
    drill.start_step("rb/switch")
    drill.revise("rb/route", "hold", "changed our mind")
    assert status(drill, "switch") is StepStatus.ACTIVE
    assert "option `fail-over` of rb/route" in (drill.state.steps["rb/switch"].off_branch or "")
    assert status(drill, "watch") is StepStatus.READY


def test_revising_arms_the_new_options_contingency_inject_and_disarms_the_old(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    decide(drill, "hold")
    assert "queue-alarm" in drill.state.armed
    drill.revise("rb/route", "fail-over", "the relay is ready after all")
    assert "queue-alarm" not in drill.state.armed
    drill.revise("rb/route", "hold", "no, it is not")
    assert "queue-alarm" in drill.state.armed


def test_a_decision_not_made_or_the_same_option_cannot_be_revised(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    with pytest.raises(EventError, match="has not been made"):
        drill.revise("rb/route", "hold", "why not")
    decide(drill, "hold")
    with pytest.raises(EventError, match="already `hold`"):
        drill.revise("rb/route", "hold", "again")
    with pytest.raises(EventError, match="no option"):
        drill.revise("rb/route", "sideways", "again")
    with pytest.raises(ev.DecodeError, match="reason"):
        drill.revise("rb/route", "fail-over", "  ")


def test_withdrawing_an_inject_undoes_its_service_change(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    decide(drill, "fail-over")
    drill.fire("relay-fails", manual=True)
    assert drill.state.services["relay"] == "down"
    assert status(drill, "switch") is StepStatus.BLOCKED
    drill.withdraw("relay-fails", "fired by a stray key", "facilitator")
    assert drill.state.services["relay"] == "up"
    assert status(drill, "switch") is StepStatus.READY
    assert drill.state.withdrawn["relay-fails"].reason == "fired by a stray key"
    assert "relay-fails" in drill.state.fired  # it did fire; the log says so


def test_withdrawing_keeps_a_service_a_later_event_changed(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    drill.fire("relay-fails", manual=True)
    drill.set_service("relay", "degraded")
    drill.withdraw("relay-fails", "by mistake")
    assert drill.state.services["relay"] == "degraded"


def test_withdrawing_an_inject_closes_the_steps_its_event_opened_and_not_started(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    drill.fire("press", manual=True)
    assert status(drill, "answer-press") is StepStatus.READY
    drill.withdraw("press", "no reporter called")
    assert status(drill, "answer-press") is StepStatus.DORMANT
    assert "press-call" not in drill.state.arrived


def test_an_inject_not_fired_or_withdrawn_twice_is_refused(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    with pytest.raises(EventError, match="has not fired"):
        drill.withdraw("press", "oops")
    drill.fire("press", manual=True)
    drill.withdraw("press", "oops")
    with pytest.raises(EventError, match="already withdrawn"):
        drill.withdraw("press", "oops")


def test_reopening_a_step_done_by_mistake_makes_it_active_again(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    drill.start_step("rb/assess")
    drill.complete_step("rb/assess")
    assert status(drill, "route") is StepStatus.READY
    drill.reopen("rb/assess", "ticked the wrong step", "ic")
    assert status(drill, "assess") is StepStatus.ACTIVE
    assert status(drill, "route") is StepStatus.WAITING
    assert drill.state.corrections[-1].old == "done"


def test_reopening_a_skipped_step_opens_it_and_only_a_finished_step_can_be_reopened(
        run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    drill.skip_step("rb/assess", "no time")
    drill.reopen("rb/assess", "we do have time")
    assert status(drill, "assess") is StepStatus.READY
    with pytest.raises(EventError, match="only a step done or skipped by hand"):
        drill.reopen("rb/assess", "again")
    decide(drill, "fail-over")
    with pytest.raises(EventError, match="revise the decision"):
        drill.reopen("rb/route", "again")
    with pytest.raises(EventError, match="only a step done or skipped by hand"):
        drill.reopen("rb/watch", "skipped as a branch not taken")


def test_amending_a_note_keeps_the_original(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    seq = drill.note("observation", "Priya called the provider").seq
    drill.amend_note(seq, "Sam called the provider", "evaluator")
    assert drill.state.notes[0].text == "Priya called the provider"
    assert drill.state.note_text(seq) == "Sam called the provider"
    change = drill.state.corrections[-1]
    assert (change.kind, change.old, change.new, change.by) == (ev.NOTE_AMENDED, "Priya called the provider",
                                                                "Sam called the provider", "evaluator")


def test_withdrawing_a_note_marks_it_and_it_can_be_corrected_after_the_end(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    seq = drill.note("strength", "Fast failover").seq
    drill.end()
    drill.withdraw_note(seq, "wrong drill")
    assert drill.state.withdrawn_notes() == {seq}
    with pytest.raises(EventError, match="withdrawn already"):
        drill.amend_note(seq, "new text")
    with pytest.raises(EventError, match="is not a note"):
        drill.withdraw_note(0, "the start is not a note")


def test_corrections_replay_to_the_same_state(run: tuple[Drill, FakeClock], tmp_path: Path) -> None:
    drill, clock = run
    decide(drill, "fail-over")
    drill.start_step("rb/switch")
    minutes(clock, 30)
    drill.revise("rb/route", "hold", "relay not ready")
    drill.fire("relay-fails", manual=True)
    drill.withdraw("relay-fails", "stray key")
    seq = drill.note("observation", "typo").seq
    drill.amend_note(seq, "fixed")
    drill.close()
    read = read_log(drill.path)
    folded = replay(drill.plan, read)
    assert folded.statuses() == drill.state.statuses()
    assert folded.corrections == drill.state.corrections
    assert folded.services == drill.state.services
    assert [e.type for e in read.events][-4:] == [ev.INJECT_FIRED, ev.INJECT_WITHDRAWN, ev.NOTE, ev.NOTE_AMENDED]


def test_a_correction_payload_round_trips_through_its_wire_form() -> None:
    for payload in (ev.DecisionRevised("rb/route", "hold", "why", "ic"), ev.InjectWithdrawn("press", "why"),
                    ev.StepReopened("rb/assess", "why"), ev.NoteAmended(3, "text"), ev.NoteWithdrawn(3, "why")):
        assert ev.decode(payload.WIRE, payload.encode()) == payload
    with pytest.raises(ev.DecodeError, match="event number"):
        ev.decode(ev.NOTE_AMENDED, {"note": True, "text": "x"})
