"""Hostile text in every free-text field comes out inert in Markdown, HTML, SVG and CSV, and exact in JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_drills import HOSTILE, ROOT, hostile_drill, shipped_plan

from engine.drill import events as ev
from engine.drill.log import DrillLog
from engine.report import model as m
from engine.report import render, svg
from engine.report.builder import build_report

TEXT = " ".join(HOSTILE.values())


@pytest.fixture(scope="module")
def report(tmp_path_factory):  # type: ignore[no-untyped-def]
    log = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    hostile_drill(str(log), shipped_plan())
    return build_report(str(log), roots=[str(ROOT)])


@pytest.fixture(scope="module")
def ids_report(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A log whose ids themselves are hostile, made by hand (it verifies, but no runbook has such steps)."""
    log = tmp_path_factory.mktemp("ids") / "ids.jsonl"
    step = "rb|x/<script>alert(1)</script>"
    events = [
        (ev.STARTED, {"version": 1, "tool": "tabletop <b>", "mode": "live",
                      "scenario": {"id": "{{ 7*7 }}", "path": "nowhere/s.yaml", "sha256": "0"},
                      "runbooks": [{"id": "rb|x", "path": "nowhere/r.yaml", "sha256": "0"}],
                      "facilitator": TEXT, "participants": {}}),
        (ev.INJECT_FIRED, {"inject": "](javascript:alert(1))", "manual": True, "services": {"svc<&>\"'": "down"}}),
        (ev.STEP_STARTED, {"step": step}),
        (ev.DECISION_MADE, {"step": "rb|x/decide\n# now", "option": "<img src=x onerror=alert(1)>",
                            "rationale": TEXT, "by": TEXT}),
        (ev.STEP_DONE, {"step": step}),
        (ev.RATING, {"objective": "rb|x/[bold]obj", "rating": "M", "comment": TEXT}),
        (ev.NOTE, {"kind": "improvement", "text": TEXT, "step": step, "by": TEXT, "action": TEXT, "owner": TEXT}),
    ]
    drill_log = DrillLog.create(str(log))
    for seq, (kind, data) in enumerate(events):
        drill_log.append(ev.Event(seq, f"2026-01-22T19:{33 + seq}:00.000Z", float(seq * 60), kind, data))
    drill_log.close()
    return build_report(str(log), roots=[str(log.parent)])


def _tables(markdown: str) -> list[list[str]]:
    tables, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row))


@pytest.mark.parametrize("which", ["report", "ids_report"])
def test_markdown_keeps_hostile_text_inert(which: str, request: pytest.FixtureRequest) -> None:
    md = render.render_markdown(request.getfixturevalue(which))
    assert "<script" not in md.lower() and "<img" not in md.lower() and "<b>" not in md
    assert "&lt;script&gt;alert\\(1)&lt;/script&gt;" in md
    assert not re.search(r"(?<!\\)\]\(", md), "a `](` that could open a link"
    assert not re.search(r"(?<!\\)\[bold", md)
    assert "49" not in "".join(line for line in md.splitlines() if "7\\*7" in line)
    for line in md.splitlines():
        assert not line.startswith(("line two", "line three", "# heading", "- item", "===", "> quote", "# now"))
    tables = _tables(md)
    assert len(tables) > 5
    for table in tables:
        widths = {_cells(row) for row in table}
        assert len(widths) == 1, f"a table row lost or gained a column: {table}"


def test_markdown_fences_hold_only_our_mermaid(report) -> None:  # type: ignore[no-untyped-def]
    md = render.render_markdown(report)
    fences = [line for line in md.splitlines() if line.startswith("```")]
    assert fences and all(f in ("```mermaid", "```") for f in fences) and len(fences) % 2 == 0


@pytest.mark.parametrize("which", ["report", "ids_report"])
def test_html_keeps_hostile_text_inert(which: str, request: pytest.FixtureRequest) -> None:
    html = render.render_html(request.getfixturevalue(which))
    assert "<script" not in html.lower()
    assert "<img" not in html.lower() and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html
    for match in re.finditer(re.escape("7*7"), html):
        assert "49" not in html[match.start() - 40:match.end() + 40]
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', html))
    assert "javascript:" not in re.sub(r"&[a-z#0-9]+;", "", "".join(re.findall(r'="([^"]*)"', html)))


def test_json_round_trips_the_original_text(report) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render.render_json(report))
    assert data["overview"]["facilitator"] == TEXT
    assert {p["role"]: p["name"] for p in data["overview"]["participants"]} == {
        "incident-commander": TEXT, "<b>role</b>|x": HOSTILE["script"]}
    notes = [n for a in data["analysis"] for o in a["objectives"] for n in o["strengths"]]
    assert notes[0]["text"] == TEXT and notes[0]["by"] == TEXT
    plan = data["improvement_plan"][0]
    assert (plan["issue"], plan["action"], plan["owner"], plan["due"]) == (TEXT, TEXT, TEXT, TEXT)
    assert data["decisions"][0]["rationale"] == TEXT
    assert data["hotwash"][0] == {**data["hotwash"][0], "question": TEXT, "answer": TEXT}
    assert any(s["skip_reason"] == TEXT for s in data["steps"])


