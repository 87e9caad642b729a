"""Explore with `merge` (what coverage uses) reaches what the full search reaches, playing far fewer paths.

A fork met in a state some fork was already played from is not played
again (engine.drill.explore.Exploration). Hypothesis draws the drills of
test_explore_groups (outages, fallbacks, event branches, contingency
injects, nested decisions, paths past the horizon; with and without a
close-out that needs every decision step) and coverage must give the same
cells and count the same paths with merging as without; so must the
explorer's own counts (paths, paths by group, options played).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from test_explore_groups import (
    LIMIT,
    REACH_BACK,
    REACH_BACK_DAY,
    UNRELATED,
    UNRELATED_DAY,
    _plan,
    drill,
    drill_with_wrap_up,
    wrap_up_runbook,
)

from engine.coverage import cover_scenario, runbook_items
from engine.drill.explore import explore
from engine.drill.plan import Plan

# Decisions in a row, each branch rejoining before the next decision: every fork after the first join is
# met again in the same state on the other option.
CHAIN = """\
runbook: rb
title: Decisions in a row
services:
  db: The database
steps:
  d0:
    title: Decide 0
    target: 5m
    decision:
      question: Which way?
      options:
        o0: {label: A, next: [a0]}
        o1: {label: B, next: [b0]}
  a0: {title: A 0, target: 15m}
  b0: {title: B 0, target: 15m, requires: [db], fallback: f0}
  f0: {title: By hand 0, target: 5m}
  j0: {title: Join 0, needs: [a0, b0]}
  d1:
    title: Decide 1
    target: 5m
    needs: [j0]
    decision:
      question: Which way?
      options:
        o0: {label: A, next: [a1]}
        o1: {label: B, next: [b1]}
  a1: {title: A 1, target: 15m}
  b1: {title: B 1, target: 25m}
  j1: {title: Join 1, needs: [a1, b1]}
  d2:
    title: Decide 2
    target: 5m
    needs: [j1]
    decision:
      question: Which way?
      options:
        o0: {label: A, next: [a2]}
        o1: {label: B, next: [b2]}
  a2: {title: A 2, target: 15m}
  b2: {title: B 2, target: 15m}
  j2: {title: Join 2, needs: [a2, b2]}
"""
CHAIN_DAY = """\
scenario: sc
title: The database goes at three hours
runbooks: [rb]
duration: 5h
injects:
  - id: s0
    at: T+3h
    services: {db: down}
"""


def _written(folder: Path, runbook: str, scenario: str) -> Plan:
    (folder / "runbooks").mkdir()
    (folder / "scenarios").mkdir()
    (folder / "runbooks" / "rb.yaml").write_text(runbook, encoding="utf-8")
    (folder / "scenarios" / "sc.yaml").write_text(scenario, encoding="utf-8")
    return _plan(folder)


def compare(runbook: str, scenario: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plan = _written(Path(tmp), runbook, scenario)
    items = [item for model in plan.runbooks for item in runbook_items(model)]
    full = cover_scenario(plan, items, "S1", LIMIT, merge=False)
    merged = cover_scenario(plan, items, "S1", LIMIT, merge=True)
    assert not full.truncated and not merged.truncated
    assert merged.cells == full.cells
    assert merged.paths == full.paths
    explored = {}
    for merge in (False, True):
        exploration = explore(plan, LIMIT, merge=merge)
        ends = list(exploration)
        explored[merge] = (exploration.paths, exploration.group_paths, exploration.played)
        if merge:
            event("some fork merged" if any(e.merged for e in ends) else "no fork merged")
    assert explored[True] == explored[False]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill())
@example((UNRELATED, UNRELATED_DAY))
@example((CHAIN, CHAIN_DAY))
def test_merged_coverage_is_that_of_every_path(case: tuple[str, str]) -> None:
    compare(*case)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill_with_wrap_up())
@example((REACH_BACK, REACH_BACK_DAY))
def test_merged_coverage_with_a_wrap_up_is_that_of_every_path(case: tuple[str, str]) -> None:
    compare(*case)


def test_a_chain_of_decisions_plays_each_fork_once(tmp_path: Path) -> None:
    plan = _written(tmp_path, CHAIN, CHAIN_DAY)
    exploration = explore(plan, LIMIT, merge=True)
    ends = list(exploration)
    played = [e for e in ends if not e.merged]
    assert exploration.paths == 8  # every path of decisions is counted
    assert len(played) < 8 and exploration.merged == 8 - len(played)
    assert sum(e.merged for e in ends) == exploration.merged


def test_the_wrap_up_shape_counts_every_path(tmp_path: Path) -> None:
    plan = _written(tmp_path, wrap_up_runbook(5), "scenario: sc\ntitle: Quiet\nrunbooks: [rb]\ninjects: []\n")
    exploration = explore(plan, LIMIT, merge=True)
    list(exploration)
    assert exploration.total == 32
