"""The report's attendance sheet (seat.joined / seat.left): name, role, joined and left for each stay of each
seat, in every format, names inert; a log without seats reads as before."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
from report_drills import ROOT, shipped_plan, start_clock

from engine.drill.session import Drill
from engine.report import render
from engine.report.builder import build_report
from engine.report.word import render_docx

HOSTILE = "Ann <script>alert(1)</script> **loud** [x](http://evil.example) | cell"


def _report(tmp_path: Path, seats: bool = True):  # type: ignore[no-untyped-def]
    plan = shipped_plan()
    clock = start_clock(plan)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Dana Whitfield")
    if seats:
        drill.join("s1", HOSTILE, "incident-commander")
        clock.advance(300)
        drill.join("s2", "Bo", "observer")
        clock.advance(300)
        drill.leave("s1")
        clock.advance(60)
        drill.join("s1", "Ann", "comms-lead")
    drill.end("finished")
    drill.close()
    return build_report(drill.path, roots=[str(ROOT)])


def test_the_sheet_has_each_stay_in_every_format_with_names_inert(tmp_path: Path) -> None:
    report = _report(tmp_path)
    rows = [(a.name, a.role, a.joined, a.left) for a in report.attendance]
    assert rows == [(HOSTILE, "incident-commander", 0, 600), ("Bo", "observer", 300, None),
                    ("Ann", "comms-lead", 660, None)]
    assert report.attendance[0].role_text  # the runbook's words for the role

    markdown = render.render_markdown(report)
    assert "### Attendance" in markdown
    assert "| Bo | observer | T+0:05 | still in |" in markdown
    assert "<script>" not in markdown and "](http" not in markdown and "\\| cell" in markdown

    page = render.render_html(report)
    assert 'id="attendance"' in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page

    data = json.loads(render.render_json(report))
    assert [(a["name"], a["role"], a["joined"], a["left"]) for a in data["attendance"]] == \
        [(HOSTILE, "incident-commander", 0, 600), ("Bo", "observer", 300, None), ("Ann", "comms-lead", 660, None)]

    document = docx.Document(io.BytesIO(render_docx(report)))
    assert "Attendance" in [p.text for p in document.paragraphs]
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Bo", "observer", "T+0:05", "still in"] in cells


def test_a_log_without_seats_has_no_attendance_key_or_section(tmp_path: Path) -> None:
    report = _report(tmp_path, seats=False)
    assert report.attendance == []
    assert "attendance" not in json.loads(render.render_json(report))
    assert "Attendance" not in render.render_markdown(report)
    assert "Attendance" not in render.render_html(report)
