"""The report summarises participant feedback (feedback.submitted) in every format: forms returned, each
statement's score distribution and mean, the overall mean in the executive brief, the open answers as
written (markup inert); a log without feedback reads as before."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
from report_drills import ROOT, shipped_plan, start_clock

from engine import feedback
from engine.drill.session import Drill
from engine.report import render
from engine.report.builder import build_report
from engine.report.word import render_docx

HOSTILE = "Keep the bridge <script>alert(1)</script> **loud** [x](http://evil.example) | cell"


def _report(tmp_path: Path, forms: list[tuple[dict[str, int], dict[str, str], str]]):  # type: ignore[no-untyped-def]
    plan = shipped_plan()
    drill = Drill.start(plan, start_clock(plan), log_path=str(tmp_path / "d.jsonl"), facilitator="Dana Whitfield")
    drill.fire_due()
    drill.end("finished")
    for number, (ratings, answers, name) in enumerate(forms):
        drill.submit_feedback(ratings, answers, respondent=f"browser-{number}", name=name,
                              role="Mail admin" if name else "")
    drill.close()
    return build_report(drill.path, roots=[str(ROOT)])


FORMS = [({"organised": 4, "realistic": 5}, {"strengths": HOSTILE}, "Ana"),
         ({"organised": 2, "realistic": 5, "plans": 3}, {"strengths": "Clear roles", "next-time": "Shorter"}, ""),
         ({"organised": 5}, {}, "")]


def test_the_summary_counts_distributions_and_means(tmp_path: Path) -> None:
    fb = _report(tmp_path, FORMS).feedback
    assert fb is not None and fb.responses == 3
    assert fb.mean == round((4 + 5 + 2 + 5 + 3 + 5) / 6, 2)
    by_id = {s.id: s for s in fb.statements}
    assert [s.id for s in fb.statements] == [s.id for s in feedback.STATEMENTS]  # every statement, form order
    assert by_id["organised"].counts == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert (by_id["organised"].rated, by_id["organised"].mean) == (3, round(11 / 3, 2))
    assert (by_id["realistic"].rated, by_id["realistic"].mean) == (2, 5.0)
    assert (by_id["actions"].rated, by_id["actions"].mean) == (0, None)
    answers = {q.id: q.answers for q in fb.questions}
    assert answers["strengths"] == [{"text": HOSTILE, "by": "Ana, Mail admin"}, {"text": "Clear roles", "by": ""}]
    assert answers["next-time"] == [{"text": "Shorter", "by": ""}] and answers["own-changes"] == []


def test_every_format_shows_it_with_the_text_inert(tmp_path: Path) -> None:
    report = _report(tmp_path, FORMS)
    markdown = render.render_markdown(report)
    assert "### Participant feedback" in markdown and "**3 feedback forms** returned; mean rating 4.0 of 5" in markdown
    assert "**Participant feedback:** 4.0 of 5 on average from 3 forms" in markdown
    brief = markdown[markdown.index("## Executive brief"):markdown.index("## 1. Exercise overview")]
    assert "4.0 of 5" in brief  # the overall rating is on the brief's page
    row = next(line for line in markdown.splitlines() if line.startswith("| The exercise was well organised"))
    assert row.split("|")[2:-1] == [" 3 ", " 0 ", " 1 ", " 0 ", " 1 ", " 1 ", " 3.7 "]
    assert "<script>" not in markdown and "](http" not in markdown and "\\| cell" in markdown
    assert "(Ana, Mail admin)" in markdown

    page = render.render_html(report)
    assert 'id="feedback"' in page and "mean rating 4.0 of 5" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "<td class=\"c\">3.7</td>" in page

    data = json.loads(render.render_json(report))
    assert data["feedback"]["responses"] == 3 and data["feedback"]["mean"] == 4.0
    assert data["feedback"]["statements"][0]["counts"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert data["feedback"]["questions"][0]["answers"][0]["text"] == HOSTILE

    document = docx.Document(io.BytesIO(render_docx(report)))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Participant feedback" in paragraphs
    assert any("3 feedback forms returned; mean rating 4.0 of 5" in p for p in paragraphs)
    assert any("4.0 of 5 on average from 3 forms" in p for p in paragraphs)
    assert any(HOSTILE in p and "(Ana, Mail admin)" in p for p in paragraphs)
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["The exercise was well organised and kept to its schedule.", "3", "0", "1", "0", "1", "1", "3.7"] in cells


def test_a_log_without_feedback_has_no_feedback_key_or_section(tmp_path: Path) -> None:
    report = _report(tmp_path, [])
    assert report.feedback is None
    assert "feedback" not in json.loads(render.render_json(report))
    assert "Participant feedback" not in render.render_markdown(report)
    assert "Participant feedback" not in render.render_html(report)
