"""The importers never write what tabletop's own loader refuses, and stop at documented bounds (issue 27)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "drill"))
from drillkit import ROOT, tabletop  # noqa: E402

RUNBOOKS = ROOT / "runbooks"
RUNBOOK = RUNBOOKS / "inbound-mail-continuity.yaml"


def _msel_json(folder: Path, say: str) -> Path:
    path = folder / "msel.json"
    path.write_text(json.dumps([{"time": "T+0m", "say": say, "id": "first"}]), encoding="utf-8")
    return path


def test_msel_import_refuses_a_lone_surrogate_by_row(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = _msel_json(tmp_path, "bad \ud800 text")
    out = tmp_path / "drill.yaml"
    code, _, err = tabletop(capsys, "msel", "import", source, "--runbooks", RUNBOOKS, "-o", out)
    assert code == 2, err
    assert '(row 1) holds \\ud800' in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("where", ["file", "stdout"])
def test_msel_import_never_writes_what_does_not_load(where: str, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With the reader's own check switched off, the check of the text about to be written still holds."""
    from engine.msel import table

    monkeypatch.setattr(table, "_SURROGATE", re.compile("(?!)"))
    source = _msel_json(tmp_path, "bad \ud800 text")
    out = tmp_path / "drill.yaml"
    code, stdout, err = tabletop(capsys, "msel", "import", source, "--runbooks", RUNBOOKS,
                                 "-o", out if where == "file" else "-")
    assert code == 1, err
    assert "nothing written: the scenario made from it would not load" in err
    assert not out.exists() and stdout == ""


def test_cacao_import_never_writes_what_does_not_load(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    playbook = tmp_path / "p.json"
    assert tabletop(capsys, "cacao", "export", RUNBOOK, "-o", playbook)[0] == 0
    data = json.loads(playbook.read_text(encoding="utf-8"))
    data["name"] = "bad \ud800 name"
    playbook.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "r.yaml"
    code, _, err = tabletop(capsys, "cacao", "import", playbook, "-o", out)
    assert code == 2 and "holds \\ud800" in err, err
    assert not out.exists()
    from engine.cacao import importer

    monkeypatch.setattr(importer, "parse_json", lambda text, _source: json.loads(text))  # its check off
    code, _, err = tabletop(capsys, "cacao", "import", playbook, "-o", out)
    assert code == 1 and "nothing written: the runbook made from it would not load" in err, err
    assert not out.exists()
