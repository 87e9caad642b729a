"""A runbook reached twice is read once, and a project's own runbooks win over ./runbooks (issue 27).

A drill started from a folder with its own runbooks/ exited 3 with
`duplicate-id`: the same runbooks came in once by the path given and once by
discovery (`runbooks` and its absolute path, a symlink), or a scenario of
another project found its own runbooks and the working folder's copies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "scenarios/m365-na-outage-2026-01-22.yaml"


def project(folder: Path) -> Path:
    """A copy of the shipped runbooks and scenarios in `folder`."""
    for part in ("runbooks", "scenarios"):
        shutil.copytree(ROOT / part, folder / part)
    return folder


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=cwd, capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def here(tmp_path: Path) -> Path:
    folder = project(tmp_path / "here")
    (tmp_path / "linked").symlink_to(folder / "runbooks")
    return folder


def twice(here: Path) -> list[list[str]]:
    """The runbooks folder given twice: relative and absolute, and through a symlink."""
    return [["--runbooks", "runbooks", "--runbooks", str(here / "runbooks")],
            ["--runbooks", "runbooks", "--runbooks", str(here.parent / "linked")]]


@pytest.mark.parametrize("command", ["play", "explore", "handbook"])
def test_a_command_given_its_runbooks_twice_reads_them_once(here: Path, command: str) -> None:
    for n, folders in enumerate(twice(here)):
        extra = {"play": ["--log", f"drill-{n}.jsonl"], "explore": [],
                 "handbook": ["-o", f"book-{n}.md"]}[command]
        done = run(command, SCENARIO, *folders, *extra, cwd=here)
        assert done.returncode == 0, done.stderr
        assert "duplicate-id" not in done.stderr + done.stdout


def test_report_and_coverage_and_validate_read_a_runbook_once(here: Path) -> None:
    assert run("play", SCENARIO, "--log", "drill.jsonl", cwd=here).returncode == 0
    for folders in twice(here):
        done = run("report", "drill.jsonl", *folders, "-o", "aar.md", "--force", cwd=here)
        assert done.returncode == 0, done.stderr
        paths = [folders[1], folders[3], "scenarios"]
        done = run("coverage", *paths, cwd=here)
        assert done.returncode == 0, done.stderr
        done = run("validate", *paths, cwd=here)
        assert done.returncode == 0, done.stdout
        assert "duplicate-id" not in done.stdout


def test_a_scenario_of_another_project_uses_its_own_runbooks(tmp_path: Path, here: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    other = project(tmp_path / "other")
    monkeypatch.chdir(here)  # the working folder has runbooks of the same ids
    for quick in (True, False):  # the console reads quickly; play, explore and the report do not
        plan = load_plan(str(other / SCENARIO), quick=quick)
        runbooks = sorted({f.path for f in plan.files if f.kind == "runbook"})
        assert runbooks and all(p.startswith(str(other / "runbooks")) for p in runbooks), runbooks
    done = run("play", str(other / SCENARIO), "--log", "drill.jsonl", cwd=here)
    assert done.returncode == 0, done.stderr


def test_two_files_with_one_runbook_id_are_still_reported(here: Path) -> None:
    shutil.copy(here / "runbooks" / "admin-console-loss.yaml", here / "runbooks" / "copy.yaml")
    done = run("validate", "runbooks", str(here / "runbooks"), cwd=here)
    assert done.returncode == 1 and done.stdout.count("[duplicate-id]") == 1, done.stdout
