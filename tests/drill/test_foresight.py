"""foresee(): what a correction would change, said before it is recorded, agrees with what recording it does,
and leaves the state as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from drillkit import minutes, start, write_plan
from test_step_semantics import RUNBOOK, SCENARIO, decide

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.foresight import foresee
from engine.drill.session import Drill
from engine.drill.state import EventError, StepStatus


@pytest.fixture
def run(tmp_path: Path) -> tuple[Drill, FakeClock]:
    return start(write_plan(tmp_path, RUNBOOK, SCENARIO), tmp_path)


def _statuses(drill: Drill) -> dict[str, StepStatus]:
    return {key: drill.state.status(key) for key in drill.plan.steps}


def test_a_revision_foreseen_is_the_revision_recorded(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    decide(drill, "hold")
    drill.start_step("rb/watch")
    minutes(clock, 60)
    before, seq = _statuses(drill), drill.state.seq
    effects = foresee(drill.state, ev.DecisionRevised("rb/route", "fail-over", "relay ready"), drill.now_t())
    assert _statuses(drill) == before and drill.state.seq == seq  # nothing moved, nothing written
    assert drill.state.steps["rb/watch"].off_branch is None
    assert effects.stays == ("rb/watch",)  # started on the old branch: stays, marked
    assert "rb/switch" in effects.opened
    assert effects.disarmed == ("queue-alarm",) and effects.armed == ()
    drill.revise("rb/route", "fail-over", "relay ready")
    after = _statuses(drill)
    assert all(after[key] in (StepStatus.WAITING, StepStatus.READY) for key in effects.opened)
    assert all(before[key] in (StepStatus.DORMANT, StepStatus.SKIPPED) for key in effects.opened)
    assert "queue-alarm" not in drill.state.armed
    assert drill.state.steps["rb/watch"].off_branch


def test_a_revision_skips_the_old_branch_steps_not_started(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    decide(drill, "hold")
    effects = foresee(drill.state, ev.DecisionRevised("rb/route", "fail-over", "relay ready"), drill.now_t())
    assert effects.closed == ("rb/watch",) and effects.stays == ()
    drill.revise("rb/route", "fail-over", "relay ready")
    assert drill.state.status("rb/watch") is StepStatus.SKIPPED


def test_a_withdrawal_foreseen_names_the_services_put_back(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    minutes(clock, 120)
    drill.fire_due()  # press (event press-call) and relay-fails (relay down)
    assert drill.state.services["relay"] == "down"
    effects = foresee(drill.state, ev.InjectWithdrawn("relay-fails", "stray key"), drill.now_t())
    assert effects.services == (("relay", "down", "up"),) and effects.kept == ()
    assert drill.state.services["relay"] == "down"
    press = foresee(drill.state, ev.InjectWithdrawn("press", "stray key"), drill.now_t())
    assert press.closed == ("rb/answer-press",) and press.services == ()


def test_a_later_change_to_the_same_service_is_kept(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    minutes(clock, 120)
    drill.fire_due()
    drill.set_service("relay", "degraded")
    effects = foresee(drill.state, ev.InjectWithdrawn("relay-fails", "stray key"), drill.now_t())
    assert effects.services == () and effects.kept == (("relay", "degraded"),)


def test_what_the_fold_refuses_is_refused_with_its_message(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    with pytest.raises(EventError, match="has not been made"):
        foresee(drill.state, ev.DecisionRevised("rb/route", "hold", "why"), drill.now_t())
    with pytest.raises(EventError, match="has not fired"):
        foresee(drill.state, ev.InjectWithdrawn("press", "why"), drill.now_t())
