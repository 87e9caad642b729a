"""The step rules have one owner, engine.step_rules: change a rule there and every consumer follows.

Each test changes one rule function (as a new way to open, close or block a
step would) and checks that the fold (DrillState), the static walk of
validate (engine.paths.walk, join_skip), the frontier and explore's
footprints all take the new rule, with no other edit. A hypothesis test
then checks the third reader of the rules, join_skip's per-combination
skipping, against the full static walk on drawn runbooks (the walk and the
fold are compared in test_walk_agrees_with_fold.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from drillkit import write_plan
from hypothesis import given, settings
from test_walk_agrees_with_fold import _plan, drawn

from engine import step_rules
from engine.drill import events as ev
from engine.drill.frontier import Frontier, Links, touched
from engine.drill.independence import footprint
from engine.drill.plan import Plan
from engine.drill.session import started
from engine.drill.state import DrillState, StepStatus
from engine.graph import RunbookGraph
from engine.paths import State, _Skipping, explore, join_skip, walk

# s0 requires db and is backed up by s1; s2 needs the fallback s1 (a join on a branch only);
# s3 opens on the event `call`; s4 decides, its option `a` opens s5.
RUNBOOK = """\
runbook: rb
title: Rules
services:
  db: The database
steps:
  s0: {title: Start, requires: [db], fallback: s1}
  s1: {title: By hand}
  s2: {title: After the fallback, needs: [s1]}
  s3: {title: On a call, on: call}
  s4:
    title: Choose
    decision:
      question: Which?
      options:
        a: {label: A, next: [s5]}
        b: {label: B}
  s5: {title: A's branch}
"""
SCENARIO = """\
scenario: sc
title: Quiet
runbooks: [rb]
injects:
  - id: slow
    at: T+1m
    services: {db: degraded}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    return write_plan(tmp_path, RUNBOOK, SCENARIO)


def _event(state: DrillState, payload: ev.Payload, t: float = 0.0) -> None:
    state.apply(ev.Event.of(state.seq + 1, "2026-01-01T00:00:00.000Z", t, payload))


def _fold_after_s0(plan: Plan) -> tuple[DrillState, Frontier]:
    """The fold and its frontier after the drill starts and s0 is done."""
    state = DrillState(plan)
    links = Links(plan)
    _event(state, started(plan, "test"))
    frontier = Frontier(state, links)
    for payload in (ev.StepStarted("rb/s0"), ev.StepDone("rb/s0")):
        _event(state, payload)
        frontier.update(touched(payload, links, plan))
    return state, frontier


def _fallbacks_never_close(opener: step_rules.Opener, world: step_rules.World) -> bool:
    """A changed rule: a fallback stays open even once its step is done (every other opener as before)."""
    if opener.kind == step_rules.FALLBACK:
        return False
    return ORIGINAL_CLOSED(opener, world)


ORIGINAL_CLOSED = step_rules.closed


def test_as_written_the_fallback_of_a_finished_step_is_skipped_everywhere(plan: Plan) -> None:
    state, frontier = _fold_after_s0(plan)
    assert state.status("rb/s1") is StepStatus.SKIPPED
    assert frontier.status["rb/s2"] is StepStatus.READY
    runbook = plan.runbooks[0]
    assert walk(runbook, {}).states["s1"] is State.SKIPPED
    assert join_skip(runbook, RunbookGraph(runbook), "s2", ["s1"]).always


def test_one_edit_to_when_an_opener_closes_reaches_the_fold_the_frontier_and_the_walk(
        plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(step_rules, "closed", _fallbacks_never_close)
    state, frontier = _fold_after_s0(plan)
    assert state.status("rb/s1") is StepStatus.DORMANT  # the fold
    assert frontier.status["rb/s2"] is StepStatus.WAITING  # the frontier
    runbook = plan.runbooks[0]
    outcome = walk(runbook, {})  # validate's static walk
    assert outcome.states["s1"] is State.DORMANT
    assert outcome.stuck() == ["s2"]
    assert join_skip(runbook, RunbookGraph(runbook), "s2", ["s1"]).example is None  # and join-all-skippable


def test_one_edit_to_what_opens_a_step_reaches_the_plan_the_graph_the_fold_and_the_walk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = step_rules.openers

    def no_events(steps):  # type: ignore[no-untyped-def]
        """A changed rule: `on:` opens nothing, so an event step is a main step."""
        return {key: [o for o in found if o.kind != step_rules.EVENT] for key, found in original(steps).items()}

    monkeypatch.setattr(step_rules, "openers", no_events)
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    assert not plan.steps["rb/s3"].branch  # the plan
    runbook = plan.runbooks[0]
    assert not RunbookGraph(runbook).is_branch("s3")  # the graph the rules read
    state = DrillState(plan)
    _event(state, started(plan, "test"))
    assert state.status("rb/s3") is StepStatus.READY  # the fold opens it at the start
    assert walk(runbook, {}).states["s3"] is State.DONE  # the walk does it


def test_one_edit_to_what_blocks_a_step_reaches_the_fold_and_the_frontier(
        plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(step_rules, "blocked",
                        lambda requires, services: any(services.get(s) in ("down", "degraded") for s in requires))
    state = DrillState(plan)
    links = Links(plan)
    _event(state, started(plan, "test"))
    frontier = Frontier(state, links)
    payload = ev.InjectFired("slow", services={"db": "degraded"})
    _event(state, payload, 60.0)
    frontier.update(touched(payload, links, plan))
    assert state.status("rb/s0") is StepStatus.BLOCKED
    assert frontier.status["rb/s0"] is StepStatus.BLOCKED
    assert state.status("rb/s1") is StepStatus.READY  # its fallback opened, by the same rule


def test_one_edit_to_the_ties_between_steps_reaches_the_walk_the_frontier_and_the_footprints(
        plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "rb/s3" not in footprint(plan, "rb/s4")[0]
    original = step_rules.Ties.__init__

    def tied(self: step_rules.Ties, steps) -> None:  # type: ignore[no-untyped-def]
        """A changed rule: a step a decision option opens reaches the first `on:` step too."""
        original(self, steps)
        listening = [key for key, step in steps.items() if step.on]
        branches = {t for step in steps.values() for targets in (step.options or {}).values() for t in targets}
        for key in steps:
            if key in branches and listening:
                self.opens[key].append(listening[0])
                self.linked[key].append(listening[0])
                self.onward[key].append(listening[0])
                self.wakes[key].append(listening[0])

    monkeypatch.setattr(step_rules.Ties, "__init__", tied)
    assert "rb/s3" in Links(plan).linked["rb/s5"]  # the frontier's links
    assert "rb/s3" in footprint(plan, "rb/s4")[0]  # explore's footprints
    runbook = plan.runbooks[0]
    assert "s3" in RunbookGraph(runbook).ties.wakes["s5"]  # the walk's wakes


@settings(max_examples=60, deadline=None, derandomize=True)
@given(drawn())
def test_join_skip_skips_what_the_full_walk_skips(case) -> None:  # type: ignore[no-untyped-def]
    """On every path of the static walk that leaves no step stuck, join_skip's rule of skipping (under the
    path's choices) names exactly the steps the walk skipped."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "runbooks").mkdir()
        (folder / "scenarios").mkdir()
        (folder / "runbooks" / "rb.yaml").write_text(case.runbook, encoding="utf-8")
        (folder / "scenarios" / "sc.yaml").write_text(case.scenario, encoding="utf-8")
        plan, _ = _plan(folder)
    runbook = plan.runbooks[0]
    graph = RunbookGraph(runbook)
    for path in explore(runbook, graph=graph):
        if path.stuck():
            continue
        skipping = _Skipping(graph, dict(path.choices))
        assert {sid for sid in runbook.steps if skipping(sid)} == \
            {sid for sid, s in path.states.items() if s is State.SKIPPED}, path.describe()
