"""A book as GitHub Markdown: every piece of text escaped so none of it becomes markup.

A text's own line breaks are kept (a hard break inside a paragraph, a note or
a list item, `<br>` inside a table cell): an inject written on three lines
prints on three lines. Bidirectional controls are spelled out by `escape`.
"""

from __future__ import annotations

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
from engine.report.markdown import escape


def render(book: Book) -> str:
    """The book as one Markdown document (text, UTF-8, ending in a newline)."""
    out = [f"# {escape(book.title)}", "", f"**{escape(book.kind)}**", ""]
    out += [f"{escape(line)}  " for line in book.subtitle]
    for block in book.blocks:
        out += ["", *_block(block)]
    return "\n".join(out).rstrip() + "\n"


_BREAK, _NOTE_BREAK, _ITEM_BREAK = "  \n", "  \n> ", "  \n  "  # a hard break, then the next line's prefix


def _lines(text: str, joint: str) -> str:
    """Each line of `text` escaped, joined by `joint` (a hard break and the next line's prefix)."""
    return joint.join(escape(line) for line in text.split("\n"))


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * (block.level + 1) + " " + escape(block.text)]
    if isinstance(block, Paragraph):
        return ["> " + _lines(block.text, _NOTE_BREAK) if block.note else _lines(block.text, _BREAK)]
    if isinstance(block, Bullets):
        return ["- " + _lines(item, _ITEM_BREAK) for item in block.items]
    if isinstance(block, Table):
        return _table(block.headers, block.rows)
    if isinstance(block, Fields):
        return _table(["", ""], [[f"**{escape(k)}**", _lines(v, "<br>") if v else " "] for k, v in block.rows],
                      raw=True)
    if isinstance(block, Rating):
        return [f"{escape(block.label)}  ", "   ".join(f"☐ {escape(c)}" for c in block.choices)]
    if isinstance(block, WriteIn):
        return [f"**{escape(block.prompt)}**", "", *(["\\_" * 60 + "  "] * block.lines)]
    if isinstance(block, PageBreak):
        return ["---"]
    if isinstance(block, Landscape):
        return ["---"] if block.on else []
    raise TypeError(f"unknown block {block!r}")


def _table(headers: list[str], rows: list[list[str]], raw: bool = False) -> list[str]:
    def cell(text: str) -> str:
        return text if raw else _lines(text, "<br>")

    lines = ["| " + " | ".join(escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines
