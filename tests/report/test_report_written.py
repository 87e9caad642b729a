"""The report on what was written during the drill: ad-hoc injects (marked ad hoc, with a withdrawal beside
its original), services set by hand, and the time away after a stop, in Markdown, HTML, JSON and Word."""

from __future__ import annotations

import io
import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "drill"))

from drillkit import minutes, start, write_plan  # noqa: E402
from test_step_semantics import RUNBOOK, SCENARIO  # noqa: E402

from engine.drill.session import Drill  # noqa: E402
from engine.report.builder import build_report  # noqa: E402
from engine.report.model import Report  # noqa: E402
from engine.report.render import render_html, render_json, render_markdown  # noqa: E402
from engine.report.word import render_docx  # noqa: E402


def _report(tmp_path: Path) -> Report:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 10)
    drill.adhoc("The CFO <b>walks in</b> | asks for an ETA.", ["incident-commander"], {"tracker": "down"},
                "press-call", "Priya")
    minutes(clock, 5)
    drill.adhoc("A stray one.")
    drill.withdraw("adhoc-2", "written for the wrong room", "Priya")
    drill.set_service("relay", "degraded")
    minutes(clock, 5)
    drill.close()  # a crash: nothing closes the clock
    clock.current += timedelta(minutes=14, seconds=5)
    resumed = Drill.resume(plan, drill.path, clock)
    resumed.settle_time_away(counted=True)
    resumed.end("finished")
    resumed.close()
    return build_report(drill.path, scenario=str(tmp_path / "scenarios" / "sc.yaml"),
                        runbook_dirs=[str(tmp_path / "runbooks")])


def test_the_report_lists_adhoc_injects_marked_and_the_withdrawn_one_beside_its_correction(tmp_path: Path) -> None:
    report = _report(tmp_path)
    first, second = report.adhoc_injects
    assert (first.id, first.t, first.to, first.services, first.event, first.by, first.withdrawn) == (
        "adhoc-1", 600.0, ["incident-commander"], {"tracker": "down"}, "press-call", "Priya", "")
    assert second.withdrawn == "written for the wrong room"
    fired = [(e.what, e.subject, e.detail) for e in report.timeline if e.kind == "inject"]
    assert fired[0] == ("fired ad hoc", "adhoc-1", "written during the drill by Priya; to incident-commander; "
                                                   "tracker down; event press-call")
    assert fired[1][:2] == ("fired ad hoc", "adhoc-2")
    opened = [e.detail for e in report.timeline if e.kind == "step" and e.what == "opened"]
    assert "event press-call, from ad-hoc inject adhoc-1" in opened
    (withdrawn,) = report.corrections
    assert (withdrawn.subject, withdrawn.was, withdrawn.now) == ("adhoc-2", "written ad hoc: A stray one.", "withdrawn")
    assert report.figures.injects_fired == 0 and report.figures.injects_fired_by_hand == 0


def test_a_service_set_by_hand_reads_so_and_the_time_away_is_in_the_timeline(tmp_path: Path) -> None:
    report = _report(tmp_path)
    services = [(e.subject, e.detail) for e in report.timeline if e.kind == "service"]
    assert ("relay", "up → degraded, set by hand") in services
    assert ("tracker", "up → down") in services  # an inject's change is not by hand
    (away,) = report.time_away
    # The last event was at T+0:15; five quiet minutes, then the crash, then 14m05s down: 19m05s away.
    assert (away.away, away.counted, away.t) == (1145.0, True, 900.0)
    gap = next(e for e in report.timeline if e.what.startswith("time away"))
    assert gap.what == "time away counted" and gap.value == 2045.0
    assert "19m 05s since the last event at 2026-03-02 09:15:00 UTC" in gap.detail and "T+0:34" in gap.detail


def test_every_format_shows_the_adhoc_injects_and_the_time_away(tmp_path: Path) -> None:
    report = _report(tmp_path)
    md = render_markdown(report)
    assert "### Injects written during the drill (ad hoc)" in md
    assert "| adhoc-1 (ad hoc) | incident-commander |" in md
    assert "withdrawn: written for the wrong room" in md
    assert "Written ad hoc during the drill: 2 more." in md
    assert "yes: the clock moved to T+0:34" in md
    html = render_html(report)
    assert "&lt;b&gt;walks in&lt;/b&gt;" in html and "<b>walks in</b>" not in html
    assert 'id="adhoc-injects"' in html and 'id="time-away"' in html
    data = json.loads(render_json(report))
    assert [a["id"] for a in data["adhoc_injects"]] == ["adhoc-1", "adhoc-2"]
    assert data["time_away"][0]["counted"] is True
    assert any(e["what"] == "fired ad hoc" for e in data["timeline"])
    import docx

    document = docx.Document(io.BytesIO(render_docx(report, appendix=True)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "adhoc-1 (ad hoc)" in cells and "withdrawn: written for the wrong room" in cells
    assert "yes: the clock moved to T+0:34" in cells
    assert any(c.startswith("inject fired ad hoc") for c in cells)
    paragraphs = [p.text for p in document.paragraphs]
    assert "Injects written during the drill (ad hoc)" in paragraphs


def test_a_report_without_them_has_no_such_keys(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, _ = start(plan, tmp_path)
    drill.end()
    drill.close()
    data = json.loads(render_json(build_report(drill.path, scenario=str(tmp_path / "scenarios" / "sc.yaml"),
                                               runbook_dirs=[str(tmp_path / "runbooks")])))
    assert "adhoc_injects" not in data and "time_away" not in data


def test_an_adhoc_inject_keeps_its_expected_response_in_every_format(tmp_path: Path) -> None:
    """An ad hoc inject written with the response expected and its objectives (issue 21) shows both in the
    report as evaluators need them; JSON names them only when given, so older reports read as before."""
    from drillkit import SHIPPED

    from engine.plans import load_plan

    drill, clock = start(load_plan(str(SHIPPED)), tmp_path)
    drill.adhoc("The regulator calls about the lost mail.", expect="Route the call <to> legal & log it",
                objectives=["inbound-mail-continuity/inform-people"])
    drill.adhoc("A second one, with nothing expected.")
    drill.end("finished")
    drill.close()
    report = build_report(drill.path)
    data = json.loads(render_json(report))
    first, second = data["adhoc_injects"]
    assert first["expect"] == "Route the call <to> legal & log it"
    assert first["objectives"] == ["inbound-mail-continuity/inform-people"]
    assert "expect" not in second and "objectives" not in second
    assert "Expected: Route the call &lt;to&gt; legal &amp; log it" in render_markdown(report)  # escaped as text
    assert "Expected: Route the call &lt;to&gt; legal &amp; log it" in render_html(report)
    from docx import Document

    buffer = io.BytesIO(render_docx(report))
    cells = [c.text for t in Document(buffer).tables for row in t.rows for c in row.cells]
    assert any("Expected: Route the call <to> legal & log it" in c for c in cells)
