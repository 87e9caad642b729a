"""Dated clock times across a daylight-saving change: placed in the given zone, or refused, never an hour off."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[2]
SPRING = "Date,Time,Inject text\n3/9/2025,01:30,Night desk sees deferrals.\n,03:30,Queue passes ten thousand.\n"
FALL = "Date,Time,Inject text\n11/2/2025,00:30,Night desk sees deferrals.\n,03:00,Queue passes ten thousand.\n"


def _import(tmp_path: Path, text: str, *extra: str) -> tuple[int, Path]:
    source = tmp_path / "msel.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.yaml"
    code = main(["msel", "import", str(source), "--runbook", "inbound-mail-continuity", "--runbooks",
                 str(ROOT / "runbooks"), "-o", str(out), *extra])
    return code, out


@pytest.mark.parametrize(("text", "seconds"), [(SPRING, 3600), (FALL, 3 * 3600 + 30 * 60)])
def test_a_zone_counts_real_hours(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, seconds: int) -> None:
    code, out = _import(tmp_path, text, "--timezone", "America/New_York")
    assert code == 0, capsys.readouterr().err
    model = validate([str(out)]).documents[0].model
    assert [i.at[1] for i in model.injects] == [0, seconds]
    assert model.anchor in ("2025-03-09T06:30:00Z", "2025-11-02T04:30:00Z")


def test_a_time_zone_row_above_the_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _import(tmp_path, "Time zone,America/Chicago\n\n" + SPRING)
    assert code == 0, capsys.readouterr().err
    assert [i.at[1] for i in validate([str(out)]).documents[0].model.injects] == [0, 3600]


def test_no_zone_across_a_change_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _import(tmp_path, SPRING)
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert 'row 3, column "Time": the times between row 2 and this row cross a daylight-saving change' in err
    assert "--timezone" in err


def test_utc_keeps_the_wall_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _import(tmp_path, SPRING, "--timezone", "UTC")
    assert code == 0, capsys.readouterr().err
    assert [i.at[1] for i in validate([str(out)]).documents[0].model.injects] == [0, 7200]


@pytest.mark.parametrize(("text", "why"), [
    ("Date,Time,Inject text\n3/9/2025,01:30,a\n,02:30,b\n", "does not exist in America/New_York"),
    ("Date,Time,Inject text\n11/2/2025,00:30,a\n,01:30,b\n", "happens twice in America/New_York"),
])
def test_skipped_and_repeated_times_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                               why: str) -> None:
    code, out = _import(tmp_path, text, "--timezone", "America/New_York")
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert 'row 3, column "Time": 2025-' in err and why in err


def test_an_unknown_zone_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _import(tmp_path, SPRING, "--timezone", "Mars/Olympus")
    assert code == 2
    assert "--timezone: time zone 'Mars/Olympus': no such zone" in capsys.readouterr().err


def test_a_header_that_says_utc_is_a_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Real time (UTC),Inject text\n2025-03-09 01:30,a\n2025-03-09 03:30,b\n"
    code, out = _import(tmp_path, text)
    assert code == 0, capsys.readouterr().err
    model = validate([str(out)]).documents[0].model
    assert [i.at[1] for i in model.injects] == [0, 7200]
    assert model.anchor == "2025-03-09T01:30:00Z"
