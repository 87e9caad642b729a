"""Reading a log decodes each event's payload once (issue 28): the reader checks the shape by decoding it, and
`log verify` and the report fold with that payload (LogStream.payload_of) rather than decoding it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from drillkit import SHIPPED, TEAM, tabletop

from engine.drill import events as ev
from engine.drill.log import open_log
from engine.drill.replay import replay_events
from engine.plans import load_plan
from engine.report.builder import build_report


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engine.cli import main

    log = tmp_path_factory.mktemp("played") / "drill.jsonl"
    assert main(["play", str(SHIPPED), "--team", str(TEAM), "--log", str(log)]) == 0
    return log


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The type of every payload decoded from now on."""
    seen: list[str] = []
    real = ev.decode

    def counted(kind: Any, data: Any, version: int = ev.LOG_VERSION) -> ev.Payload:
        seen.append(kind)
        return real(kind, data, version)

    monkeypatch.setattr(ev, "decode", counted)
    return seen


def _lines(log: Path) -> int:
    return len(log.read_bytes().splitlines())


def test_log_verify_decodes_each_event_once(played: Path, decodes: list[str], capsys: Any) -> None:
    code, out, err = tabletop(capsys, "log", "verify", played)
    assert code == 0, err
    assert len(decodes) == _lines(played)


def test_the_report_decodes_each_event_once_while_folding(played: Path, decodes: list[str]) -> None:
    report = build_report(str(played))
    assert report.verification.ok
    assert len(decodes) == _lines(played)


def test_a_payload_is_taken_only_for_the_event_just_read_and_its_version(played: Path) -> None:
    stream = open_log(str(played))
    events = iter(stream)
    first = next(events)
    second = next(events)
    assert stream.payload_of(second, ev.LOG_VERSION) == ev.decode(second.type, second.data)
    assert stream.payload_of(first, ev.LOG_VERSION) is None  # not the one just read: decode it
    assert stream.payload_of(second, ev.LOG_VERSION + 1) is None  # read by another version: decode it
    state = replay_events(load_plan(str(SHIPPED)), str(played), [first, second, *events], decoded=stream.payload_of)
    assert state.ended


def test_log_show_decodes_each_event_once(played: Path, decodes: list[str], capsys: Any) -> None:
    code, out, err = tabletop(capsys, "log", "show", played)
    assert code == 0, err
    assert len(decodes) == _lines(played)
