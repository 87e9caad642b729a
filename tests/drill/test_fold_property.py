"""Resume is replay: for random valid drills, folding the log read back gives exactly the live state.

Hypothesis drives a Drill (fake clock, a log in a temporary folder) through
a random sequence of actions, each drawn from those valid in the state at
that moment: start, finish or skip a step, tick, decide, fire an inject,
change a service, take a note, pause and resume the clock, jump it, let
wall time pass, rate, answer, end. Then the log must verify, and its fold
must equal the live state field by field, and a resume must pick it up.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill, replay
from engine.drill.state import DrillState, StepStatus
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"

# Small, but with every way a step moves: a decision whose options open branches,
# a join after it, fallbacks of steps that require services, an `on:` branch, checklists.
RUNBOOK = """\
runbook: prop
title: Every kind of step, small
services:
  db: The database
  net: The network
roles:
  lead: Leads
objectives:
  fast: Detect fast
steps:
  detect:
    title: Detect
    owner: lead
    target: 5m
    objectives: [fast]
    do: [Look, Listen]
  choose:
    title: Choose a way
    owner: lead
    needs: [detect]
    decision:
      question: Left or right?
      options:
        left: {label: Left, next: [go-left]}
        right: {label: Right, next: [go-right, extra]}
  go-left:
    title: Go left
    owner: lead
    requires: [db]
    fallback: manual-left
  manual-left:
    title: Go left by hand
    owner: lead
  go-right:
    title: Go right
    owner: lead
    requires: [net]
  extra:
    title: The extra mile
    owner: lead
    needs: [go-right]
  alarm:
    title: Answer the alarm
    owner: lead
    on: alarm
    requires: [db]
    do: [Ring back]
  join:
    title: Join up
    owner: lead
    needs: [go-left, go-right]
    requires: [net]
    fallback: join-by-phone
  join-by-phone:
    title: Join up by phone
    owner: lead
"""

SCENARIO = """\
scenario: prop-day
title: A day that exercises every rule
runbooks: [prop]
duration: 2h
injects:
  - id: db-down
    at: T+10m
    services: {db: down}
  - id: alarm-rings
    at: T+20m
    event: alarm
  - id: after-left
    after: {decision: choose, option: left}
    at: +5m
    services: {net: down}
  - id: after-detect
    after: {step: detect}
    at: +1m
    say: Detected.
  - id: all-up
    at: T+1h
    services: {db: up, net: up}
"""

TEXT = st.text(min_size=1, max_size=40).filter(lambda s: bool(s.strip()))
SECONDS = st.integers(0, 7_200_000).map(lambda ms: ms / 1000)

Action = Callable[[st.DataObject], Any]


class Plans:
    """The plans under test behind a one-line repr, so hypothesis' report of a failing case stays readable."""

    def __init__(self, plans: list[Plan]) -> None:
        self.plans = plans

    def __repr__(self) -> str:
        return f"Plans({', '.join(p.scenario.scenario for p in self.plans)})"


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Plans:
    folder = tmp_path_factory.mktemp("prop")
    (folder / "runbooks").mkdir()
    (folder / "scenarios").mkdir()
    (folder / "runbooks" / "prop.yaml").write_text(RUNBOOK, encoding="utf-8")
    (folder / "scenarios" / "prop-day.yaml").write_text(SCENARIO, encoding="utf-8")
    return Plans([load_plan(str(folder / "scenarios" / "prop-day.yaml")), load_plan(str(SHIPPED))])


