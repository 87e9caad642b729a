"""A book as GitHub Markdown: every piece of text escaped so none of it becomes markup."""

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


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * (block.level + 1) + " " + escape(block.text)]
    if isinstance(block, Paragraph):
        return [f"> {escape(block.text)}" if block.note else escape(block.text)]
    if isinstance(block, Bullets):
        return [f"- {escape(item)}" for item in block.items]
    if isinstance(block, Table):
        return _table(block.headers, block.rows)
    if isinstance(block, Fields):
        return _table(["", ""], [[f"**{escape(k)}**", escape(v) if v else " "] for k, v in block.rows], raw=True)
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
        return text if raw else escape(text)

    lines = ["| " + " | ".join(escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines
