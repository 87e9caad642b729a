"""The report reads its log once and keeps only the events it shows one by one (engine.report.builder
_NOT_KEPT): the same report as a fold that keeps every event, in memory that does not grow with the ticks."""

from __future__ import annotations

import random
import sys
import tracemalloc
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "drill"))

from drillkit import SHIPPED, start  # noqa: E402

from engine.drill import log as log_module  # noqa: E402
from engine.drill.session import Drill  # noqa: E402
from engine.drill.state import EventError, StepStatus  # noqa: E402
from engine.plans import load_plan  # noqa: E402
from engine.report import builder  # noqa: E402
from engine.report.builder import build_report  # noqa: E402


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_module.os, "fsync", lambda fd: None)


def _move(drill: Drill, rng: random.Random) -> None:
    statuses = drill.state.statuses()
    for key, status in statuses.items():
        if status is StepStatus.ACTIVE:
            options = drill.plan.steps[key].options
            if options:
                drill.decide(key, rng.choice(sorted(options)), "because", "ic")
            else:
                drill.complete_step(key)
            return
    ready = sorted(k for k, s in statuses.items() if s is StepStatus.READY)
    if ready:
        drill.start_step(rng.choice(ready))


def busy_drill(folder: Path, turns: int, seed: int = 3, name: str = "drill.jsonl") -> Path:
    """A drill of the shipped scenario doing a bit of everything, corrections of notes among it."""
    rng = random.Random(seed)
    plan = load_plan(str(SHIPPED))
    drill, clock = start(plan, folder, name)
    checklists = sorted(k for k, s in plan.steps.items() if s.do)
    services = sorted(plan.services)
    notes: list[int] = []
    for turn in range(turns):
        clock.advance(rng.uniform(5, 120))
        drill.fire_due()
        roll = rng.random()
        try:
            if turn % 7 == 0:
                _move(drill, rng)
            elif roll < 0.4:
                key = rng.choice(checklists)
                drill.tick(key, rng.randrange(len(plan.steps[key].do)), rng.random() < 0.7)
            elif roll < 0.6:
                notes.append(drill.note(rng.choice(("observation", "strength", "improvement")), f"note {turn}",
                                        rng.choice([None, *checklists]), "observer").seq)
            elif roll < 0.8:
                drill.set_service(rng.choice(services), rng.choice(("up", "degraded", "down")))
            elif roll < 0.85 and notes:
                drill.amend_note(rng.choice(notes), f"amended at {turn}", "evaluator")
            elif roll < 0.88 and notes:
                drill.withdraw_note(notes.pop(rng.randrange(len(notes))), "a duplicate", "evaluator")
            elif roll < 0.92:
                drill.pause()
                clock.advance(30)
                drill.resume_clock()
        except EventError:
            pass  # an action the state does not allow now (the service already so, ...): not recorded
    drill.end("done")
    drill.close()
    return Path(drill.path)


def test_the_report_is_the_one_a_fold_keeping_every_event_gives(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = busy_drill(tmp_path, 400)
    report = build_report(str(path), scenario=str(SHIPPED))
    assert report.corrections and any(e.kind == "service" for e in report.timeline)
    assert any(e.kind == "step" and e.what == "blocked" for e in report.timeline)
    monkeypatch.setattr(builder, "_NOT_KEPT", frozenset())
    assert build_report(str(path), scenario=str(SHIPPED)).to_dict() == report.to_dict()


def test_the_report_of_a_log_the_files_do_not_fit_is_read_again_the_same(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = busy_drill(tmp_path, 150)
    report = build_report(str(path), scenario=str(tmp_path / "missing.yaml"))  # the stand-in plan from the log
    assert report.source.plan_from == "log" and report.verification.events_read > 150
    monkeypatch.setattr(builder, "_NOT_KEPT", frozenset())
    assert build_report(str(path), scenario=str(tmp_path / "missing.yaml")).to_dict() == report.to_dict()


def _ticks(folder: Path, ticks: int, name: str) -> Path:
    plan = load_plan(str(SHIPPED))
    drill, clock = start(plan, folder, name)
    drill.fire_due()
    key = next(k for k, s in plan.steps.items() if s.do)
    for i in range(ticks):
        clock.advance(1)
        drill.tick(key, 0, i % 2 == 0)
    drill.end("done")
    drill.close()
    return Path(drill.path)


def _peak(run: object) -> int:
    tracemalloc.start()
    try:
        run()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_report_does_not_hold_the_events_it_does_not_show(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_module, "_BLOCK_BYTES", 16384)
    small, big = _ticks(tmp_path, 1000, "small.jsonl"), _ticks(tmp_path, 8000, "big.jsonl")
    report = [_peak(lambda path=path: build_report(str(path), scenario=str(SHIPPED))) for path in (small, big)]
    held = [_peak(lambda path=path: log_module.read_log(str(path))) for path in (small, big)]
    # 7,000 more ticks: holding them would grow the peak as much as reading them into a list does.
    assert report[1] - report[0] < (held[1] - held[0]) / 5, (report, held)
