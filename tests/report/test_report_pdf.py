"""The PDF report, through WeasyPrint (the optional `pdf` extra)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.report import render
from engine.report.builder import build_report

DATA = Path(__file__).resolve().parent / "data"


def test_pdf_renders(tmp_path: Path) -> None:
    why = render.pdf_available()
    if why:
        if os.environ.get("TABLETOP_REQUIRE_PDF"):  # .ci/run installed the libraries: a skip would hide a break
            pytest.fail(f"TABLETOP_REQUIRE_PDF is set but {why}")
        pytest.skip(f"{why}; install with: pip install '.[pdf]' (and Pango: see .ci/run)")
    report = build_report(str(DATA / "golden.jsonl"), roots=[str(DATA / "files")])
    pdf = render.render_pdf(render.render_html(report), report.drill_id)
    assert pdf.startswith(b"%PDF-")
    assert f"drill:{report.drill_id}".encode() in pdf  # how `tabletop report` recognises its own PDF
    assert pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 50_000  # pages of text and two kinds of chart, not an empty document
