"""User text on screen, made literal: never parsed as markup, control characters made visible.

Titles, inject text, notes and names are data. `literal` turns C0/C1
controls, DEL and bidi overrides into visible symbols; `content` (Textual)
and `cell` (Rich, for DataTable cells) wrap it without parsing markup, so
`[bold]`, `[@click=app.quit]` or an ANSI escape in a runbook shows as typed and
does nothing. Kept apart from engine.tui.display so the start screen's first
frame does not load the drill's state machine.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

# C0 and C1 controls and DEL become their visible "control picture" (ESC -> ␛); bidi overrides
# are spelled out, so nothing a file holds can move the cursor, recolour or reorder the screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


def literal(value: object, *, one_line: bool = False) -> str:
    """User text with control characters made visible (and, for one line, newlines and tabs as spaces)."""
    text = "" if value is None else str(value)
    text = text.replace("\t", " ")
    if one_line:
        text = " ".join(text.split("\n"))
    return _CONTROL.sub(_picture, text)


def content(value: object, style: str = "", *, one_line: bool = False) -> Content:
    """Literal user text as Textual Content, optionally styled."""
    return Content.styled(literal(value, one_line=one_line), style)


def cell(value: object, style: str = "") -> Text:
    """Literal user text as a Rich Text for a DataTable cell (a str cell would be parsed as markup)."""
    return Text(literal(value, one_line=True), style=style, no_wrap=True, overflow="ellipsis")


def one_line(text: str) -> str:
    """Text for a one-line field: its lines (and runs of spaces) joined by one space. A one-line field shows a
    value's first line only, and would record the rest unseen."""
    return " ".join(text.split())
