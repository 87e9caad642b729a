"""`tabletop coverage` output and exit codes: --fail-under for CI, the JSON shape, a Markdown table that
keeps its columns whatever the titles say, usage errors and invalid inputs."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from coverkit import DATA, coverage_json, fixture_set, tabletop


@pytest.fixture
def empty_logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    return folder


# ----- --fail-under -----

@pytest.mark.parametrize(("threshold", "code"), [("80", 0), ("79.9", 0), ("0", 0), ("80.1", 1), ("100", 1)])
def test_fail_under_compares_the_coverable_share(capsys: Any, empty_logs: Path, threshold: str, code: int) -> None:
    got, out, err = tabletop(capsys, "coverage", DATA, "--logs", empty_logs, "--fail-under", threshold)
    assert got == code, err
    assert "Total: 16 of 20 items (80%)" in out  # the matrix is written either way
    assert ("below --fail-under" in err) == (code == 1)


@pytest.mark.parametrize("bad", ["101", "-1", "lots"])
def test_fail_under_out_of_range_is_a_usage_error(capsys: Any, bad: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        tabletop(capsys, "coverage", DATA, "--fail-under", bad)
    assert exit_info.value.code == 2


# ----- JSON -----

def test_json_shape(capsys: Any, empty_logs: Path) -> None:
    data = coverage_json(capsys, DATA, "--logs", empty_logs)
    assert list(data)[0] == "coverage_version" and data["coverage_version"] == 1
    assert set(data) == {"coverage_version", "paths", "totals", "runbooks", "scenarios", "items", "logs_folder",
                         "include_headless", "headless_left_out", "logs"}
    assert (data["include_headless"], data["headless_left_out"]) == (False, 0)
    assert [r["id"] for r in data["runbooks"]] == ["cov-drill", "cov-side"]
    alpha = data["scenarios"][0]
    assert set(alpha) == {"id", "abbrev", "title", "path", "runbooks", "exploration", "totals"}
    assert (alpha["abbrev"], alpha["runbooks"]) == ("S1", ["cov-drill", "cov-side"])
    assert alpha["totals"] == {"items": 20, "coverable": 16, "reached": 16}
    assert set(data["totals"]["by_kind"]) == {"step", "option", "fallback", "event"}
    assert set(data["totals"]) == {"items", "coverable", "coverable_percent", "reached", "reached_percent",
                                   "drilled", "drilled_percent", "rehearsed_only", "by_kind"}
    keys = [item["key"] for item in data["items"]]
    assert len(keys) == len(set(keys)) == 20
    for item in data["items"]:
        assert set(item) == {"key", "kind", "runbook", "step", "title", "option", "label", "fallback", "event",
                             "cells", "coverable", "reached", "last_drilled", "last_rehearsed"}
        assert set(item["cells"]) == {"sc-alpha", "sc-beta"}
        assert set(item["cells"].values()) <= {"reached", "coverable", "not-coverable", "outside"}
    option = next(i for i in data["items"] if i["kind"] == "option" and i["option"] == "right")
    assert (option["key"], option["label"], option["step"]) == ("option:cov-drill/choose=right", "Go right", "choose")
    fallback = next(i for i in data["items"] if i["key"] == "fallback:cov-drill/use-core")
    assert fallback["fallback"] == "core-workaround"
    event = next(i for i in data["items"] if i["key"] == "event:cov-drill/on-alarm")
    assert event["event"] == "alarm"


def test_every_json_key_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "coverage-json.md").read_text(encoding="utf-8")
    for key in ("coverage_version", "totals", "by_kind", "coverable_percent", "exploration", "abbrev", "cells",
                "last_drilled", "logs_folder", "problems", "reason", "applied", "flagged", "last_rehearsed",
                "include_headless", "headless_left_out", "rehearsed_only", "mode", "rehearsal"):
        assert f"`{key}`" in doc, key


# ----- Markdown -----

def _cells(line: str) -> int:
    """How many cells a GitHub table row has: pipes not escaped by a backslash split it."""
    count, escaped = 0, False
    for char in line.strip():
        if char == "|" and not escaped:
            count += 1
        escaped = char == "\\" and not escaped
    return count - 1


HOSTILE_RUNBOOK = """\
runbook: cov-drill
title: "Pipes | in | the title \\\\| and `ticks` <b>bold</b>"
steps:
  start:
    title: "a | b || c \\\\"
  choose:
    title: "Which | way?\\nsecond line"
    needs: [start]
    decision:
      question: "left | right"
      options:
        left: {label: "| leading pipe", next: [left-work]}
        right: {label: "trailing pipe |", next: [right-work]}
  left-work: {title: "[link](http://example.com) | @someone"}
  right-work: {title: "# heading | - list"}
"""

HOSTILE_SCENARIO = """\
scenario: sc-hostile
title: "Scenario | with | pipes"
runbooks: [cov-drill]
injects:
  - id: kickoff
    at: T+0m
    say: "| start |"
