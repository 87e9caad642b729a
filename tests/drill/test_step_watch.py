"""StepWatch (engine.drill.watch) hands a view the steps the events changed since it last looked: every step
the first time and after an event it did not hear, else the steps the events touched and those whose status
changed, with those statuses as the fold has them."""

from __future__ import annotations

from pathlib import Path

from drillkit import SHIPPED, T0

from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.drill.watch import StepWatch
from engine.plans import load_plan

MAIL = "inbound-mail-continuity"


def test_the_watch_hands_over_what_changed(tmp_path: Path) -> None:
    plan = load_plan(str(SHIPPED))
    clock = FakeClock(T0)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))
    watch = StepWatch(drill.state)
    drill.listeners.append(watch.heard)
    assert watch.take() is None  # the first look is at every step
    assert watch.take() == set()  # nothing happened since
    drill.start_step(f"{MAIL}/detect-deferrals")
    clock.advance(60)
    drill.complete_step(f"{MAIL}/detect-deferrals")
    changed = watch.take()
    assert changed is not None and f"{MAIL}/detect-deferrals" in changed
    assert f"{MAIL}/declare-incident" in changed  # it needed the step just done: now ready
    assert len(changed) < len(plan.steps) // 2
    assert watch.status == drill.state.statuses()
    drill.listeners.remove(watch.heard)
    drill.start_step(f"{MAIL}/declare-incident")  # recorded while nobody listened
    drill.listeners.append(watch.heard)
    drill.tick(f"{MAIL}/declare-incident", 0)
    assert watch.take() is None  # it missed an event: every step again
    assert watch.status == drill.state.statuses()
    drill.close()
