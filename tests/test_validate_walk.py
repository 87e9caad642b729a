"""`tabletop validate .` in any repository: YAML that is not tabletop's is skipped and counted, not an error."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from engine.cli import main
from engine.validate import declared_kind

ROOT = Path(__file__).resolve().parents[1]
HELM = "{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n"
MANIFESTS = "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "runbooks", tmp_path / "runbooks")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    (tmp_path / "chart" / "templates").mkdir(parents=True)
    (tmp_path / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\n", encoding="utf-8")
    (tmp_path / "chart" / "templates" / "service.yaml").write_text(HELM, encoding="utf-8")
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "all.yaml").write_text(MANIFESTS, encoding="utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)  # hidden folders are not walked at all
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_helm_chart_beside_runbooks_exits_0_and_counts(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "."]) == 0
    out = capsys.readouterr().out
    shipped = len(list((ROOT / "runbooks").glob("*.yaml"))) + len(list((ROOT / "scenarios").glob("*.yaml")))
    assert out.splitlines()[-1] == (f"{shipped} files checked: no problems; "
                                    "3 other YAML files skipped (not tabletop files)")


def test_machine_formats_say_it_on_stderr(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", ".", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "tabletop: note: 3 other YAML files skipped" in captured.err
    assert "skipped" not in captured.out


def test_named_on_the_command_line_it_is_still_an_error(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "chart/templates/service.yaml"]) == 3
    assert main(["validate", "k8s/all.yaml"]) in (1, 3)
    out = capsys.readouterr().out
    assert "chart/templates/service.yaml:1" in out and "k8s/all.yaml" in out


def test_a_broken_file_in_runbooks_is_still_reported(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "runbooks" / "typo.yaml").write_text("runbok: typo\ntitle: Typo\n", encoding="utf-8")
    assert main(["validate", "."]) == 1
    assert "runbooks/typo.yaml:1:1" in capsys.readouterr().out


def test_only_other_yaml_is_a_usage_error_that_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "all.yaml").write_text(MANIFESTS, encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no runbooks, scenarios or improvement plans in" in err and "1 other YAML file skipped" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_yaml_is_skipped_not_opened(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(repository / "k8s" / "pipe.yaml")
    assert main(["validate", "."]) == 0  # would hang if it were opened
    assert "4 other YAML files skipped" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "folder", "kind"), [
    ("runbook: a\ntitle: A\n", "x", "runbook"),
    ("# comment\n'scenario': s\n", "x", "scenario"),
    ("# yaml-language-server: $schema=../schemas/runbook.schema.json\nrunbok: a\n", "x", "runbook"),
    ("title: broken\n", "runbooks", "runbook"),
    ("title: broken\n", "scenarios", "scenario"),
    (HELM, "templates", None),
    (MANIFESTS, "k8s", None),
    ("steps:\n  runbook: nested is not top-level\n", "x", None),
])
def test_declared_kind(tmp_path: Path, text: str, folder: str, kind: str | None) -> None:
    path = tmp_path / folder / "file.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    assert declared_kind(str(path)) == kind


def test_validate_dot_at_the_repository_root_is_clean(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """What the shipped pre-commit hook runs; test data with copies of the shipped files is excluded by settings."""
    monkeypatch.chdir(ROOT)
    assert main(["validate", "."]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("name, text", [
    ("chaos.yaml", "apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\nmetadata:\n  name: a\n---\n"
                   "apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n"),
    ("playbook.yml", "- hosts: all\n  tasks:\n    - ping:\n"),
    ("workflow.yaml", "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"),
])
@pytest.mark.parametrize("folder", ["scenarios", "runbooks", "improvements", "scenarios/k8s"])
def test_other_tools_yaml_in_a_tabletop_folder_is_skipped(repository: Path, capsys: pytest.CaptureFixture[str],
                                                          folder: str, name: str, text: str) -> None:
    """A chaos-engineering repository's scenarios/ of Kubernetes manifests: skipped, not exit 3 (issue 26)."""
    (repository / folder).mkdir(parents=True, exist_ok=True)
    (repository / folder / name).write_text(text, encoding="utf-8")
    assert main(["validate", "."]) == 0
    err = capsys.readouterr()
    assert "other YAML files skipped" in err.out + err.err
    assert main(["validate", "--format", "json", "."]) == 0  # the pre-commit hook's run and machine formats too


def test_a_broken_runbook_in_its_folder_is_still_ours(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "runbooks" / "typo.yaml").write_text("runbok: x\ntitle: t\nsteps:\n  a: {}\n", encoding="utf-8")
    assert main(["validate", "."]) == 1


def test_a_misspelled_top_key_alone_is_still_ours(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "scenarios" / "typo.yaml").write_text("scenaro: x\n", encoding="utf-8")
    assert main(["validate", "."]) == 1
    assert "scenarios/typo.yaml:1:1" in capsys.readouterr().out
