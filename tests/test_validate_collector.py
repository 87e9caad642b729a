"""`tabletop validate` runs with the cycle collector paused and switches it back on (issue 28)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

import engine.validate
from engine.cli import main

RUNBOOK = Path(__file__).resolve().parents[1] / "runbooks" / "inbound-mail-continuity.yaml"


def test_validate_pauses_the_collector_while_checking_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = engine.validate.validate

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine.validate, "validate", watched)
    assert gc.isenabled()
    assert main(["validate", str(RUNBOOK)]) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_validate_leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        assert main(["validate", str(RUNBOOK)]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
