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


# ----- bounds: every import stops at a documented cap that an option raises -----

def _csv(folder: Path, rows: int, columns: int = 0) -> Path:
    path = folder / "msel.csv"
    extra = [f"note {i}" for i in range(columns)]
    lines = [",".join(["Time", "Inject", "Say", *extra])]
    lines += [",".join([f"T+{i}m", f"inject-{i}", f"Something happens ({i})", *extra]) for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(capsys, source: Path, *options: object) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    return tabletop(capsys, "msel", "import", source, "--runbook", "inbound-mail-continuity", "--runbooks", RUNBOOKS,
                    "-o", "-", *options)


def test_msel_rows_stop_at_the_documented_cap(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from engine.bounds import MAX_MSEL_ROWS

    code, out, err = _import(capsys, _csv(tmp_path, MAX_MSEL_ROWS + 1))
    assert code == 2 and out == "", err
    assert f"more than {MAX_MSEL_ROWS:,} rows" in err and "--max-rows" in err and err.count("\n") == 1
    source = _csv(tmp_path, 12)
    code, _, err = _import(capsys, source, "--max-rows", "11")
    assert code == 2 and "more than 11 rows" in err, err
    code, out, err = _import(capsys, source, "--max-rows", "12")
    assert code in (0, 1) and out.count("- id: inject-") == 12, err


def test_msel_columns_stop_at_the_documented_cap(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from engine.bounds import MAX_MSEL_COLUMNS

    code, _, err = _import(capsys, _csv(tmp_path, 2, columns=20_000))
    assert code == 2 and f"past column {MAX_MSEL_COLUMNS}" in err and "--max-columns" in err, err
    wide = tmp_path / "wide.json"
    wide.write_text(json.dumps([{"time": "T+0m", "say": "x", **{f"k{i}": "v" for i in range(200)}}]), encoding="utf-8")
    code, _, err = _import(capsys, wide)
    assert code == 2 and "--max-columns" in err, err
    code, _, err = _import(capsys, _csv(tmp_path, 2, columns=150), "--max-columns", "160")
    assert code in (0, 1), err


def test_a_long_xlsx_stops_at_the_cap(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from engine.bounds import MAX_MSEL_ROWS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("MSEL")
    sheet.append(["Time", "Inject", "Say"])
    for i in range(MAX_MSEL_ROWS + 200):
        sheet.append([f"T+{i}m", f"inject-{i}", "text"])
    path = tmp_path / "long.xlsx"
    book.save(path)
    code, _, err = _import(capsys, path)
    assert code == 2 and f"more than {MAX_MSEL_ROWS:,} rows" in err, err


def _chain(folder: Path, steps: int) -> Path:
    start, end = "start--00000000-0000-4000-8000-000000000000", "end--00000000-0000-4000-8000-000000000001"
    ids = [f"action--{i:08d}-0000-4000-8000-000000000000" for i in range(steps)]
    workflow: dict[str, object] = {start: {"type": "start", "on_completion": ids[0]}, end: {"type": "end"}}
    for i, step in enumerate(ids):
        workflow[step] = {"type": "action", "name": f"Step {i}", "on_completion": ids[i + 1] if i + 1 < steps else end,
                          "commands": [{"type": "manual", "command": "do it"}]}
    path = folder / "chain.json"
    path.write_text(json.dumps({
        "type": "playbook", "spec_version": "cacao-2.0", "id": "playbook--00000000-0000-4000-8000-000000000002",
        "name": "Chain", "created_by": "identity--00000000-0000-4000-8000-000000000003",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
        "workflow_start": start, "workflow": workflow}), encoding="utf-8")
    return path


def test_a_long_playbook_stops_at_the_cap(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from engine.bounds import MAX_PLAYBOOK_STEPS

    code, out, err = tabletop(capsys, "cacao", "import", _chain(tmp_path, MAX_PLAYBOOK_STEPS), "-o", "-")
    assert code == 2 and out == "" and "--max-steps" in err and err.count("\n") == 1, err
    code, out, err = tabletop(capsys, "cacao", "import", _chain(tmp_path, 30), "-o", "-", "--max-steps", "32")
    assert code in (0, 1) and "Step 29" in out, err  # 30 actions, a start and an end
    code, _, err = tabletop(capsys, "cacao", "import", _chain(tmp_path, 30), "-o", "-", "--max-steps", "20")
    assert code == 2 and "32 workflow steps" in err, err


def test_a_long_import_shows_progress_on_a_terminal(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from engine import terminal

    source = _csv(tmp_path, 1200)
    code, _, err = _import(capsys, source)
    assert code in (0, 1) and "\r" not in err, "no progress line when standard error is not a terminal"
    monkeypatch.setattr(terminal, "_on_terminal", lambda: True)
    monkeypatch.setattr(terminal, "PROGRESS_AFTER", 0.0)
    code, _, err = _import(capsys, source)
    assert code in (0, 1), err
    assert "\rreading msel.csv: row 1,000\x1b[K" in err
    assert "\rconverting 1,200 rows\x1b[K" in err and "\rchecking 1,200 injects\x1b[K" in err
    assert "\r\x1b[K" in err  # the line cleared before the notes and at the end
    code, _, err = tabletop(capsys, "cacao", "import", _chain(tmp_path, 30), "-o", "-")
    assert code in (0, 1) and "\rreading 32 workflow steps\x1b[K" in err, err
