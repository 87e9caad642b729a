"""A file name holding terminal escapes is echoed as data, never as control characters (issue 27).

Standard error is escaped for every command by engine.terminal.guard_stderr; these are the lines that go to
standard output with a name in them: `report`'s and `new`'s "wrote ..." lines, `plan add`'s.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "drill"))
from drillkit import ROOT, tabletop  # noqa: E402

DATA = ROOT / "tests" / "report" / "data"
FILES = ["--scenario", str(DATA / "files" / "scenarios" / "m365-na-outage-2026-01-22.yaml"),
         "--runbooks", str(DATA / "files" / "runbooks")]
NAME = "drill\x1b]0;pwned\x07\x1b[2J\u202eevil"
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _inert(text: str) -> None:
    assert not CONTROL.search(text), repr(text)
    assert "\\x1b]0;pwned\\x07" in text, repr(text)


@pytest.mark.parametrize("output", ["default folder", "named file", "replaced file"])
def test_report_echoes_a_hostile_file_name_as_data(output: str, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    log = tmp_path / f"{NAME}.jsonl"
    shutil.copyfile(DATA / "golden.jsonl", log)
    target = [] if output == "default folder" else ["-o", f"{NAME}.md"]
    if output == "replaced file":
        assert tabletop(capsys, "report", log.name, "--format", "md", *FILES, *target)[0] == 0
    code, out, err = tabletop(capsys, "report", log.name, "--format", "md", *FILES, *target)
    assert code == 0, err
    _inert(out)
    assert "wrote " in out


def test_new_echoes_a_hostile_folder_name_as_data(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / NAME).mkdir()
    code, out, err = tabletop(capsys, "new", "runbook", "Mail outage", "-o", NAME)
    assert code == 0, err
    _inert(out)


def test_every_writer_names_a_hostile_target_as_data(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    shipped = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
    for args in (["validate", ROOT / "runbooks", "-o", f"{NAME}.txt"], ["msel", "export", shipped, "-o", f"{NAME}.csv"],
                 ["cacao", "export", ROOT / "runbooks" / "admin-console-loss.yaml", "-o", f"{NAME}.json"],
                 ["handbook", shipped, "-o", f"{NAME}.md"]):
        code, out, err = tabletop(capsys, *args)
        assert code in (0, 1), err
        _inert(out + err)


def test_plan_add_names_a_hostile_folder_as_data(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(DATA / "golden.jsonl", tmp_path / "drill.jsonl")
    code, out, err = tabletop(capsys, "plan", "add", "drill.jsonl", "--to", NAME)
    assert code == 0, err
    assert "wrote " in out and not CONTROL.search(out), repr(out)
