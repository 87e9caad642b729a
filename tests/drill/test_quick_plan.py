"""The console loads its plan the quick way (no pydantic for files that fit, issue 16: start fast):
the plan compiled from engine.quick_check's records is the plan compiled from the pydantic models,
and a scenario the quick check refuses is still refused with the same findings."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from engine.drill.plan import Plan, PlanError
from engine.plans import load_plan
from engine.quick_check import Record

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _plain(value: Any) -> Any:
    """Models, records and the plan's dataclasses as plain data, to compare the two ways."""
    if isinstance(value, BaseModel):
        return {"@": type(value).__name__, **{k: _plain(getattr(value, k)) for k in type(value).model_fields}}
    if isinstance(value, Record):
        return {"@": type(value).__name__, **{k: _plain(v) for k, v in vars(value).items()}}
    if hasattr(value, "__dataclass_fields__"):
        return {"@": type(value).__name__, **{f.name: _plain(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_the_quick_plan_is_the_plan(scenario: Path) -> None:
    quick, slow = load_plan(str(scenario), quick=True), load_plan(str(scenario))
    assert isinstance(quick.scenario, Record) and isinstance(slow.scenario, BaseModel)
    for name in (f.name for f in fields(Plan)):
        assert _plain(getattr(quick, name)) == _plain(getattr(slow, name)), name


def test_a_scenario_with_an_error_is_refused_the_same_either_way(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "runbooks", tmp_path / "runbooks")
    (tmp_path / "scenarios").mkdir()
    broken = tmp_path / "scenarios" / "broken.yaml"
    text = (ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml").read_text()
    broken.write_text(text.replace("title:", "title: [not, a, title]\nold_title:", 1))
    refusals = []
    for quick in (True, False):
        with pytest.raises(PlanError) as caught:
            load_plan(str(broken), quick=quick)
        refusals.append((str(caught.value), [(f.line, f.rule, f.message) for f in caught.value.findings]))
    assert refusals[0] == refusals[1] and refusals[0][1]
