"""A `--template` folder someone hands you renders nothing from outside it, and makes nothing unbounded (issue 27)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "drill"))
from drillkit import ROOT, tabletop  # noqa: E402

DATA = ROOT / "tests" / "report" / "data"
FILES = ["--scenario", str(DATA / "files" / "scenarios" / "m365-na-outage-2026-01-22.yaml"),
         "--runbooks", str(DATA / "files" / "runbooks")]
SECRET = "the-secret-line-of-a-private-file"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copyfile(DATA / "golden.jsonl", tmp_path / "drill.jsonl")
    (tmp_path / "templates").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "key.txt").write_text(SECRET + "\n", encoding="utf-8")
    return tmp_path


def _report(capsys, project: Path) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    return tabletop(capsys, "report", project / "drill.jsonl", "--template", project / "templates", "--format", "md",
                    *FILES, "-o", "-")


@pytest.mark.parametrize("how", ["the template itself", "an include", "a folder link"])
def test_a_symbolic_link_out_of_the_template_folder_renders_nothing(how: str, project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    templates = project / "templates"
    if how == "the template itself":
        (templates / "report.md.j2").symlink_to(project / "private" / "key.txt")
    elif how == "an include":
        (templates / "report.md.j2").write_text("{% include 'key.j2' %}\n", encoding="utf-8")
        (templates / "key.j2").symlink_to(project / "private" / "key.txt")
    else:
        (templates / "report.md.j2").write_text("{% include 'parts/key.txt' %}\n", encoding="utf-8")
        (templates / "parts").symlink_to(project / "private")
    code, out, err = _report(capsys, project)
    assert code == 2, err
    assert SECRET not in out + err
    assert "leads outside the template folder" in err and err.splitlines()[-1].startswith("tabletop: error: ")


def test_a_link_inside_the_template_folder_still_works(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    templates = project / "templates"
    (templates / "real.j2").write_text("made by {{ report.drill_id[:8] }}\n", encoding="utf-8")
    (templates / "report.md.j2").symlink_to(templates / "real.j2")
    code, out, err = _report(capsys, project)
    assert code == 0 and out.startswith("made by "), err


@pytest.mark.parametrize("body", [
    "{{ 'x' * 3000000000 }}",
    "{{ 3000000000 * 'x' }}",
    "{{ ['x'] * 3000000000 }}",
    "{{ 'x'.center(3000000000) }}",
    "{{ 'x'|center(3000000000) }}",
    "{{ 'x'.ljust(3000000000) }}",
    "{{ '%3000000000s' % 'x' }}",
    "{{ 9 ** 999999999 }}",
    "{{ ('x' * 9000000)|replace('x', 'yyyyyyyy') }}",
    "{{ ('x' * 9000000).replace('x', 'yyyyyyyy') }}",
    "{% set a = 'x' * 9000000 %}{{ a + a }}",
    "{% for i in range(99999) %}{% for j in range(99999) %}{{ 'x' * 9999999 }}{% endfor %}{% endfor %}",
])
def test_an_unbounded_value_is_refused_before_it_is_made(body: str, project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (project / "templates" / "report.md.j2").write_text(body, encoding="utf-8")
    code, out, err = _report(capsys, project)
    assert code == 2 and out == "", err
    assert err.splitlines()[-1].startswith("tabletop: error: cannot render the report: ")
    assert "not allowed in a template" in err


def test_a_huge_template_file_is_refused(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from engine.bounds import MAX_TEMPLATE_BYTES

    with open(project / "templates" / "report.md.j2", "wb") as handle:
        handle.write(b"x" * (MAX_TEMPLATE_BYTES + 1))
    code, _, err = _report(capsys, project)
    assert code == 2 and f"over {MAX_TEMPLATE_BYTES:,} bytes" in err, err


def test_a_fifo_as_a_template_is_refused_not_waited_on(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo(project / "templates" / "report.md.j2")
    code, _, err = _report(capsys, project)
    assert code == 2 and "not a regular file" in err, err
