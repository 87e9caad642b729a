"""The golden report: a committed drill log must always give exactly the committed report.

When a change to the report is intended, regenerate and review the diff:
    python tests/report/regen_golden.py          (or: ... regen_golden.py LOG for a `tabletop play` log)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.report import render
from engine.report.builder import build_report

DATA = Path(__file__).resolve().parent / "data"
HOW = "the report changed; if that is intended, run `python tests/report/regen_golden.py` and review the diff"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return build_report(str(DATA / "golden.jsonl"), roots=[str(DATA / "files")])


def test_golden_log_verifies_and_uses_the_copied_files(report) -> None:  # type: ignore[no-untyped-def]
    assert report.verification.ok
    assert report.source.plan_from == "files"
    assert {f.status for f in report.source.files} == {"same"}
    assert [n.level for n in report.notices] == []


def test_markdown_matches_the_golden_file(report) -> None:  # type: ignore[no-untyped-def]
    assert render.render_markdown(report) == (DATA / "golden.md").read_text(encoding="utf-8"), HOW


def test_html_matches_the_golden_file(report) -> None:  # type: ignore[no-untyped-def]
    assert render.render_html(report) == (DATA / "golden.html").read_text(encoding="utf-8"), HOW


def test_json_matches_the_golden_file(report) -> None:  # type: ignore[no-untyped-def]
    assert render.render_json(report) == (DATA / "golden.json").read_text(encoding="utf-8"), HOW


def test_the_same_log_gives_the_same_report_twice() -> None:
    again = build_report(str(DATA / "golden.jsonl"), roots=[str(DATA / "files")])
    first = build_report(str(DATA / "golden.jsonl"), roots=[str(DATA / "files")])
    assert render.render_html(again) == render.render_html(first)


def test_json_is_versioned_and_documented() -> None:
    data = json.loads((DATA / "golden.json").read_text(encoding="utf-8"))
    assert next(iter(data)) == "report_version" and data["report_version"] == 1
    documented = (Path(__file__).resolve().parents[2] / "docs" / "report-json.md").read_text(encoding="utf-8")
    for key in data:
        assert f"`{key}`" in documented, f"top-level key {key} is not in docs/report-json.md"
