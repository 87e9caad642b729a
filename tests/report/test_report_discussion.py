"""The report's modules section lists each recorded discussion summary under its question, with who recorded
it and when, in every format; a question with none still reads "No summary ... recorded"."""

from __future__ import annotations

import io
import json
from pathlib import Path

from report_drills import ROOT, shipped_plan, start_clock

from engine.drill.session import Drill
from engine.report import render
from engine.report.builder import build_report
from engine.report.word import render_docx

SAID = "Only two break-glass accounts still sign in <script>alert(1)</script>"


def _report(tmp_path: Path):  # type: ignore[no-untyped-def]
    plan = shipped_plan()
    clock = start_clock(plan)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Dana Whitfield")
    drill.fire_due()
    clock.advance(25 * 60)
    drill.summarise("mail-stops", "who-can-administer", SAID, "Rosa Mbeki")
    drill.end("finished")
    drill.close()
    return build_report(drill.path, roots=[str(ROOT)])


def test_a_recorded_summary_is_in_the_report_attributed(tmp_path: Path) -> None:
    report = _report(tmp_path)
    mail = report.modules[0]
    by_id = {q.id: q for q in mail.questions}
    assert by_id["who-can-administer"].summaries == [{"t": 1500.0, "text": SAID, "by": "Rosa Mbeki"}]
    assert by_id["when-fail-over"].summaries == []
    markdown = render.render_markdown(report)
    assert "(Rosa Mbeki, T+0:25)" in markdown and "Only two break-glass accounts still sign in" in markdown
    module_one = markdown[markdown.index("#### Module 1"):markdown.index("#### Module 2")]
    assert "No summary of the discussion was recorded" not in module_one  # one question has one
    assert "No summary of the discussion was recorded" in markdown  # modules 2 and 3 have none
    page = render.render_html(report)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "Rosa Mbeki, T+0:25" in page
    data = json.loads(render.render_json(report))
    questions = [q for m in data["modules"] for q in m["questions"] if q["id"] == "who-can-administer"]
    assert questions[0]["summaries"][0]["by"] == "Rosa Mbeki"
    import docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO(render_docx(report))).paragraphs]
    assert any(SAID in p and "Rosa Mbeki" in p and "T+0:25" in p for p in paragraphs)
