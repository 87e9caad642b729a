"""The report leadership reads: the brief first, the HSEEP overview, modules, the appendix on request,
the AAR in Word, and the fixes a reader asked for (edges, keys, labels, backticks, paths, plurals)."""

from __future__ import annotations

import html as htmllib
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from engine.cli import main
from engine.report import render
from engine.report.builder import build_report
from engine.report.word import render_docx

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return build_report(str(DATA / "golden.jsonl"), roots=[str(DATA / "files")])


def visible(page: str) -> str:
    """The text a reader sees in an HTML page (no tags, no styles, entities decoded)."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_executive_brief_comes_before_everything_else(report) -> None:  # type: ignore[no-untyped-def]
    page = render.render_html(report)
    assert page.index('id="brief"') < page.index('class="toc"') < page.index('id="overview"')
    brief = page[page.index('id="brief"'):page.index("</section>", page.index('id="brief"'))]
    assert "Ratings at a glance" in brief and "Key times" in brief
    # The most pressing improvements: those on the objective rated U first, with owners and due dates.
    numbers = [int(n) for n in re.findall(r'<td class="c">(\d+)</td>', brief)]
    assert len(numbers) == 3 and numbers == [i.number for i in report.brief.top_improvements]
    unrated_first = report.brief.top_improvements[0]
    assert unrated_first.owner and unrated_first.due
    markdown = render.render_markdown(report)
    assert markdown.index("## Executive brief") < markdown.index("## 1. Exercise overview")


def test_the_overview_carries_the_exercise_block(report) -> None:  # type: ignore[no-untyped-def]
    assert report.exercise is not None
    text = visible(render.render_html(report))
    for label in ("Exercise type", "Scope", "Mission areas", "Core capabilities", "Threat or hazard", "Sponsor",
                  "Participating organisations", "Points of contact"):
        assert label in text
    assert "Operational Communications" in text and "dana.okafor@example.com" in text


def test_modules_and_their_questions_are_in_the_analysis(report) -> None:  # type: ignore[no-untyped-def]
    assert [m.id for m in report.modules] == ["mail-stops", "long-evening", "long-tail"]
    assert report.modules[0].started_t == 0 and report.modules[0].injects_fired >= 6
    text = visible(render.render_html(report))
    assert "Modules and discussion" in text and "Module 2: The long evening of rebalancing" in text
    assert "who can still administer the tenant" in text


def test_the_event_log_is_an_appendix_only_on_request(report) -> None:  # type: ignore[no-untyped-def]
    plain, full = render.render_html(report), render.render_html(report, appendix=True)
    assert 'class="timeline' not in plain and "--appendix" in plain
    assert full.count('<tr class="k-') == len(report.timeline)
    assert 'id="events"' in full and 'id="step-tables"' in full
    assert "Appendix C: Event log" in render.render_markdown(report, appendix=True)
    assert "Appendix C" not in render.render_markdown(report)


def test_chosen_edges_are_solid_and_roads_not_taken_dashed(report) -> None:  # type: ignore[no-untyped-def]
    page = render.render_html(report, appendix=True)
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)[1:]  # the first is the Gantt chart
    assert svgs
    taken = untaken = 0
    for picture in svgs:
        for element in ET.fromstring(picture).iter("{http://www.w3.org/2000/svg}path"):
            marker = element.get("marker-end", "")
            if marker.endswith("-on)"):
                taken += 1
                assert element.get("stroke-dasharray") is None
            elif marker.endswith("-off)"):
                untaken += 1
                assert element.get("stroke-dasharray")
    assert taken and untaken


def test_paper_gets_a_key_not_a_hover(report) -> None:  # type: ignore[no-untyped-def]
    text = visible(render.render_html(report, appendix=True))
    assert "hover" not in text.lower()
    for graph in report.graphs:
        keys = text[text.index(graph.title):]
        for node in graph.nodes:
            assert node.title in keys


def test_clock_jump_labels_sit_below_the_plot(report) -> None:  # type: ignore[no-untyped-def]
    from engine.report import svg

    chart = ET.fromstring(svg.timeline(report))
    ns = "{http://www.w3.org/2000/svg}"
    band = next(r for r in chart.iter(f"{ns}rect") if r.get("fill") == "#eef0f3")
    bottom = float(band.get("y", 0)) + float(band.get("height", 0))
    labels = [t for t in chart.iter(f"{ns}text") if t.text == "clock jumped"]
    assert labels and all(float(t.get("y", 0)) > bottom + 14 for t in labels)  # under the axis labels


def test_no_raw_backticks_and_no_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loose = tmp_path / "loose"  # files in no project and outside the working folder: named by absolute path
    shutil.copytree(ROOT / "runbooks", loose / "rb")
    scenario = loose / "m365-na-outage-2026-01-22.yaml"
    shutil.copy(ROOT / "scenarios" / scenario.name, scenario)
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    log = tmp_path / "drill.jsonl"
    assert main(["play", str(scenario), "--runbooks", str(loose / "rb"), "--log", str(log)]) in (0, 1)
    built = build_report(str(log), files_from=str(ROOT))  # a log's absolute paths are read only from a folder given
    assert any(f.path.startswith("/") for f in built.source.files)
    for page in (render.render_html(built, appendix=True), render.render_markdown(built, appendix=True)):
        assert str(ROOT) not in page and str(tmp_path) not in page
    text = visible(render.render_html(built, appendix=True))
    assert "`" not in text
    assert "<code>" in render.render_html(built, appendix=True)


def test_counts_agree_with_their_nouns(report) -> None:  # type: ignore[no-untyped-def]
    assert render.counted(1, "strength") == "1 strength" and render.counted(2, "strength") == "2 strengths"
    play = build_report(str(DATA / "play" / "golden.jsonl"), roots=[str(DATA / "files")])
    assert play.figures.improvements == 1
    for page in (visible(render.render_html(play)), render.render_markdown(play)):
        assert "1 area for improvement" in page and not re.search(r"\b1 (strengths|areas|observations)\b", page)


def test_the_aar_in_word_opens_and_leads_with_the_brief(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import docx

    data = render_docx(report)
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Executive brief" and "Improvement plan" in headings
    assert "Appendix: event log" not in headings
    assert document.core_properties.identifier == f"drill:{report.drill_id}"
    with_log = docx.Document(io.BytesIO(render_docx(report, appendix=True)))
    assert "Appendix: event log" in [p.text for p in with_log.paragraphs]
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        path = tmp_path / "aar.docx"
        path.write_bytes(data)
        subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=600)
        assert (tmp_path / "aar.pdf").read_bytes().startswith(b"%PDF")


def test_report_command_writes_and_replaces_its_own_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "drill.jsonl"
    shutil.copyfile(DATA / "golden.jsonl", log)
    files = ["--scenario", str(DATA / "files" / "scenarios" / "m365-na-outage-2026-01-22.yaml"),
             "--runbooks", str(DATA / "files" / "runbooks")]
    assert main(["report", str(log), "--format", "docx", "-o", "aar.docx", *files]) == 0
    assert main(["report", str(log), "--format", "docx", "-o", "aar.docx", *files]) == 0  # ours: replaced
    (tmp_path / "other.docx").write_bytes(b"not a report")
    assert main(["report", str(log), "--format", "docx", "-o", "other.docx", *files]) == 2
    assert main(["report", str(log), "--format", "docx", "-o", "-", *files]) == 2
    assert "cannot go to stdout" in capsys.readouterr().err


def test_the_pdf_without_appendix_is_a_handful_of_pages(report) -> None:  # type: ignore[no-untyped-def]
    if render.pdf_available():
        pytest.skip("WeasyPrint is not usable here")
    import weasyprint

    def pages(page: str) -> int:
        return len(weasyprint.HTML(string=page, url_fetcher=lambda *a, **k: {"string": b""}).render().pages)

    short, long = pages(render.render_html(report)), pages(render.render_html(report, appendix=True))
    assert short <= 14 < long


def test_each_key_time_is_its_own_line_in_markdown(report) -> None:  # type: ignore[no-untyped-def]
    page = render.render_markdown(report)
    block = page[page.index("**Key times**"):page.index("**The most pressing")]
    items = [line for line in block.splitlines() if line.startswith("- ")]
    assert report.brief is not None
    times = report.brief.key_times
    assert len(times) >= 3  # the golden drill has injects, steps, decisions and an end
    assert len(items) == len(times)
    assert all(re.match(r"- T\+\d+:\d\d ", item) and "- T+" not in item[2:] for item in items)
