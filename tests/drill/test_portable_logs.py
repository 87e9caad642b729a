"""Portable logs (issue 20, fault 2): a live drill's AAR opened with "were not read" warnings because the
console named its files by absolute path. Every writer now names them relative to the project, and a log
written before, with absolute paths inside its project, still reads without a warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from drillkit import ROOT, SHIPPED, start, tabletop

from engine.drill import session
from engine.plans import load_plan
from engine.report.builder import build_report


def _project(folder: Path) -> Path:
    shutil.copytree(ROOT / "scenarios", folder / "scenarios")
    shutil.copytree(ROOT / "runbooks", folder / "runbooks")
    (folder / "exports").mkdir()
    return folder


def _drill(project: Path) -> Path:
    """A drill as the console starts one: the scenario by its absolute path, the log in the project."""
    drill, _ = start(load_plan(str((project / "scenarios" / SHIPPED.name).resolve())), project / "exports")
    drill.fire_due()
    drill.close()
    return Path(drill.path)


def _named(log: Path) -> list[str]:
    data = json.loads(log.read_text(encoding="utf-8").splitlines()[0])["data"]
    return [data["scenario"]["path"], *(r["path"] for r in data["runbooks"])]


def _file_notices(log: Path) -> list[str]:
    report = build_report(str(log))
    assert report.source.plan_from == "files"
    return [n.text for n in report.notices if "file" in n.text]


def test_a_console_drill_names_its_files_relative_to_the_project(tmp_path: Path) -> None:
    log = _drill(_project(tmp_path / "proj"))
    assert _named(log) == [f"scenarios/{SHIPPED.name}", "runbooks/inbound-mail-continuity.yaml",
                           "runbooks/admin-console-loss.yaml", "runbooks/security-telemetry-gap.yaml"]


def test_a_log_moved_with_its_project_reads_without_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys) -> None:  # type: ignore[no-untyped-def]
    log = _drill(_project(tmp_path / "here"))
    (tmp_path / "there").mkdir()
    moved = Path(shutil.move(str(tmp_path / "here"), str(tmp_path / "there" / "proj")))
    monkeypatch.chdir(tmp_path)  # nowhere near the files
    assert _file_notices(moved / "exports" / log.name) == []
    code, out, err = tabletop(capsys, "log", "verify", moved / "exports" / log.name)
    assert code == 0 and "every event follows" in out, err


def test_an_older_console_log_with_absolute_paths_inside_its_project_reads_without_warnings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    project = _project(tmp_path / "proj")
    with monkeypatch.context() as patch:  # the console before: every file by its absolute path
        patch.setattr(session, "logged_name", lambda path, project: str(Path(path).resolve()), raising=False)
        log = _drill(project)
    assert all(Path(p).is_absolute() for p in _named(log))
    monkeypatch.chdir(tmp_path)
    assert _file_notices(log) == []
    code, out, err = tabletop(capsys, "log", "verify", log)
    assert code == 0 and "every event follows" in out, err
