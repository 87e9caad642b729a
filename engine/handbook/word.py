"""A book as a Word document (.docx) with python-docx, for people who edit in Word.

Headings, lists and tables use Word's built-in styles, so the document takes
the reader's own template when restyled. Wide tables (the MSEL) get a
landscape section of their own. Characters XML cannot hold (terminal escapes
and other control codes in user text) are dropped.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.handbook.blocks import (
    Block,
    Book,
    Bullets,
    Fields,
    Heading,
    Landscape,
    PageBreak,
    Paragraph,
    Rating,
    Table,
    WriteIn,
)
from engine.printed import neutral

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text as Word can store it: control characters other than tab and newline removed, bidirectional
    controls spelled out (engine/printed.py)."""
    return neutral(_NOT_XML.sub("", text))


def new_document(title: str, subject: str) -> Any:
    """An A4 document with fixed metadata, so the same input gives the same file contents."""
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    props = document.core_properties
    props.title, props.subject, props.author = clean(title), clean(subject), "tabletop"
    stamp = datetime(2000, 1, 1, tzinfo=UTC)
    props.created = props.modified = stamp
    props.last_modified_by = "tabletop"
    props.revision = 1
    return document


def render(book: Book, path: Path) -> None:
    """Write the book to `path` as .docx. Raises OSError when the file cannot be written."""
    document = new_document(book.title, book.kind)
    cover = document.add_paragraph()
    kind = cover.add_run(clean(book.kind).upper())
    kind.bold = True
    document.add_heading(clean(book.title), level=0)
    for line in book.subtitle:
        document.add_paragraph(clean(line))
    for block in book.blocks:
        add_block(document, block)
    buffer = io.BytesIO()  # in memory first: no ZipFile is left open on a full disk (see msel.export)
    document.save(buffer)
    path.write_bytes(buffer.getvalue())


def add_block(document: Any, block: Block) -> None:
    """Append one block to a python-docx Document."""
    if isinstance(block, Heading):
        document.add_heading(clean(block.text), level=min(block.level, 3))
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph(style="Intense Quote" if block.note else None)
        paragraph.add_run(clean(block.text))
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(clean(item), style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block.headers, block.rows)
    elif isinstance(block, Fields):
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in block.rows:
            cells = table.add_row().cells
            cells[0].text = clean(label)
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = clean(value)
        document.add_paragraph()
    elif isinstance(block, Rating):
        paragraph = document.add_paragraph(clean(block.label) + "\t")
        paragraph.add_run("   ".join(f"☐ {clean(c)}" for c in block.choices)).bold = True
    elif isinstance(block, WriteIn):
        document.add_paragraph().add_run(clean(block.prompt)).bold = True
        table = document.add_table(rows=block.lines, cols=1)
        table.style = "Table Grid"
        document.add_paragraph()
    elif isinstance(block, PageBreak):
        document.add_page_break()
    elif isinstance(block, Landscape):
        _orient(document, landscape=block.on)
    else:
        raise TypeError(f"unknown block {block!r}")


def _table(document: Any, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = clean(header)
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = clean(text)
    document.add_paragraph()


def _orient(document: Any, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(297), Mm(210)
    section.page_width, section.page_height = (long_side, short_side) if landscape else (short_side, long_side)
