"""The Frontier's sets stay what a full rescan gives, after every event of a played drill (issue 16).

Play keeps ready, active and unfinished steps updated event by event; this
checks them against DrillState after each event, on the shipped scenario
with every team file choice and on generated plans with branches,
fallbacks, outages, events and contingency injects.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from drillkit import SHIPPED, TEAM

from engine.drill.clock import FakeClock
from engine.drill.frontier import Frontier
from engine.drill.plan import Plan
from engine.drill.play import Player, start_wall
from engine.drill.session import Drill
from engine.drill.state import UNFINISHED, StepStatus
from engine.drill.team import load_team
from engine.plans import load_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


def rescan(frontier: Frontier) -> tuple[set[str], set[str], set[str]]:
    state = frontier.state
    statuses = state.statuses()
    ready = {k for k, s in statuses.items() if s is StepStatus.READY}
    active = {k for k, s in statuses.items() if s is StepStatus.ACTIVE}
    unfinished = {k for k, s in statuses.items()
                  if s in UNFINISHED or (s is StepStatus.BLOCKED and not state.resolved(k))}
    return ready, active, unfinished


class Checked(Frontier):
    updates = 0

    def update(self, seeds: Any) -> list[str]:
        changed = super().update(seeds)
        assert (self.ready, self.active, self.unfinished) == rescan(self)
        assert self.status == self.state.statuses()
        Checked.updates += 1
        return changed


def play_checked(plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Player:
    monkeypatch.setattr("engine.drill.play.Frontier", Checked)
    clock = FakeClock(start_wall(plan))
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "drill.jsonl"), mode="headless")
    player = Player(drill, clock, **options)
    before = Checked.updates
    player.run()
    drill.close()
    assert Checked.updates - before > 20  # the check ran after every event
    return player


@pytest.mark.parametrize("decide", [{}, {"inbound-mail-continuity/failover-decision": "hold"}])
def test_shipped_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, decide: dict[str, str]) -> None:
    plan = load_plan(str(SHIPPED))
    play_checked(plan, tmp_path, monkeypatch, team=load_team(str(TEAM), plan), decide=decide)


@pytest.mark.parametrize("seed", range(6))
def test_generated_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    import workloads

    rng = random.Random(seed)
    make = rng.choice([lambda f: workloads.long_runbook(f, rng.randrange(60, 160)),
                       lambda f: workloads.interacting(f, rng.randrange(2, 6)),
                       lambda f: workloads.many_injects(f, rng.randrange(20, 80))])
    plan = load_plan(str(make(tmp_path / "plan")))
    decide = {key: rng.choice(list(step.options)) for key, step in plan.steps.items() if step.options}
    play_checked(plan, tmp_path, monkeypatch, decide=decide)


@pytest.mark.parametrize("which", ["shipped", "interacting"])
def test_explore_keeps_its_frontiers_right_on_every_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         which: str) -> None:
    import workloads

    from engine.drill.explore import explore

    monkeypatch.setattr("engine.drill.explore.Frontier", Checked)
    plan = load_plan(str(SHIPPED if which == "shipped" else workloads.interacting(tmp_path / "plan", 3)))
    before = Checked.updates
    ends = list(explore(plan))
    assert len(ends) > 1 and Checked.updates - before > 50
