"""`log verify` and `report` show how far they have read a long log, on a terminal only, and clear the line
before anything else is printed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine import terminal
from engine.cli import main
from engine.drill import log as log_module

V1 = Path(__file__).resolve().parent / "data" / "v1"


@pytest.fixture
def played(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(V1 / "files", tmp_path / "files")
    shutil.copyfile(V1 / "play.jsonl", tmp_path / "play.jsonl")
    monkeypatch.chdir(tmp_path / "files")
    monkeypatch.setattr(log_module, "_BLOCK_BYTES", 4096)  # a few blocks: a few steps of progress
    return tmp_path / "play.jsonl"


def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terminal, "_on_terminal", lambda: True)
    monkeypatch.setattr(terminal, "PROGRESS_AFTER", 0.0)  # "a while" is now


def test_verify_shows_how_far_it_has_checked_on_a_terminal_only(played: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["log", "verify", str(played)]) == 0
    out, err = capsys.readouterr()
    assert "\r" not in err and out.startswith("ok: ")
    on_a_terminal(monkeypatch)
    assert main(["log", "verify", str(played)]) == 0
    out, err = capsys.readouterr()
    steps = [part for part in err.split("\r") if part.startswith("checking play.jsonl: ")]
    assert len(steps) > 2 and steps[-1].startswith("checking play.jsonl: 100% (")
    assert err.endswith("\r\x1b[K") and out.startswith("ok: ")  # cleared before the verdict


def test_a_broken_log_clears_the_line_before_saying_what_is_wrong(played: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    lines = played.read_bytes().split(b"\n")
    lines[40] = lines[40].replace(b'"t":', b'"t": ', 1)  # not canonical: refused at line 41
    played.write_bytes(b"\n".join(lines))
    on_a_terminal(monkeypatch)
    assert main(["log", "verify", str(played)]) != 0
    err = capsys.readouterr().err
    before, _, verdict = err.rpartition("\r\x1b[K")
    assert "checking play.jsonl: " in before and ":41:" in verdict and "\r" not in verdict


def test_the_report_shows_how_far_it_has_read(played: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch)
    assert main(["report", str(played), "--format", "md", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    before, _, after = err.partition("\r\x1b[K")
    assert "\rreading play.jsonl: 100% (" in before and "\r" not in after
    assert "\n# After-action report" in out


def _cells(text: str) -> int:
    import unicodedata

    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize(("name", "columns"), [
    ("演習ログ_二〇二六年一月二十二日_北米障害_最終版.jsonl", 80),  # wide characters: two cells each
    ("a-drill-log-with-a-rather-long-descriptive-name-2026-01-22.jsonl", 50),  # a narrow terminal
])
def test_the_line_fits_the_terminal_so_it_can_be_cleared(played: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch, name: str,
                                                        columns: int) -> None:
    """A line wider than the terminal wraps: `\\r` then goes back to its last row only, so every redraw left a
    row behind and the clearing too."""
    log = played.rename(played.with_name(name))
    on_a_terminal(monkeypatch)
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["log", "verify", str(log)]) == 0
    frames = [f.removesuffix("\x1b[K") for f in capsys.readouterr().err.split("\r") if f.strip("\x1b[K")]
    assert len(frames) > 2
    assert all(_cells(f) < columns for f in frames), max(frames, key=_cells)
    assert "100% (" in frames[-1]  # the name gives way, not how far it has come


def test_an_interrupted_verify_clears_the_line_first(played: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (or a read error) mid-log: `tabletop: interrupted` went on the end of the progress line."""
    from engine.drill import replay

    def interrupted(plan, path, events, **kwargs):  # type: ignore[no-untyped-def]
        for n, _ in enumerate(events):
            if n == 60:
                raise KeyboardInterrupt

    monkeypatch.setattr(replay, "replay_events", interrupted)
    on_a_terminal(monkeypatch)
    assert main(["log", "verify", str(played)]) == 130
    before, _, after = capsys.readouterr().err.rpartition("\r\x1b[K")
    assert "checking play.jsonl: " in before and after == "tabletop: interrupted\n"
