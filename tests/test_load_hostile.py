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
    assert "nests too deeply to read [yaml-syntax]" in out.stdout
