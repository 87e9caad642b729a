"""Printed text is the text: line breaks kept, bidirectional controls spelled out, undrawable characters warned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = """\
scenario: printed
title: "Flood \\u202eevil\\u202c drill"
runbooks: [mail-outage]
modules:
  - id: m
    title: Module one
    at: T+0m
    situation: "The river rises.\\nThe levee holds.\\nThe roads close."
    questions:
      - {id: q, ask: "Who calls the \\u2067county\\u2069?", prompts: ["p"]}
injects:
  - {id: i, at: T+0m, say: "First line.\\nSecond line.\\nThird line.", expect: "Open the EOC"}
"""
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")


def _book(tmp_path: Path, audience: str, kind: str) -> Path:
    (tmp_path / "runbooks").mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "scenario-timing" / "mail-outage.yaml", tmp_path / "runbooks")
    (tmp_path / "scenarios").mkdir(exist_ok=True)
    scenario = tmp_path / "scenarios" / "printed.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / f"{audience}.{kind}"
    assert main(["handbook", str(scenario), "--for", audience, "--format", kind, "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("audience", ["participants", "facilitators"])
def test_html_and_so_pdf_keep_line_breaks_and_spell_out_bidi(tmp_path: Path, audience: str) -> None:
    page = _book(tmp_path, audience, "html").read_text(encoding="utf-8")
    assert "The river rises.<br>\nThe levee holds.<br>\nThe roads close." in page
    if audience == "facilitators":
        assert "First line.<br>\nSecond line.<br>\nThird line." in page
    assert not any(c in page for c in BIDI)
    assert "Flood &lt;U+202E&gt;evil&lt;U+202C&gt; drill" in page
    assert "&lt;U+2067&gt;county&lt;U+2069&gt;" in page


@pytest.mark.parametrize("audience", ["participants", "facilitators"])
def test_markdown_keeps_line_breaks_and_spells_out_bidi(tmp_path: Path, audience: str) -> None:
    text = _book(tmp_path, audience, "md").read_text(encoding="utf-8")
    assert "The river rises.  \nThe levee holds.  \nThe roads close." in text
    if audience == "facilitators":  # the MSEL table: a cell's lines as <br>
        assert "First line.<br>Second line.<br>Third line." in text
    assert not any(c in text for c in BIDI)
    assert "&lt;U+202E&gt;evil" in text


def test_word_keeps_line_breaks_and_spells_out_bidi(tmp_path: Path) -> None:
    import docx

    document = docx.Document(str(_book(tmp_path, "facilitators", "docx")))
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    joined = "\n".join(texts)
    assert "First line.\nSecond line.\nThird line." in joined
    assert not any(c in joined for c in BIDI)
    assert "<U+202E>evil<U+202C>" in joined


def test_a_pdf_with_characters_no_font_draws_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("weasyprint")
    from engine import printed

    monkeypatch.setattr(printed, "_fonts", lambda command: ["/fonts/latin.ttf"])
    monkeypatch.setattr(printed, "_coverage", lambda paths: set(range(0x250)) | set(range(0x2000, 0x2800)))  # no CJK
    out = _book_with(tmp_path, SCENARIO.replace("First line.", "東京 first line."))
    err = capsys.readouterr().err
    assert out.stat().st_size > 0
    assert "warning: the PDF has no font for 2 characters (東 京): they print as empty boxes" in err


def test_a_pdf_every_character_of_which_is_drawn_says_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("weasyprint")
    from engine import printed

    monkeypatch.setattr(printed, "_fonts", lambda command: ["/fonts/all.ttf"])
    monkeypatch.setattr(printed, "_coverage", lambda paths: set(range(0x110000)))
    _book_with(tmp_path, SCENARIO.replace("First line.", "東京 first line."))
    assert "no font" not in capsys.readouterr().err


def _book_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "runbooks").mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "scenario-timing" / "mail-outage.yaml", tmp_path / "runbooks")
    (tmp_path / "scenarios").mkdir(exist_ok=True)
    scenario = tmp_path / "scenarios" / "printed.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "facilitators.pdf"
    assert main(["handbook", str(scenario), "--for", "facilitators", "--format", "pdf", "-o", str(out)]) == 0
    return out


def test_undrawable_reads_the_fonts_fontconfig_lists() -> None:
    from engine.printed import undrawable

    assert undrawable("plain ASCII text") == []
    if not shutil.which("fc-match"):
        pytest.skip("fontconfig is not installed")
    assert "é" not in undrawable("Café")  # every Latin font has it
