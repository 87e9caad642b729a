"""The files a log names are found without letting the log steer: relative, inside, regular, capped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.logged_files import find_named


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "s.yaml").write_text("scenario: s\n", encoding="utf-8")
    (tmp_path / "exports" / "drills").mkdir(parents=True)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not the project: the log's folders must find the files
    return tmp_path


def _log(project: Path) -> str:
    return str(project / "exports" / "drills" / "d.jsonl")


def test_a_relative_path_inside_the_project_is_found_from_the_log(project: Path) -> None:
    found = find_named(_log(project), "scenarios/s.yaml")
    assert found.path == str(project / "scenarios" / "s.yaml") and found.problem is None


@pytest.mark.parametrize("recorded", ["/etc/passwd", "/", "../../../../etc/passwd", "scenarios/../../x.yaml", "",
                                      5, None, ["a"], "a\x00b"])
def test_absolute_climbing_or_malformed_paths_are_not_read(project: Path, recorded: object) -> None:
    found = find_named(_log(project), recorded)
    assert found.path is None and found.problem


def test_a_path_that_exists_only_above_the_project_is_not_read(project: Path) -> None:
    (project.parent / "above.yaml").write_text("x: 1\n", encoding="utf-8")
    (project / "runbooks").mkdir()  # marks the project
    assert find_named(_log(project), "above.yaml").path is None
    assert find_named(_log(project), "etc/passwd").path is None  # not looked up from /


def test_files_from_reads_named_files_from_the_folder_chosen_only(project: Path, tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    (chosen / "etc").mkdir(parents=True)
    (chosen / "etc" / "s.yaml").write_text("scenario: s\n", encoding="utf-8")
    found = find_named(_log(project), "/etc/s.yaml", files_from=str(chosen))
    assert found.path == str(chosen / "etc" / "s.yaml")
    assert find_named(_log(project), "../s.yaml", files_from=str(chosen)).path is None
    assert find_named(_log(project), "scenarios/s.yaml", files_from=str(chosen)).path is None  # not looked up elsewhere


def test_fifos_devices_folders_links_out_and_huge_files_are_not_read(project: Path, tmp_path: Path) -> None:
    os.mkfifo(project / "scenarios" / "pipe.yaml")
    (project / "scenarios" / "dir.yaml").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    outside.write_text("secret: 1\n", encoding="utf-8")
    (project / "scenarios" / "link.yaml").symlink_to(outside)
    with open(project / "scenarios" / "big.yaml", "wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    for name, says in [("pipe", "not a regular file"), ("dir", "not a regular file"), ("link", "leads out"),
                       ("big", "over the")]:
        found = find_named(_log(project), f"scenarios/{name}.yaml")
        assert found.path is None and says in (found.problem or ""), (name, found)
