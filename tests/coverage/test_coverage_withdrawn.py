"""Coverage and corrections: an inject fired and then withdrawn did not exercise what it opened; an ad-hoc
inject written during the drill that carries the event did."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coverkit import coverage_json, fixture_set
from test_coverage_logs import D, last

from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _drill(root: Path, log: Path) -> tuple[Drill, FakeClock]:
    plan = load_plan(str(root / "scenarios" / "sc-alpha.yaml"), [str(root / "runbooks")])
    clock = FakeClock(START)
    return Drill.start(plan, clock, log_path=str(log)), clock


def test_an_inject_fired_then_withdrawn_does_not_count_as_exercised(tmp_path: Path, capsys: Any) -> None:
    root = fixture_set(tmp_path)
    (tmp_path / "logs").mkdir()
    drill, clock = _drill(root, tmp_path / "logs" / "withdrawn.jsonl")
    clock.advance(60)
    drill.fire("alarm", manual=True)  # opens on-alarm
    clock.advance(60)
    drill.withdraw("alarm", "fired by a stray key")
    drill.end()
    drill.close()
    drilled = last(coverage_json(capsys, root, "--logs", tmp_path / "logs"))
    assert drilled["event:" + D + "on-alarm"] is None


def test_the_event_counts_when_it_comes_again_after_the_withdrawal(tmp_path: Path, capsys: Any) -> None:
    root = fixture_set(tmp_path)
    (tmp_path / "logs").mkdir()
    drill, clock = _drill(root, tmp_path / "logs" / "again.jsonl")
    clock.advance(60)
    drill.fire("alarm", manual=True)
    drill.withdraw("alarm", "too early")
    clock.advance(600)
    drill.adhoc("The alarm goes off for real.", event="alarm")
    drill.end()
    drill.close()
    drilled = last(coverage_json(capsys, root, "--logs", tmp_path / "logs"))
    assert drilled["event:" + D + "on-alarm"] == ("2026-03-02T09:11:00.000Z", "again.jsonl", False)


def test_without_the_withdrawal_the_same_fire_counts(tmp_path: Path, capsys: Any) -> None:
    root = fixture_set(tmp_path)
    (tmp_path / "logs").mkdir()
    drill, clock = _drill(root, tmp_path / "logs" / "kept.jsonl")
    clock.advance(60)
    drill.fire("alarm", manual=True)
    drill.end()
    drill.close()
    drilled = last(coverage_json(capsys, root, "--logs", tmp_path / "logs"))
    assert drilled["event:" + D + "on-alarm"] == ("2026-03-02T09:01:00.000Z", "kept.jsonl", False)
