"""`tabletop handbook`: both books in every format, and what the Situation Manual must never show."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli import main
from engine.handbook.content import build
from engine.model import Scenario
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
NO_MODULES = ROOT / "scenarios" / "m365-network-provider-2026-01-21.yaml"
FORMATS = ("md", "html", "pdf", "docx")


def words(text: str) -> str:
    """Text reduced to lowercase words, so escaping and line breaks do not hide a match."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def as_text(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if path.suffix == ".pdf":
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        return out.stdout
    text = path.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", text)) if path.suffix == ".html" else text.replace("\\", "")


def secrets(scenario: Scenario) -> list[str]:
    """Everything only facilitators may read: expected actions, contingency injects and conditions,
    facilitator prompts and expected discussion points."""
    out = [i.expect for i in scenario.injects if i.expect]
    out += [i.say for i in scenario.injects if i.after is not None and i.say]
    out += [p for m in scenario.modules for q in m.questions for p in q.prompts + q.expect]
    out += [f"after {i.after.decision}" for i in scenario.injects if i.after and i.after.decision]
    return out


def write(tmp_path: Path, audience: str, kind: str, scenario: Path = SCENARIO) -> Path:
    if kind == "pdf":
        pytest.importorskip("weasyprint")
        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path / f"{audience}.{kind}"
    assert main(["handbook", str(scenario), "--for", audience, "--format", kind, "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("kind", FORMATS)
def test_the_situation_manual_shows_nothing_meant_for_facilitators(tmp_path: Path, kind: str) -> None:
    scenario = load_plan(str(SCENARIO)).scenario
    hidden = secrets(scenario)
    assert len(hidden) > 40  # the shipped scenario has plenty to hide
    manual = words(as_text(write(tmp_path, "participants", kind)))
    handbook = words(as_text(write(tmp_path, "facilitators", kind)))
    leaked = [s for s in hidden if words(s) in manual]
    assert leaked == []
    # The same check finds them in the facilitators' book, so it is not blind.
    missing = [s for s in hidden if words(s) not in handbook]
    assert missing == []
    for module in scenario.modules:
        assert words(module.situation or "") in manual
        assert all(words(q.ask) in manual for q in module.questions)


def test_the_facilitator_handbook_has_the_msel_and_a_guide_per_objective() -> None:
    plan = load_plan(str(SCENARIO))
    book = build(plan, "facilitators")
    headings = [getattr(b, "text", "") for b in book.blocks if type(b).__name__ == "Heading"]
    assert "Master Scenario Events List (MSEL)" in headings
    objectives = {k for rb in plan.runbooks for k in rb.objectives}
    assert {h.removeprefix("Objective: ") for h in headings if h.startswith("Objective: ")} == objectives
    ratings = [b for b in book.blocks if type(b).__name__ == "Rating" and b.choices == ["P", "S", "M", "U"]]
    assert len(ratings) == len(objectives)
    msel = next(b for b in book.blocks if type(b).__name__ == "Table" and "Expected action" in b.headers)
    assert len(msel.rows) == len(plan.scenario.injects)


def test_the_docx_files_are_word_documents_with_the_books_structure(tmp_path: Path) -> None:
    import docx

    manual = docx.Document(str(write(tmp_path, "participants", "docx")))
    headings = [p.text for p in manual.paragraphs if p.style.name.startswith("Heading")]
    assert "Exercise overview" in headings and "Participant feedback form" in headings
    assert "Module 1: The mail stops and the console goes dark" in headings
    handbook = docx.Document(str(write(tmp_path, "facilitators", "docx")))
    assert any(s.orientation == 1 for s in handbook.sections)  # the MSEL's landscape section
    assert handbook.core_properties.title.startswith("Microsoft 365 outage")


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_libreoffice_opens_the_docx_files(tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    files = [write(tmp_path, audience, "docx") for audience in ("participants", "facilitators", "feedback")]
    out = tmp_path / "converted"
    subprocess.run([str(office), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=600)
    for file in files:
        pdf = out / f"{file.stem}.pdf"
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            assert "feedback form" in text.lower()


def test_a_scenario_without_modules_gets_both_books(tmp_path: Path) -> None:
    manual = as_text(write(tmp_path, "participants", "md", NO_MODULES))
    handbook = as_text(write(tmp_path, "facilitators", "md", NO_MODULES))
    scenario = load_plan(str(NO_MODULES)).scenario
    assert "# Scenario" in manual and "Master Scenario Events List" in handbook
    assert [s for s in secrets(scenario) if words(s) in words(manual)] == []


def test_markdown_to_standard_output_and_binary_refused_there(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handbook", str(SCENARIO), "--format", "md", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# Microsoft 365 outage")
    assert main(["handbook", str(SCENARIO), "--format", "docx", "-o", "-"]) == 2
    assert "binary" in capsys.readouterr().err


def test_an_existing_file_is_kept_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "book.md"
    out.write_text("mine", encoding="utf-8")
    assert main(["handbook", str(SCENARIO), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "mine"
    assert main(["handbook", str(SCENARIO), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Microsoft 365")


def test_bad_input_is_one_line_and_a_documented_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handbook", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err
    broken = tmp_path / "scenarios" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("scenario: broken\ntitle: [unclosed\n", encoding="utf-8")
    assert main(["handbook", str(broken), "-o", str(tmp_path / "x.md")]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "broken.yaml" in err


HOSTILE = """\
scenario: hostile
title: "<script>alert(1)</script> **bold** [link](http://x)"
runbooks: [mail-outage]
modules:
  - id: m
    title: "</h1><img src=x onerror=alert(1)>"
    at: T+0m
    situation: "\\e[31mred\\e[0m | pipe | # heading"
    questions:
      - {id: q, ask: "<b>who</b>? `code` \\x00\\x07", prompts: ["secret <i>prompt</i>"]}
injects:
  - {id: i, at: T+0m, say: "<iframe>", expect: "secret expectation"}
"""


def test_hostile_text_stays_text_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "runbooks").mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "scenario-timing" / "mail-outage.yaml", tmp_path / "runbooks")
    (tmp_path / "scenarios").mkdir()
    scenario = tmp_path / "scenarios" / "hostile.yaml"
    scenario.write_text(HOSTILE, encoding="utf-8")
    page = write(tmp_path, "participants", "html", scenario).read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and "<iframe>" not in page and "<b>who" not in page
    assert "&lt;script&gt;" in page
    markdown = write(tmp_path, "participants", "md", scenario).read_text(encoding="utf-8")
    assert "<script>" not in markdown and "](http" not in markdown and "\x1b" not in markdown
    document = write(tmp_path, "facilitators", "docx", scenario)
    text = as_text(document)
    assert "secret expectation" in text and "\x1b" not in text and "<b>who</b>?" in text