"""


def test_markdown_table_keeps_its_columns_with_hostile_titles(tmp_path: Path, capsys: Any, empty_logs: Path) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "runbooks" / "rb.yaml").write_text(HOSTILE_RUNBOOK, encoding="utf-8")
    (tmp_path / "scenarios" / "a.yaml").write_text(HOSTILE_SCENARIO, encoding="utf-8")
    (tmp_path / "scenarios" / "b.yaml").write_text(HOSTILE_SCENARIO.replace("sc-hostile", "sc-other"),
                                                   encoding="utf-8")
    code, out, err = tabletop(capsys, "coverage", tmp_path / "runbooks", tmp_path / "scenarios", "--logs",
                              empty_logs, "--format", "markdown")
    assert code == 0, err
    tables: list[list[str]] = []
    for line in out.splitlines():
        if line.startswith("|"):
            if not tables or not tables[-1]:
                tables.append([])
            tables[-1].append(line)
        elif tables and tables[-1]:
            tables.append([])
    tables = [t for t in tables if t]
    assert len(tables) == 3  # totals, scenarios, the one runbook
    for table in tables:
        widths = {_cells(line) for line in table}
        assert len(widths) == 1, table
    matrix = tables[-1]
    assert _cells(matrix[0]) == 4  # item, S1, S2, last drilled
    assert len(matrix) == 2 + 4 + 2  # header, rule, four steps, two options
    assert "<b>" not in out and "](http" not in out and "\n# heading" not in out
    assert "second line" in out and "\nsecond line" not in out


def test_markdown_names_scenarios_and_logs(tmp_path: Path, capsys: Any, empty_logs: Path) -> None:
    code, out, err = tabletop(capsys, "coverage", DATA, "--logs", empty_logs, "--format", "markdown")
    assert code == 0, err
    assert out.startswith("# Runbook coverage\n")
    assert re.search(r"^\| S1 \| `sc-alpha` Alpha takes", out, re.MULTILINE)
    assert "## `cov-drill` Coverage test drill" in out
    assert "| ↳ option `right`: Go right | ● | ● |  |" in out


# ----- usage errors and invalid inputs -----

def test_missing_path_or_logs_folder_is_a_usage_error(tmp_path: Path, capsys: Any) -> None:
    code, _, err = tabletop(capsys, "coverage", tmp_path / "nope")
    assert code == 2 and err.startswith("tabletop: error: ") and "no such file or folder" in err
    code, _, err = tabletop(capsys, "coverage", DATA, "--logs", tmp_path / "nope")
    assert code == 2 and "--logs" in err and "no such folder" in err
    (tmp_path / "empty").mkdir()
    code, _, err = tabletop(capsys, "coverage", tmp_path / "empty")
    assert code == 2 and "no runbooks or scenarios" in err


def test_invalid_inputs_exit_3_with_one_line_and_the_first_findings(tmp_path: Path, capsys: Any) -> None:
    root = fixture_set(tmp_path)
    rb = root / "runbooks" / "cov-drill.yaml"
    rb.write_text(rb.read_text(encoding="utf-8").replace("needs: [use-core, use-aux, choose]",
                                                          "needs: [use-core, nowhere]"), encoding="utf-8")
    code, out, err = tabletop(capsys, "coverage", root, "--logs", tmp_path)
    assert code == 3 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("tabletop: error: ") and "cov-drill.yaml" in lines[0]
    assert "tabletop validate" in lines[0]
    assert any("nowhere" in line and "[unknown-need]" in line for line in lines[1:])
    assert "Traceback" not in err


def test_unreadable_file_exits_3(tmp_path: Path, capsys: Any) -> None:
    root = fixture_set(tmp_path)
    (root / "scenarios" / "broken.yaml").write_bytes(b"scenario: [unclosed\n")
    code, _, err = tabletop(capsys, "coverage", root, "--logs", tmp_path)
    assert code == 3
    assert "broken.yaml" in err.splitlines()[0]


def test_hostile_log_names_and_contents_stay_plain_text(tmp_path: Path, capsys: Any, empty_logs: Path) -> None:
    (empty_logs / "\x1b[31mred.jsonl").write_text("\x1b[2J{}\n", encoding="utf-8")
    code, out, err = tabletop(capsys, "coverage", DATA, "--logs", empty_logs)
    assert code == 0, err
    assert "\x1b" not in out
    data = json.loads(tabletop(capsys, "coverage", DATA, "--logs", empty_logs, "--format", "json")[1])
    assert data["logs"][0]["name"] == "\x1b[31mred.jsonl"  # exact in JSON


# ----- progress -----

class _Terminal:
    """A stand-in for stderr on a terminal."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_shows_on_a_terminal_once_it_takes_a_while(monkeypatch: pytest.MonkeyPatch, capsys: Any,
                                                          empty_logs: Path) -> None:
    from engine.commands import coverage as command

    terminal = _Terminal()
    monkeypatch.setattr(command, "PROGRESS_AFTER", 0.0)  # "a while" is now
    monkeypatch.setattr(sys, "stderr", terminal)
    code = command.run(argparse.Namespace(paths=[str(DATA)], logs=str(empty_logs), format="text", fail_under=None,
                                          limit=None))
    assert code == 0
    assert "exploring scenario 1 of 2: sc-alpha" in terminal.text
    assert "exploring scenario 2 of 2: sc-beta" in terminal.text
    assert terminal.text.endswith("\r\x1b[K")  # the line is cleared before the matrix
    assert "Total: 16 of 20" in capsys.readouterr().out

