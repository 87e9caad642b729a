"""The page printed to PDF sets a long improvement plan as one paragraph per item, not a table (issue 28):
WeasyPrint lays out a six-cell table row in about ten times the time of a paragraph. The HTML report, and a
plan of up to PRINTED_PLAN_ROWS items, keep the table."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from engine.report import render
from engine.report.builder import build_report
from engine.report.model import ImprovementItem, Report

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def golden() -> Report:
    return build_report(str(DATA / "golden.jsonl"), roots=[str(DATA / "files")])


def _with_plan(report: Report, size: int) -> Report:
    item = ImprovementItem(number=0, seq=1, t=60.0, issue="", action="", element="Planning", owner="",
                           due="", step=None, step_title="Page the bridge", objectives=[], by="observer")
    plan = [dataclasses.replace(item, number=n, issue=f"Issue <{n}>", owner="A. Owner" if n % 2 else "")
            for n in range(1, size + 1)]
    return dataclasses.replace(report, improvement_plan=plan)


def _plan_section(page: str) -> str:
    return re.search(r'<section id="plan">.*?</section>', page, re.S).group(0)  # type: ignore[union-attr]


def test_a_long_plan_prints_as_paragraphs_with_every_item(golden: Report) -> None:
    report = _with_plan(golden, render.PRINTED_PLAN_ROWS + 1)
    section = _plan_section(render.render_html(report, printed=True))
    assert "<table" not in section
    items = re.findall(r"<p>(\d+)\. Issue &lt;\1&gt; \(step: Page the bridge\)\. (.*?)</p>", section)
    assert [int(n) for n, _ in items] == list(range(1, render.PRINTED_PLAN_ROWS + 2))
    assert items[0][1] == ("Corrective action: to be decided. Capability element: Planning. Owner: A. Owner. "
                           "Due: to be assigned.")
    assert "Owner: to be assigned." in items[1][1]
    evens = ", ".join(f"#{n}" for n in range(2, render.PRINTED_PLAN_ROWS + 2, 2))
    assert f"<strong>Needing an owner:</strong> {evens}.</p>" in section  # as under the table


def test_the_html_report_and_a_short_plan_keep_the_table(golden: Report) -> None:
    long = _with_plan(golden, render.PRINTED_PLAN_ROWS + 1)
    assert _plan_section(render.render_html(long)).count("<tr>") == render.PRINTED_PLAN_ROWS + 2  # and the head
    short = _with_plan(golden, render.PRINTED_PLAN_ROWS)
    assert render.render_html(short, printed=True) == render.render_html(short)
