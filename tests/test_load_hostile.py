"""Inputs built to crash or hang a YAML parser give findings, not crashes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("depth", [600, 60_000])
def test_absurd_bracket_nesting_is_a_finding_not_a_crash(tmp_path: Path, depth: int) -> None:
    # libyaml's composer recurses once per level and kills the process with SIGSEGV
    # somewhere below 50,000 levels; run in a subprocess so a regression cannot take pytest down.
    path = tmp_path / "deep.yaml"
    path.write_text("runbook: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "engine", "validate", str(path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 3, out.stderr
    assert "brackets nest more than 500 levels deep [yaml-syntax]" in out.stdout


def test_deep_block_nesting_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("runbook: x\ntitle: t\nsteps:\n" + "".join(" " * i + "a:\n" for i in range(1, 2000)),
                    encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "engine", "validate", str(path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 3
    assert "nested or indented more than 1000 levels deep [yaml-syntax]" in out.stdout


@pytest.mark.parametrize("indicator", ["- ", "? ", "- ? "])
def test_deep_compact_block_nesting_is_a_finding_and_the_scan_goes_on(tmp_path: Path, indicator: str) -> None:
    # 60,000 nested `- ` on one line (120 KB) killed every command that reads YAML with SIGSEGV,
    # and a folder scan with it died without reporting the other files.
    (tmp_path / "deep.yaml").write_text("runbook: x\nsteps:\n" + indicator * 60_000 + "a\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("runbook: other\nsteps: 3\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "engine", "validate", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 3, out.stderr
    assert "deep.yaml:3:1: error: the YAML is nested or indented more than 1000 levels deep" in out.stdout
    assert "other.yaml" in out.stdout


def test_nesting_pre_scan_agrees_with_a_plain_count() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from engine.load import _deepest_flow, _flow_depth

    @given(st.text(alphabet="[]{}a\n", max_size=80))
    def agree(text: str) -> None:
        assert _deepest_flow(text) == _flow_depth(text)[0]

    agree()


def test_ordinary_deep_but_sane_nesting_passes_the_pre_scan() -> None:
    from engine.load import nesting_problem

    assert nesting_problem("a:\n" + "".join("  " * i + "- b:\n" for i in range(1, 200))) is None
    assert nesting_problem("x: " + "[" * 400 + "]" * 400) is None
    assert nesting_problem("x: " + "]" * 900 + "[" * 400) is None


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "folder"])
def test_a_named_file_that_is_not_regular_is_a_finding_not_a_hang(tmp_path: Path, special: str) -> None:
    import os

    path = {"fifo": str(tmp_path / "pipe.yaml"), "/dev/zero": "/dev/zero", "folder": str(tmp_path)}[special]
    if special == "fifo":
        os.mkfifo(path)
    code = (f"from engine.load import read_document; d = read_document({path!r}); "
            "print(d.unreadable, d.findings[0].rule, d.findings[0].message)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout == "True file-unreadable not a regular file (a pipe, device or folder); not read\n", out.stderr
