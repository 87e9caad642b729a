"""`tabletop explore` on a scenario of many injects does work in proportion to them (issue 27).

Each moment of a path used to ask the state for the injects due, and the
state scanned every inject of the scenario to answer: a path of N injects
did N x N inject look-ups, and 10,000 injects ran for over a minute. The
explorer now keeps the injects still to fire in a queue, as the drill's
player does. Counted, not timed: look-ups of an inject's due time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.drill.explore import explore
from engine.drill.state import DrillState
from engine.plans import load_plan

RUNBOOK = """\
runbook: desk
title: A desk with one call to make
services:
  primary: Primary
steps:
  decide:
    title: Decide
    target: 5m
    decision:
      question: Which way?
      options:
        left: {label: Left, next: [left]}
        right: {label: Right, next: [right]}
  left:
    title: Left
    target: 10m
    requires: [primary]
  right:
    title: Right
    target: 20m
"""


def scenario(folder: Path, injects: int) -> Path:
    """A scenario of `injects` injects a minute apart, every tenth waiting on a branch, every seventh a flap."""
    (folder / "runbooks").mkdir()
    (folder / "scenarios").mkdir()
    (folder / "runbooks" / "desk.yaml").write_text(RUNBOOK, encoding="utf-8")
    lines = ["scenario: busy", "title: A busy day", "runbooks: [desk]", f"duration: {injects // 60 + 2}h",
             "anchor: 2026-01-22T19:33:00Z", "injects:"]
    for i in range(injects):
        lines.append(f"  - id: inject-{i}")
        if i % 10 == 5:
            lines += [f"    after: {{decision: decide, option: {'left' if i % 20 == 5 else 'right'}}}",
                      f"    at: +{i % 30}m"]
        else:
            lines.append(f"    at: T+{i}m")
        lines.append(f"    say: Update {i}.")
        if i % 7 == 3:
            lines.append(f"    services: {{primary: {'down' if i % 14 == 3 else 'up'}}}")
    path = folder / "scenarios" / "busy.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_inject_look_ups_grow_with_the_injects_not_their_square(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    injects = 600
    plan = load_plan(str(scenario(tmp_path, injects)))
    looked = 0
    due_time = DrillState.due_time

    def counted(self: DrillState, inject: object) -> float | None:
        nonlocal looked
        looked += 1
        return due_time(self, inject)  # type: ignore[arg-type]

    monkeypatch.setattr(DrillState, "due_time", counted)
    ends = list(explore(plan))
    assert len(ends) == 2 and all(end.finished for end in ends)
    # every inject fired on each path, the contingency ones of its own branch only
    fired = [sum(1 for e in end_events if e.type == "inject.fired") for end_events in _events(plan)]
    assert fired == [injects - injects // 20, injects - injects // 20]
    # a queue looks each inject up a few times per path; a scan looked every inject up at every moment
    assert looked < 10 * injects * len(ends), f"{looked} look-ups of an inject's due time for {injects} injects"


def _events(plan: object) -> list[list]:  # type: ignore[type-arg]
    """Each path's events, in the order explored, by playing the plan again and keeping them."""
    from engine.drill import explore as module

    kept: list[list] = []  # type: ignore[type-arg]
    end = module.Exploration._end

    def keep(self: object, run: object) -> object:
        kept.append(list(run.events))  # type: ignore[attr-defined]
        return end(self, run)  # type: ignore[arg-type]

    module.Exploration._end = keep  # type: ignore[method-assign]
    try:
        list(explore(plan))  # type: ignore[arg-type]
    finally:
        module.Exploration._end = end  # type: ignore[method-assign]
    return kept


def test_exploring_shows_progress_on_a_terminal_only(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each path plays every inject, so a long scenario takes seconds a path: a terminal sees how far it is."""
    from engine import terminal
    from engine.cli import main

    path = str(scenario(tmp_path, 40))
    runbooks = str(tmp_path / "runbooks")
    assert main(["explore", path, "--runbooks", runbooks]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err, "no progress line when standard error is not a terminal"
    monkeypatch.setattr(terminal, "_on_terminal", lambda: True)
    monkeypatch.setattr(terminal, "PROGRESS_AFTER", 0.0)
    assert main(["explore", path, "--runbooks", runbooks]) == 0
    out, err = capsys.readouterr()
    assert "\rexploring: 1 path played (at most 512)\x1b[K" in err
    assert "\rexploring: 2 paths played (at most 512)\x1b[K" in err and err.endswith("\r\x1b[K")
    assert "explored 2 paths, every path of decisions" in out  # the summary stays on stdout, whole


def test_a_drill_firing_what_is_due_looks_once_per_batch_not_per_inject(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The live drill's fire_due (the console's every tick): a clock moved past every inject fires them all,
    in time order, looking the injects over a few times, not once per inject fired."""
    from datetime import UTC, datetime

    from engine.drill.clock import FakeClock
    from engine.drill.session import Drill

    injects = 600
    plan = load_plan(str(scenario(tmp_path, injects)))
    clock = FakeClock(datetime(2026, 1, 22, 19, 33, tzinfo=UTC))
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "drill.jsonl"), mode="headless")
    looked = 0
    due_time = DrillState.due_time

    def counted(self: DrillState, inject: object) -> float | None:
        nonlocal looked
        looked += 1
        return due_time(self, inject)  # type: ignore[arg-type]

    monkeypatch.setattr(DrillState, "due_time", counted)
    clock.advance(injects * 60 + 1)
    fired = drill.fire_due()
    drill.close()
    scheduled = [i.id for i in plan.injects if not i.contingent]
    assert [e.data["inject"] for e in fired] == scheduled  # every scheduled one, in time order
    assert looked < 10 * injects, f"{looked} look-ups of an inject's due time to fire {len(fired)} injects"
