"""The pieces an evidence page is made of, and their Markdown and HTML (one self-contained page that prints
on A4). Every text is project or log text: each renderer escapes it for its own format."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # relative to the page, inside the pack


Part = str | Link
Cell = Part | list[Part]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Para:
    parts: list[Part]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    empty: str = "None."


@dataclass
class Page:
    title: str
    blocks: list[Heading | Para | Table] = field(default_factory=list)

    def add(self, *blocks: Heading | Para | Table) -> None:
        self.blocks.extend(blocks)


# ----- Markdown -----

def markdown(page: Page) -> str:
    out = [f"# {_md(page.title)}", ""]
    for block in page.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {_md(block.text)}", ""]
        elif isinstance(block, Para):
            out += [_md_parts(block.parts), ""]
        elif not block.rows:
            out += [f"*{_md(block.empty)}*", ""]
        else:
            out.append("| " + " | ".join(_md(h) for h in block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    """Text as Markdown shows it literally: its markup characters escaped, its whitespace folded."""
    return " ".join(_MD_SPECIAL.sub(r"\\\1", text).split())


def _md_parts(parts: list[Part]) -> str:
    return "".join(f"[{_md(p.text)}]({_href(p.href)})" if isinstance(p, Link) else _md_inline(p) for p in parts)


def _href(target: str) -> str:
    """A path inside the pack as a link: a log named `a #1 (b).jsonl` still links to its own report."""
    return quote(target, safe="/.-_~")


def _md_inline(text: str) -> str:
    """Text between links: escaped, its spaces folded, a space kept at either end."""
    inner = _md(text)
    return (" " if text[:1].isspace() else "") + inner + (" " if text[-1:].isspace() and inner else "")


def _md_cell(cell: Cell) -> str:
    if isinstance(cell, str):  # most cells: plain text
        return _md(cell) or " "
    return _md_parts(cell if isinstance(cell, list) else [cell]) or " "


# ----- HTML -----

_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff;
       line-height: 1.45; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #999; }
h3 { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #777; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
a { color: #0b4f8a; }
code { font-size: .9em; }
.bad { color: #8a1111; font-weight: 600; }
@media print { body { margin: 0; max-width: none; } a { color: #1a1a1a; } tr, td { page-break-inside: avoid; }
               h2 { page-break-after: avoid; } }
"""


def page_html(page: Page) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_h(page.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
           f"<h1>{_h(page.title)}</h1>"]
    for block in page.blocks:
        if isinstance(block, Heading):
            anchor = f' id="{_h(block.anchor)}"' if block.anchor else ""
            out.append(f"<h{block.level}{anchor}>{_h(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            out.append(f"<p>{_h_parts(block.parts)}</p>")
        elif not block.rows:
            out.append(f"<p><em>{_h(block.caption)}: {_h(block.empty)}</em></p>")
        else:
            out.append(f"<table>\n<caption>{_h(block.caption)}</caption>")
            out.append("<thead><tr>" + "".join(f'<th scope="col">{_h(h)}</th>' for h in block.headers)
                       + "</tr></thead>\n<tbody>")
            out += ["<tr>" + "".join(f"<td>{_h_cell(c)}</td>" for c in row) + "</tr>" for row in block.rows]
            out.append("</tbody>\n</table>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _h_parts(parts: list[Part]) -> str:
    return "".join(f'<a href="{_h(_href(p.href))}">{_h(p.text)}</a>' if isinstance(p, Link) else _h(p)
                   for p in parts)


def _h_cell(cell: Cell) -> str:
    if isinstance(cell, str):
        return html.escape(cell, quote=True)
    return _h_parts(cell if isinstance(cell, list) else [cell])
