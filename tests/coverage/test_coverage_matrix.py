"""`tabletop coverage` on a small fixture set whose covered and uncovered items are known exactly,
on the shipped content, and with an exploration cut short by --limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from coverkit import DATA, ROOT, cells, coverage_json, tabletop

D = "cov-drill/"

ALPHA = {  # core down from T+0 to T+2h, both alarms (the late one only after choosing right)
    "step:" + D + "start": "reached",
    "step:" + D + "use-core": "reached",
    "fallback:" + D + "use-core": "reached",
    "step:" + D + "core-workaround": "reached",
    "step:" + D + "use-aux": "reached",
    "fallback:" + D + "use-aux": "not-coverable",  # no scenario takes aux down
    "step:" + D + "aux-workaround": "not-coverable",
    "step:" + D + "choose": "reached",
    "option:" + D + "choose=left": "reached",
    "option:" + D + "choose=right": "reached",
    "step:" + D + "left-work": "reached",
    "step:" + D + "right-work": "reached",
    "step:" + D + "on-alarm": "reached",
    "event:" + D + "on-alarm": "reached",
    "step:" + D + "on-late": "reached",  # its event comes from a contingency inject
    "event:" + D + "on-late": "reached",
    "step:" + D + "on-never": "not-coverable",  # no inject carries its event
    "event:" + D + "on-never": "not-coverable",
    "step:" + D + "finish": "reached",
    "step:cov-side/side-task": "reached",
}

BETA = {  # core down only at T+5h, when the explorer is long done with use-core; no alarms
    **ALPHA,
    "fallback:" + D + "use-core": "coverable",  # a slow team could still be at use-core at T+5h
    "step:" + D + "core-workaround": "coverable",
    "step:" + D + "on-alarm": "not-coverable",
    "event:" + D + "on-alarm": "not-coverable",
    "step:" + D + "on-late": "not-coverable",
    "event:" + D + "on-late": "not-coverable",
    "step:cov-side/side-task": "outside",  # beta does not drill cov-side
}


@pytest.fixture
def empty_logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    return folder


def test_fixture_cells_are_exactly_the_known_ones(capsys: Any, empty_logs: Path) -> None:
    data = coverage_json(capsys, DATA, "--logs", empty_logs)
    assert [s["id"] for s in data["scenarios"]] == ["sc-alpha", "sc-beta"]
    assert cells(data, "sc-alpha") == ALPHA
    assert cells(data, "sc-beta") == BETA


def test_totals_count_items_coverable_by_some_scenario(capsys: Any, empty_logs: Path) -> None:
    totals = coverage_json(capsys, DATA, "--logs", empty_logs)["totals"]
    # 20 items; neither scenario can reach aux's fallback, its step, on-never or its event.
    assert (totals["items"], totals["coverable"], totals["coverable_percent"]) == (20, 16, 80.0)
    assert totals["by_kind"]["fallback"]["coverable"] == 1
    assert totals["by_kind"]["event"]["coverable"] == 2
    assert totals["drilled"] == 0


def test_text_matrix_marks_each_cell_and_fits_100_columns(capsys: Any, empty_logs: Path) -> None:
    code, out, err = tabletop(capsys, "coverage", DATA, "--logs", empty_logs)
    assert code == 0, err
    assert err == ""  # not a terminal: no progress
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines if str(empty_logs) not in line)
    header = next(line for line in lines if "last drilled" in line)
    assert header.split()[:2] == ["S1", "S2"]

    def row(label: str) -> list[str]:
        """The cells of the first row with this label (the label's words dropped)."""
        line = next(line for line in lines if line.startswith(label + " "))
        return line[len(label):].split()

    assert row("  use-core") == ["●", "●"]
    assert row("    fallback → core-workaround") == ["●", "○"]
    assert row("    fallback → aux-workaround") == ["·", "·"]
    assert row("  on-never") == ["·", "·"]
    assert row("    on event late-alarm") == ["●", "·"]
    assert row("  side-task") == ["●"]  # beta's cell is blank: cov-side is not in it
    assert "S1  sc-alpha" in out and "S2  sc-beta" in out
    assert "Total: 16 of 20 items (80%) coverable by at least one scenario" in out


def test_limit_truncates_the_exploration_and_says_so(capsys: Any, empty_logs: Path) -> None:
    code, out, err = tabletop(capsys, "coverage", DATA, "--logs", empty_logs, "--limit", "1")
    assert code == 0, err
    assert ("explored 2 paths, not every path: the search stopped at --limit 1 with 1 branch not followed, "
            "then 1 more to play each option met (truncated: raise --limit") in out
    data = coverage_json(capsys, DATA, "--logs", empty_logs, "--limit", "1")
    alpha = cells(data, "sc-alpha")
    # Past the limit, one more path plays the option the depth-first search left: both options are reached
    # (before issue 16 only the first was, and the other showed as merely coverable).
    assert alpha["option:" + D + "choose=left"] == "reached"
    assert alpha["option:" + D + "choose=right"] == "reached"
    assert data["scenarios"][0]["exploration"] == {"paths": 2, "truncated": True, "unexplored": 1, "covering": 1,
                                                   "limit": 1}
    assert data["totals"]["coverable"] == 16  # the static part still counts what was not explored


def test_shipped_content_prints_a_matrix(capsys: Any, empty_logs: Path) -> None:
    code, out, err = tabletop(capsys, "coverage", ROOT / "runbooks", ROOT / "scenarios", "--logs", empty_logs)
    assert code == 0, err
    for runbook in ("inbound-mail-continuity", "admin-console-loss", "security-telemetry-gap"):
        assert any(line.startswith(runbook + "  (") for line in out.splitlines())
    assert "  failover-decision" in out and "    option hold" in out
    assert "Total: " in out


def test_shipped_default_paths_and_logs_folder(capsys: Any, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    # Defaults: runbooks and scenarios in the current folder, logs in exports/drills (absent here).
    import shutil

    shutil.copytree(ROOT / "runbooks", tmp_path / "runbooks")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    code, out, err = tabletop(capsys, "coverage")
    assert code == 0, err
    assert "Drill logs in exports/drills:\n0 read" in out
