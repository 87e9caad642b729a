"""Every MSEL shape of the corpus imports onto the exact schedule, keeps its text, and says what it decided."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.validate import validate

sys.path.insert(0, str(Path(__file__).parent))
from msel_corpus import CORPUS, Shape, build  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _import(shape: Shape, tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, Path]:
    source = build(shape, tmp_path)
    out = tmp_path / "out.yaml"
    code = main(["msel", "import", str(source), "--runbooks", str(ROOT / "runbooks"), "-o", str(out),
                 *shape.args, *extra])
    return code, capsys.readouterr().err, out


def test_the_corpus_has_fifteen_shapes_or_more() -> None:
    assert len({s.name for s in CORPUS}) >= 15
    assert {s.kind for s in CORPUS} == {"csv", "xlsx"}


@pytest.mark.parametrize("shape", CORPUS, ids=lambda s: s.name)
def test_shape_imports_exactly(shape: Shape, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, out = _import(shape, tmp_path, capsys)
    assert "Traceback" not in err
    assert code == 0, err
    scenario = validate([str(out)]).documents[0].model
    assert scenario is not None, err
    assert [i.at for i in scenario.injects] == [("absolute", s) for s in shape.at], err
    for key, expected in shape.texts.items():
        name, index = key.split("@")
        assert getattr(scenario.injects[int(index)], name) == expected, key
    for line in shape.stderr:
        assert line in err, (line, err)
    assert scenario.anchor == shape.anchor
    assert scenario.scenario == shape.name  # the id comes from the file name


def test_night_shift_done_when(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """22:00, 23:30, 00:15, 01:00 under "Time" import to T+0, T+1:30, T+2:15, T+3:00 and name the anchor."""
    path = tmp_path / "night.csv"
    path.write_text("Time,Inject text\n22:00,a\n23:30,b\n00:15,c\n01:00,d\n", encoding="utf-8")
    out = tmp_path / "night.yaml"
    code = main(["msel", "import", str(path), "--runbooks", str(ROOT / "runbooks"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert [line.split(": ")[1] for line in text.splitlines() if line.strip().startswith("at:")] == [
        "T+0m", "T+1h30m", "T+2h15m", "T+3h"]
    assert "T+0 is 22:00 (row 2, the earliest)" in err


def test_times_option_overrides_the_decision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shape = next(s for s in CORPUS if s.name == "plain-time-from-zero")
    shape = Shape(shape.name, shape.kind, [shape.rows[0], *shape.rows[1:4]], [0, 1800, 4500])
    code, err, out = _import(shape, tmp_path, capsys, "--times", "clock")
    assert code == 0, err
    assert "read as clock times (--times clock)" in err
    assert [i.at[1] for i in validate([str(out)]).documents[0].model.injects] == [0, 1800, 4500]


def test_anchor_option_sets_t0_for_clock_times(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shape = next(s for s in CORPUS if s.name == "night-shift")
    code, err, out = _import(shape, tmp_path, capsys, "--anchor", "2026-02-01T21:00:00Z")
    assert code == 0, err
    model = validate([str(out)]).documents[0].model
    assert [i.at[1] for i in model.injects] == [H + s for s in shape.at]
    assert model.anchor == "2026-02-01T21:00:00Z"
    assert "T+0 is 2026-02-01T21:00:00+00:00 (--anchor)" in err


def test_strict_refuses_rows_that_cannot_be_scheduled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shape = next(s for s in CORPUS if s.name == "omitted-and-untimed-rows")
    code, err, out = _import(shape, tmp_path, capsys, "--strict")
    assert code == 2
    assert "row 3 is marked 'Omitted', and --strict refuses rows that cannot be scheduled" in err
    assert not out.exists()


H = 3600
