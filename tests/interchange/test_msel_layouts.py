"""Layouts whose column names mislead import onto the right schedule with the right text, and say what they decided."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.validate import validate

sys.path.insert(0, str(Path(__file__).parent))
from msel_corpus import Shape  # noqa: E402
from msel_layouts import LAYOUTS, build_layout  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("shape", LAYOUTS, ids=lambda s: s.name)
def test_layout_imports_exactly(shape: Shape, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = build_layout(shape, tmp_path)
    out = tmp_path / "out.yaml"
    code = main(["msel", "import", str(source), "--runbooks", str(ROOT / "runbooks"), "-o", str(out), *shape.args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 0, err
    scenario = validate([str(out)]).documents[0].model
    assert scenario is not None, err
    assert [i.at for i in scenario.injects] == [("absolute", s) for s in shape.at], err
    for key, expected in shape.texts.items():
        name, index = key.split("@")
        assert getattr(scenario.injects[int(index)], name) == expected, (key, err)
    for line in shape.stderr:
        assert line in err, (line, err)
    for inject in scenario.injects:  # no layout reads an inject's number as its text
        assert inject.say and len(inject.say.split()) >= 3, inject