def actions(drill: Drill, clock: FakeClock) -> list[tuple[str, Action]]:
    """Every kind of action that is valid now, each drawing its own details."""
    state, plan = drill.state, drill.plan
    out: list[tuple[str, Action]] = [
        ("note", lambda d: drill.note(d.draw(st.sampled_from(ev.NOTE_KINDS)), d.draw(TEXT),
                                      d.draw(st.none() | st.sampled_from(list(plan.steps))), d.draw(TEXT))),
        ("answer", lambda d: drill.answer(d.draw(TEXT), d.draw(st.text(max_size=30)))),
    ]
    notes = sorted({n.seq for n in state.notes} - state.withdrawn_notes())
    if notes:
        out.append(("amend", lambda d: drill.amend_note(d.draw(st.sampled_from(notes)), d.draw(TEXT), d.draw(TEXT))))
        out.append(("unnote", lambda d: drill.withdraw_note(d.draw(st.sampled_from(notes)), d.draw(TEXT))))
    if plan.objectives:
        out.append(("rate", lambda d: drill.rate(d.draw(st.sampled_from(sorted(plan.objectives))),
                                                 d.draw(st.sampled_from(sorted(ev.RATINGS))),
                                                 d.draw(st.text(max_size=20)))))
    if state.ended:
        return out  # after the end only the hot wash goes on
    statuses = state.statuses()
    ready = [k for k, s in statuses.items() if s is StepStatus.READY]
    doable = [k for k, s in statuses.items() if s in (StepStatus.READY, StepStatus.ACTIVE)]
    finishable = [k for k in doable if not plan.steps[k].options]
    decidable = [k for k in doable if plan.steps[k].options]
    skippable = [k for k, s in statuses.items() if s not in (StepStatus.DONE, StepStatus.SKIPPED)]
    checklists = [k for k, step in plan.steps.items() if step.do]
    unfired = [i.id for i in plan.injects if i.id not in state.fired]
    out.append(("wait", lambda d: clock.advance(d.draw(SECONDS))))
    out.append(("service", lambda d: drill.set_service(d.draw(st.sampled_from(sorted(plan.services))),
                                                       d.draw(st.sampled_from(ev.HEALTH)))))
    out.append(("jump", lambda d: drill.jump(drill.now_t() + d.draw(st.integers(1, 36_000)))))
    out.append(("pause", lambda d: drill.pause()) if state.running else ("resume", lambda d: drill.resume_clock()))
    # Moving the drill on is listed three times over, so random drills get somewhere.
    if ready:
        out += [("start", lambda d: drill.start_step(d.draw(st.sampled_from(ready))))] * 3
    if finishable:
        out += [("done", lambda d: drill.complete_step(d.draw(st.sampled_from(finishable))))] * 3
    if decidable:
        def decide(d: st.DataObject) -> None:
            key = d.draw(st.sampled_from(decidable))
            drill.decide(key, d.draw(st.sampled_from(list(plan.steps[key].options or {}))), d.draw(TEXT),
                         d.draw(st.text(max_size=10)))
        out += [("decide", decide)] * 3
    if skippable:
        out.append(("skip", lambda d: drill.skip_step(d.draw(st.sampled_from(skippable)), d.draw(TEXT))))
    if checklists:
        def tick(d: st.DataObject) -> None:
            key = d.draw(st.sampled_from(checklists))
            drill.tick(key, d.draw(st.integers(0, len(plan.steps[key].do) - 1)), d.draw(st.booleans()))
        out.append(("tick", tick))
    if unfired:
        out.append(("fire", lambda d: drill.fire(d.draw(st.sampled_from(unfired)), manual=d.draw(st.booleans()))))
    out += corrections(drill)
    if state.due(drill.now_t()):
        out.append(("fire-due", lambda d: drill.fire_due()))
    return out