def test_csv_guards_against_formulas(report) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(render.improvement_plan_csv(report))))
    assert rows[0] == render.CSV_HEADER
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    formula = next(r for r in rows if r[1] == "'=1+2")
    assert (formula[2], formula[4], formula[5], formula[8]) == ("'+cmd|' /C calc'!A0", "'@SUM(A1)", "'-2+3", "'\tTAB")


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
])
def test_spreadsheet_cell(value: str, expected: str) -> None:
    assert render.spreadsheet_cell(value) == expected


def test_svgs_are_well_formed_and_inert(ids_report, report) -> None:  # type: ignore[no-untyped-def]
    hostile_graph = m.RunbookGraph("rb", TEXT, [
        m.GraphNode("rb/a", "<script>a</script>", TEXT, "done", "decision", None),
        m.GraphNode("rb/b", "b\x01\"'&", TEXT, "skipped", "event", "](javascript:alert(1))"),
    ], [m.GraphEdge("rb/a", "rb/b", "option", "<x>", True)])
    pictures = [svg.timeline(ids_report), svg.timeline(report), svg.runbook_graph(hostile_graph)]
    pictures += [svg.runbook_graph(g, i) for i, g in enumerate(report.graphs)]
    assert all(pictures)
    for picture in pictures:
        root = ET.fromstring(picture)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "<script" not in picture.lower()
        for element in root.iter():
            for name, value in element.attrib.items():
                assert "href" not in name and name not in ("src", "style", "onload"), f"{name}={value}"
                if name != "aria-label":  # the one attribute that carries text (inert: it is never a URL)
                    assert "javascript:" not in value
                if "url(" in value:
                    assert value.startswith("url(#"), value
    texts = "".join(ET.fromstring(pictures[2]).itertext())
    assert "<script>a</script>" in texts  # shown as text, escaped in the markup


def test_missing_files_report_still_escapes_ids(ids_report) -> None:  # type: ignore[no-untyped-def]
    assert ids_report.source.plan_from == "log"
    md = render.render_markdown(ids_report)
    assert "rb\\|x" in md and "\\]\\(javascript:alert\\(1))" in md
    assert "### rb\\|x\n" in md and "### rb\\|x/" not in md  # the runbook is `rb|x`; the rest is the step
    html = render.render_html(ids_report, appendix=True)  # the service id shows in the event log appendix
    assert "svc&lt;&amp;&gt;&#34;&#39;" in html or "svc&lt;&amp;&gt;&quot;&#39;" in html


def test_hostile_text_in_a_user_template_is_still_escaped(tmp_path: Path, report) -> None:  # type: ignore[no-untyped-def]
    template = "# {{ report.overview.facilitator }}\n{{ report.overview.scenario_title|md }}\n"
    (tmp_path / "report.md.j2").write_text(template)
    md = render.render_markdown(report, str(tmp_path))
    assert md.startswith("# &lt;script&gt;alert\\(1)&lt;/script&gt; {{ 7\\*7 }}")
    assert "\n" not in md.splitlines()[0]


@pytest.mark.parametrize("end", [1e11, 1e300, float("inf"), float("nan"), 732 * 86400.0])
def test_the_timeline_axis_does_not_follow_the_clock_s_magnitude(report, end: float) -> None:  # type: ignore[no-untyped-def]
    # A clock jump of 10^11 seconds made the axis loop run for ever; now the grid has at most 61 lines.
    import dataclasses

    far = dataclasses.replace(report, figures=dataclasses.replace(report.figures, scenario_end_t=end))
    picture = svg.timeline(far)
    ET.fromstring(picture)
    assert 0 < picture.count('stroke="#e4e7eb"') <= 61


BIDI_TITLE = "Decide \u202eevil\u202c `tick` </td><script>x</script>"


@pytest.fixture(scope="module")
def bidi_report(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The shipped drill with a decision titled and worded with a right-to-left override: the skip reason of
    the branch not taken carries both (engine/drill/state.py _why_skipped)."""
    from engine.plans import load_plan

    folder = tmp_path_factory.mktemp("bidi")
    shutil.copytree(ROOT / "runbooks", folder / "runbooks")
    shutil.copytree(ROOT / "scenarios", folder / "scenarios")
    runbook = folder / "runbooks" / "inbound-mail-continuity.yaml"
    text = runbook.read_text(encoding="utf-8")
    text = text.replace("title: Decide whether to move inbound mail to the secondary MX relay",
                        f"title: {json.dumps(BIDI_TITLE)}")
    text = text.replace('label: "Fail over to the secondary MX relay"', 'label: "Fail \\u202Eover"')
    runbook.write_text(text, encoding="utf-8")
    plan = load_plan(str(folder / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(folder / "runbooks")])
    hostile_drill(str(folder / "bidi.jsonl"), plan)
    return build_report(str(folder / "bidi.jsonl"), roots=[str(folder)])


def test_html_spells_out_bidi_controls_in_skip_reasons_and_charts(bidi_report) -> None:  # type: ignore[no-untyped-def]
    reasons = [s.reason for s in bidi_report.not_exercised if "\u202e" in (s.reason or "")]
    assert reasons, "the branch not taken's reason words the decision"
    html = render.render_html(bidi_report, appendix=True)
    assert "&lt;U+202E&gt;evil" in html
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", html)
