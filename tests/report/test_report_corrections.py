"""The report shows each correction beside the original, both with their times and who: Markdown, HTML, JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "drill"))

from drillkit import minutes, start, write_plan  # noqa: E402
from test_step_semantics import RUNBOOK, SCENARIO, decide  # noqa: E402

from engine.drill import narrate  # noqa: E402
from engine.drill.log import read_log  # noqa: E402
from engine.report.builder import build_report  # noqa: E402
from engine.report.render import render_html, render_json, render_markdown  # noqa: E402
from engine.report.word import render_docx  # noqa: E402


def _corrected_log(tmp_path: Path) -> str:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 10)
    decide(drill, "fail-over")
    minutes(clock, 110)
    drill.revise("rb/route", "hold", "the relay <b>is not</b> ready", "Priya")
    drill.fire("relay-fails", manual=True)
    minutes(clock, 1)
    drill.withdraw("relay-fails", "fired by a stray key", "Sam")
    drill.end("finished")
    drill.close()
    return drill.path


def test_the_report_shows_the_original_decision_and_its_revision(tmp_path: Path) -> None:
    path = _corrected_log(tmp_path)
    report = build_report(path, scenario=str(tmp_path / "scenarios" / "sc.yaml"),
                          runbook_dirs=[str(tmp_path / "runbooks")])
    revised, withdrawn = report.corrections
    assert (revised.was, revised.was_t, revised.was_by, revised.now, revised.t, revised.by) == (
        "fail-over", 600.0, "ic", "hold", 7200.0, "Priya")
    assert (withdrawn.kind, withdrawn.was, withdrawn.now, withdrawn.by) == (
        "inject withdrawn", "fired by hand", "withdrawn", "Sam")
    marked = [(e.kind, e.what, e.subject, e.detail) for e in report.timeline if e.kind == "correction"]
    assert marked == [("correction", "decision revised", "rb/route", "hold"),
                      ("correction", "inject withdrawn", "relay-fails", "fired by a stray key")]
    md = render_markdown(report)
    assert revised.was_why == "test" and withdrawn.was_why == ""  # the original decision's rationale
    assert "| decision revised | Fail over or hold? | fail-over (why: test) | T+0:10" in md
    assert "T+2:00" in md and "Priya" in md
    html = render_html(report)
    assert "&lt;b&gt;is not&lt;/b&gt;" in html and "<b>is not</b>" not in html
    data = json.loads(render_json(report))
    assert [c["kind"] for c in data["corrections"]] == ["decision revised", "inject withdrawn"]


def test_log_show_narrates_corrections(tmp_path: Path) -> None:
    lines = [narrate.line(e) for e in read_log(_corrected_log(tmp_path)).events]
    assert any("decision.revised" in x and "rb/route now = hold (by Priya)" in x for x in lines)
    assert any("relay-fails withdrawn (by Sam): fired by a stray key" in x for x in lines)


def test_a_second_revision_shows_the_reason_of_the_first(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    decide(drill, "fail-over")
    minutes(clock, 60)
    drill.revise("rb/route", "hold", "relay not ready", "Priya")
    minutes(clock, 60)
    drill.revise("rb/route", "fail-over", "relay ready now", "Dana")
    drill.end("finished")
    drill.close()
    report = build_report(drill.path, scenario=str(tmp_path / "scenarios" / "sc.yaml"),
                          runbook_dirs=[str(tmp_path / "runbooks")])
    first, second = report.corrections
    assert (first.was, first.was_why, first.now, first.reason) == ("fail-over", "test", "hold", "relay not ready")
    assert (second.was, second.was_why, second.was_t, second.now) == ("hold", "relay not ready", 3600.0, "fail-over")
    assert "hold (why: relay not ready)" in render_html(report)
    assert [c["was_why"] for c in json.loads(render_json(report))["corrections"]] == ["test", "relay not ready"]


def test_the_word_report_shows_each_correction_beside_its_original(tmp_path: Path) -> None:
    import io

    import docx

    path = _corrected_log(tmp_path)
    report = build_report(path, scenario=str(tmp_path / "scenarios" / "sc.yaml"),
                          runbook_dirs=[str(tmp_path / "runbooks")])
    document = docx.Document(io.BytesIO(render_docx(report)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Correction")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows[0][:3] == ["decision revised", "Fail over or hold?", "fail-over (why: test)"]
    assert rows[0][3].startswith("T+0:10") and rows[0][4] == "ic"
    assert rows[0][5] == "hold" and rows[0][6].startswith("T+2:00")
    assert rows[0][7:] == ["Priya", "the relay <b>is not</b> ready"]  # as typed, nothing interpreted
    assert [r[0] for r in rows] == ["decision revised", "inject withdrawn"]
