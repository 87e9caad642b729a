"""A --template folder someone hands you runs sandboxed, and any error in it is one line naming template and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_drills import ROOT, hostile_drill, shipped_plan

from engine.cli import main


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("sandbox") / "drill.jsonl"
    hostile_drill(str(path), shipped_plan())
    return path


@pytest.mark.parametrize("body, says", [
    ("{{ cycler.__init__.__globals__.os.system('touch PWNED') }}", ":1: not allowed in a template"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", ":1: not allowed in a template"),
    ("ok\n{{ report.steps.append(1) }}", ":2: not allowed in a template"),
    ("\n\n{% for i in range(10**9) %}x{% endfor %}", ":3: OverflowError"),
    ("a\n{{ 1 / 0 }}", ":2: ZeroDivisionError"),
    ("{{ report.nothing_here }}", ":1: "),
    ("{% for %}", ":1: "),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "recurses"),
    ("{% include 'missing.j2' %}", "missing.j2"),
])
def test_a_hostile_or_broken_template_is_one_line(log: Path, tmp_path: Path, capsys, body: str, says: str) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text(body, encoding="utf-8")
    code = main(["report", str(log), "--template", str(folder), "--format", "md", "-o", str(tmp_path / "r.md")])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[-1].startswith("tabletop: error: cannot render the report: ") and says in err[-1], err
    assert not (tmp_path / "r.md").exists()
    assert not (Path.cwd() / "PWNED").exists() and not (ROOT / "PWNED").exists()
