"""`tabletop validate` as CI runs it: exit codes, formats, settings, suppression."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CLEAN = """\
runbook: tiny
title: A tiny runbook
roles:
  lead: The one who leads
steps:
  first:
    title: Do the first thing
    owner: lead
  second:
    title: Do the second thing
    owner: lead
    needs: [first]
"""

UNUSED_ROLE = CLEAN.replace("  lead: The one who leads\n", "  lead: The one who leads\n  idle: Nobody calls on them\n")
DANGLING = CLEAN.replace("needs: [first]", "needs: [frist]")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=cwd, capture_output=True, text=True,
                          env={**full_env, "PYTHONPATH": str(ROOT)})


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file_exits_0(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", CLEAN)
    out = run("validate", "tiny.yaml", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout == "1 file checked: no problems\n"


def test_error_exits_1_with_location_and_hint(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", DANGLING)
    out = run("validate", "tiny.yaml", cwd=tmp_path)
    assert out.returncode == 1
    first = out.stdout.splitlines()[0]
    assert first.startswith("tiny.yaml:12:") and first.endswith("[unknown-need]")
    assert "did you mean" in out.stdout


def test_warning_exits_0_unless_strict(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", UNUSED_ROLE)
    assert run("validate", "tiny.yaml", cwd=tmp_path).returncode == 0
    strict = run("validate", "--strict", "tiny.yaml", cwd=tmp_path)
    assert strict.returncode == 1
    assert "tiny.yaml:5:3: warning:" in strict.stdout and "[unused-role]" in strict.stdout


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    out = run("validate", "nowhere.yaml", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == "tabletop: error: nowhere.yaml: no such file or folder"


def test_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    out = run("validate", "--format", "xml", cwd=tmp_path)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


def test_unparseable_file_exits_3(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", CLEAN)
    write(tmp_path, "broken.yaml", "runbook: [unclosed\n")
    out = run("validate", ".", cwd=tmp_path)
    assert out.returncode == 3
    assert "broken.yaml:1:10: error:" in out.stdout and "[yaml-syntax]" in out.stdout


def test_suppression_comment_silences_that_rule_on_that_line(tmp_path: Path) -> None:
    text = UNUSED_ROLE.replace("Nobody calls on them", "Nobody calls on them  # tabletop: ignore[unused-role]")
    write(tmp_path, "tiny.yaml", text)
    assert run("validate", "--strict", "tiny.yaml", cwd=tmp_path).returncode == 0
    other = UNUSED_ROLE.replace("Nobody calls on them", "Nobody calls on them  # tabletop: ignore[cycle]")
    write(tmp_path, "tiny.yaml", other)
    assert run("validate", "--strict", "tiny.yaml", cwd=tmp_path).returncode == 1


def test_pyproject_settings_disable_and_change_severity(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", UNUSED_ROLE)
    write(tmp_path, "pyproject.toml", '[tool.tabletop]\nseverity = { unused-role = "error" }\n')
    out = run("validate", "tiny.yaml", cwd=tmp_path)
    assert out.returncode == 1 and "error:" in out.stdout
    write(tmp_path, "pyproject.toml", '[tool.tabletop]\ndisable = ["unused-role"]\n')
    assert run("validate", "--strict", "tiny.yaml", cwd=tmp_path).returncode == 0


def test_tabletop_toml_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "runbooks"
    sub.mkdir()
    write(sub, "tiny.yaml", UNUSED_ROLE)
    write(tmp_path, "tabletop.toml", 'disable = ["unused-role"]\n')
    assert run("validate", "--strict", ".", cwd=sub).returncode == 0


@pytest.mark.parametrize(
    "settings, says",
    [
        ('disable = ["unused-rol"]\n', "unknown rule 'unused-rol'; did you mean 'unused-role'?"),
        ('severity = { cycle = "fatal" }\n', "must be error, warning or info"),
        ("disable = [\n", "not valid TOML"),
        ("colour = true\n", "unknown setting 'colour'"),
    ],
)
def test_unusable_settings_are_a_usage_error(tmp_path: Path, settings: str, says: str) -> None:
    write(tmp_path, "tiny.yaml", CLEAN)
    write(tmp_path, "tabletop.toml", settings)
    out = run("validate", "tiny.yaml", cwd=tmp_path)
    assert out.returncode == 2
    assert says in out.stderr and "Traceback" not in out.stderr


def test_github_format_is_chosen_on_github_actions(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", DANGLING)
    out = run("validate", "tiny.yaml", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert out.stdout.startswith("::error file=tiny.yaml,line=12,col=")
    assert "title=unknown-need::" in out.stdout


def test_json_output_to_a_file(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", DANGLING)
    out = run("validate", "--format", "json", "-o", "out.json", "tiny.yaml", cwd=tmp_path)
    assert out.returncode == 1 and out.stdout == ""
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"]] == ["unknown-need"]


def test_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", CLEAN)
    out = run("validate", "-o", "no/such/folder/out.txt", "tiny.yaml", cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.startswith("tabletop: error: cannot write no/such/folder/out.txt")


def test_other_yaml_in_a_searched_folder_is_left_alone(tmp_path: Path) -> None:
    write(tmp_path, "tiny.yaml", CLEAN)
    (tmp_path / "ci").mkdir()
    write(tmp_path / "ci", "workflow.yml", "name: build\non: [push]\n")
    out = run("validate", ".", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout == "1 file checked: no problems; 1 other YAML file skipped (not tabletop files)\n"
    named = run("validate", "ci/workflow.yml", cwd=tmp_path)
    assert named.returncode == 1 and "[file-unknown-kind]" in named.stdout


def test_whole_fixture_corpus_gives_findings_and_never_a_traceback(tmp_path: Path) -> None:
    fixtures = ROOT / "tests" / "fixtures"
    no_settings = write(tmp_path, "tabletop.toml", "")
    first = run("validate", "--format", "json", "--config", str(no_settings), ".", cwd=fixtures)
    assert "Traceback" not in first.stderr
    assert first.returncode == 3  # the corpus holds files that cannot be parsed
    again = run("validate", "--format", "json", "--config", str(no_settings), ".", cwd=fixtures)
    assert again.stdout == first.stdout  # a stable order
    assert len(json.loads(first.stdout)["findings"]) >= 40


def test_help_teaches_exit_codes_and_examples(tmp_path: Path) -> None:
    out = run("validate", "--help", cwd=tmp_path)
    assert out.returncode == 0
    assert "exit codes:" in out.stdout and "tabletop validate --format sarif" in out.stdout
