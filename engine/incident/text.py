"""Bodies of incident updates as plain text: HTML turned to text with its line breaks, controls dropped.

`html_text` uses the standard library's html.parser (a tolerant tokenizer, no
network, no entity files): block elements and <br> become line breaks, list
items get "- ", script and style contents are dropped, and every entity is
decoded. `plain` then takes out control and format characters (terminal escape
sequences, bidirectional overrides) so nothing in a draft can repaint a
terminal, and trims the blank lines. Markup that is not HTML (Rich's
`[bold]`, Markdown) is left as the literal text it is: the console and the
reports show inject text literally.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
          "table", "tr", "blockquote", "pre", "hr", "dl", "dt", "dd"}
_SKIP = {"script", "style", "head", "title", "template", "noscript"}
# C0/C1 controls except tab and newline, DEL, and Unicode format characters that change how text reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
                      "\ud800-\udfff]")
_LOOKS_HTML = re.compile(r"</?(?:p|br|div|span|b|i|u|a|ul|ol|li|strong|em|h[1-6]|table|tr|td)\b[^>]*>", re.I)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK or tag == "td":
            self.parts.append("\n" if tag != "td" else " ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def looks_like_html(text: str) -> bool:
    """Whether `text` holds HTML tags (a <p>, <br>, <a>...), not just a stray angle bracket."""
    return bool(_LOOKS_HTML.search(text))


def html_text(html: str) -> str:
    """Plain text of an HTML fragment, line breaks kept (see module doc), controls dropped."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return plain("".join(parts_fixed(parser.parts)))


def parts_fixed(parts: list[str]) -> list[str]:
    """Spaces at the edges of lines, left by inline whitespace next to a break, taken off."""
    return [re.sub(r" *\n *", "\n", p) for p in parts]


def plain(text: str) -> str:
    """`text` without control and format characters, each line trimmed, at most one blank line in a row."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