def corrections(drill: Drill) -> list[tuple[str, Action]]:
    """Revise a decision made, withdraw an inject fired (ad hoc ones too), reopen a step done or skipped by hand;
    write an ad-hoc inject; settle a time away while the clock is paused."""
    state, plan = drill.state, drill.plan
    out: list[tuple[str, Action]] = []
    revisable = [(k, o) for k, dec in state.decisions.items() for o in plan.steps[k].options or {} if o != dec.option]
    if revisable:
        def revise(d: st.DataObject) -> None:
            key, option = d.draw(st.sampled_from(revisable))
            drill.revise(key, option, d.draw(TEXT), d.draw(st.text(max_size=10)))
        out.append(("revise", revise))
    withdrawable = sorted(set(state.fired) - set(state.withdrawn))
    if withdrawable:
        out.append(("withdraw", lambda d: drill.withdraw(d.draw(st.sampled_from(withdrawable)), d.draw(TEXT))))
    out.append(("adhoc", lambda d: drill.adhoc(
        d.draw(TEXT), d.draw(st.lists(st.sampled_from(["lead", "ops"]), max_size=2)),
        d.draw(st.dictionaries(st.sampled_from(sorted(plan.services)), st.sampled_from(ev.HEALTH), max_size=2)),
        d.draw(st.none() | st.sampled_from(["alarm", "no-such-event"])), d.draw(st.text(max_size=10)))))
    if not state.running and not state.ended and state.wall:
        out.append(("gap", lambda d: drill.record(ev.ClockGap(state.wall or "", d.draw(SECONDS),
                                                              d.draw(st.booleans())))))
    reopenable = [k for k, r in state.steps.items() if not (plan.steps[k].options and k in state.decisions)
                  and (r.done_t is not None or r.skipped_by == "facilitator")]
    if reopenable:
        out.append(("reopen", lambda d: drill.reopen(d.draw(st.sampled_from(reopenable)), d.draw(TEXT))))
    return out


def snapshot(state: DrillState) -> dict[str, Any]:
    """Everything the fold knows, as plain comparable values."""
    return {
        "statuses": state.statuses(), "steps": state.steps, "services": state.services,
        "decisions": state.decisions, "fired": state.fired, "armed": state.armed, "arrived": state.arrived,
        "notes": state.notes, "corrections": state.corrections, "withdrawn": state.withdrawn,
        "adhoc": state.adhoc, "gaps": state.gaps, "jumped_to": state.jumped_to,
        "ratings": state.ratings, "hotwash": state.hotwash,
        "t": state.t, "running": state.running, "base_t": state.base_t, "base_wall": state.base_wall,
        "seq": state.seq, "wall": state.wall, "started": state.started, "ended": state.ended,
        "end_reason": state.end_reason, "facilitator": state.facilitator, "participants": state.participants,
        "start_info": state.start_info, "finished": state.finished(), "upcoming": state.upcoming(),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fold_of_the_log_read_back_is_the_live_state(plans: Plans, data: st.DataObject) -> None:
    plan = plans.plans[data.draw(st.integers(0, len(plans.plans) - 1), label="plan")]
    clock = FakeClock(datetime(2026, 1, 22, 19, 33, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "drill.jsonl")
        drill = Drill.start(plan, clock, log_path=path, facilitator=data.draw(st.none() | TEXT),
                            participants={"lead": "Sam"})
        try:
            for _ in range(data.draw(st.integers(0, 100), label="length")):
                _, action = data.draw(st.sampled_from(actions(drill, clock)), label="action")
                action(data)
            if data.draw(st.booleans(), label="end"):
                drill.end(data.draw(st.text(max_size=20)))
                for _ in range(data.draw(st.integers(0, 3), label="after the end")):
                    _, action = data.draw(st.sampled_from(actions(drill, clock)), label="hot wash")
                    action(data)
        finally:
            drill.close()
        read = read_log(path)
        assert read.ok, read.problem
        assert len(read.events) == drill.state.seq + 1
        assert snapshot(replay(plan, read)) == snapshot(drill.state)

        resumed = Drill.resume(plan, path, clock)
        try:
            assert resumed.state.seq == drill.state.seq + (1 if drill.state.running else 0)
            assert resumed.state.statuses() == drill.state.statuses()
            assert not resumed.state.running
        finally:
            resumed.close()
        assert read_log(path).ok
