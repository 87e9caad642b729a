"""`tabletop graph`: draws a runbook, and fails in one clear line on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RUNBOOK = """\
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


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize(("fmt", "start", "edge"), [
    ("mermaid", "flowchart TD\n", "s_first --> s_second"),
    ("dot", 'digraph "tiny" {\n', "s_first -> s_second;"),
])
def test_graph_prints_the_drawing(tmp_path: Path, fmt: str, start: str, edge: str) -> None:
    (tmp_path / "tiny.yaml").write_text(RUNBOOK, encoding="utf-8")
    out = run("graph", "tiny.yaml", "--format", fmt, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(start) and edge in out.stdout
    assert out.stderr == ""


def test_graph_defaults_to_mermaid(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(RUNBOOK, encoding="utf-8")
    out = run("graph", "tiny.yaml", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("flowchart TD\n")


def test_graph_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    out = run("graph", "nowhere.yaml", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "nowhere.yaml" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(("name", "text", "code"), [
    ("broken-yaml.yaml", "runbook: tiny\nsteps: [unclosed\n", 3),
    ("no-steps.yaml", "runbook: tiny\ntitle: No steps at all\n", 1),
    ("scenario.yaml", "scenario: s\ntitle: A scenario, not a runbook\nrunbooks: [tiny]\n", 1),
])
def test_graph_of_a_broken_runbook_fails_without_a_traceback(tmp_path: Path, name: str, text: str,
                                                              code: int) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    out = run("graph", name, cwd=tmp_path)
    assert out.returncode == code, out.stderr
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1].startswith("tabletop: error: ")


@pytest.mark.parametrize("path", sorted((ROOT / "runbooks").glob("*.yaml")), ids=lambda p: p.name)
def test_graph_draws_every_shipped_runbook(path: Path) -> None:
    for fmt in ("mermaid", "dot"):
        out = run("graph", str(path), "--format", fmt, cwd=ROOT)
        assert out.returncode == 0, out.stderr
