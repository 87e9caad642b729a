"""A book as one self-contained HTML page (inline CSS, no scripts, nothing fetched), and as PDF.

Every text is escaped, its bidirectional controls spelled out (engine/printed.py), and its own line
breaks kept as <br>, so an inject written on three lines prints on three lines, on screen and in the PDF.
"""

from __future__ import annotations

from html import escape as _escape

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


def escape(text: str) -> str:
    """User text as HTML: escaped, bidi controls made visible, line breaks kept."""
    return _escape(neutral(text)).replace("\n", "<br>\n")


CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; @bottom-center { content: counter(page); font-size: 9pt; color: #555; } }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 10.5pt; line-height: 1.45;
       color: #1c2430; max-width: 60em; margin: 2em auto; padding: 0 1.5em; }
header.cover { border-bottom: 3px solid #1f4e79; margin-bottom: 1.5em; padding-bottom: .8em; }
header.cover .kind { font-size: 13pt; color: #1f4e79; font-weight: bold; text-transform: uppercase;
                     letter-spacing: .04em; }
header.cover h1 { font-size: 20pt; margin: .2em 0 .3em; }
header.cover p { margin: .1em 0; color: #444; }
h1 { font-size: 15pt; color: #1f4e79; border-bottom: 1px solid #c9d3de; padding-bottom: .15em; margin-top: 1.2em; }
h2 { font-size: 12.5pt; color: #1f4e79; margin-top: 1em; }
h3 { font-size: 11pt; margin: .9em 0 .2em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: 9.5pt; }
th, td { border: 1px solid #c9d3de; padding: .3em .45em; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
table.fields th { width: 28%; }
table.fields td.blank { height: 1.6em; }
div.wide { page: wide; }
@page wide { size: A4 landscape; }
table.msel { font-size: 8pt; }
p.note { background: #fff7e0; border-left: 4px solid #e0a800; padding: .35em .6em; }
div.rating { display: flex; flex-wrap: wrap; gap: .4em 1.4em; margin: .35em 0; break-inside: avoid; }
div.rating .label { flex: 1 1 60%; }
div.rating .box { white-space: nowrap; }
div.writein { margin: .6em 0 1em; break-inside: avoid; }
div.writein .line { border-bottom: 1px solid #8a94a3; height: 1.7em; }
.pagebreak { break-after: page; height: 0; }
@media screen { .pagebreak { border-top: 1px dashed #c9d3de; margin: 2em 0; } }
@media print { body { margin: 0; padding: 0; max-width: none; } }
"""


def render(book: Book) -> str:
    """The book as an HTML document; all text escaped."""
    cover = [f'<p class="kind">{escape(book.kind)}</p>', f"<h1>{escape(book.title)}</h1>"]
    cover += [f"<p>{escape(line)}</p>" for line in book.subtitle]
    body = "\n".join(_block(b) for b in book.blocks)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(book.kind)}: {escape(book.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header class="cover">{"".join(cover)}</header>\n<main>\n{body}\n</main>\n</body>\n</html>\n'
    )


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f'<p class="note">{escape(block.text)}</p>' if block.note else f"<p>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        kind = ' class="msel"' if len(block.headers) > 6 else ""
        head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows)
        return f"<table{kind}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, Fields):
        rows = "".join(
            f"<tr><th>{escape(k)}</th>" + (f"<td>{escape(v)}</td>" if v else '<td class="blank"></td>') + "</tr>"
            for k, v in block.rows)
        return f'<table class="fields"><tbody>{rows}</tbody></table>'
    if isinstance(block, Rating):
        boxes = "".join(f'<span class="box">☐ {escape(c)}</span>' for c in block.choices)
        return f'<div class="rating"><span class="label">{escape(block.label)}</span>{boxes}</div>'
    if isinstance(block, WriteIn):
        return (f'<div class="writein"><strong>{escape(block.prompt)}</strong>'
                + '<div class="line"></div>' * block.lines + "</div>")
    if isinstance(block, PageBreak):
        return '<div class="pagebreak"></div>'
    if isinstance(block, Landscape):
        return '<div class="wide">' if block.on else "</div>"
    raise TypeError(f"unknown block {block!r}")


def render_pdf(book: Book) -> bytes:
    """The HTML printed to PDF by WeasyPrint (the `pdf` extra); nothing is fetched."""
    from engine.report.render import render_pdf as print_html

    return print_html(render(book))
