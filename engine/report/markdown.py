"""Markdown that user text cannot break out of.

`escape` makes any text inert inline Markdown: no links, images, emphasis,
code spans, raw HTML, headings, lists or table breaks, on one line. The
Markdown template environment applies it to every `{{ }}` by default (like
HTML autoescaping); `MdSafe` marks text the renderer built itself. Mermaid
labels have their own escaping: entity codes, which Mermaid understands.
"""

from __future__ import annotations

import re


class MdSafe(str):
    """Markdown the renderer wrote itself; the template environment leaves it alone."""

    __slots__ = ()


# Characters that open Markdown or GitHub syntax anywhere on a line: emphasis, code, links (with
# `[` and `]` escaped no `(...)` can become a link target; `(` is escaped too for good measure),
# table cells, strikethrough, mentions, math. A backslash before ASCII punctuation is always a
# literal in CommonMark, so escaping is safe even where it was not needed. One translation table
# does all of it in one pass at C speed: those characters get a backslash, & < > become entities,
# control characters go.
_INLINE = "\\`*_[](|~@$"
_TABLE: dict[int, str | None] = {ord(c): "\\" + c for c in _INLINE}
_TABLE.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})
_TABLE.update(dict.fromkeys([*range(0x00, 0x20), 0x7F]))  # C0 controls and DEL: dropped
# Bidirectional embeddings, overrides and isolates: spelled out, so no text reads reversed (engine/printed.py).
_TABLE.update({code: f"&lt;U+{code:04X}&gt;" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
# What starts a block when it opens a line: headings (#), lists (- + 1. 1)), setext underlines (= -).
_LEADING = re.compile(r"^([-+=#]|\d+(?=[.)]))")


# Short texts a report prints again and again (who noted, the kind, "to be assigned"): escaped once.
_SEEN: dict[str, MdSafe] = {}
_SEEN_MAX = 4096  # entries; texts of at most _SEEN_CHARS characters
_SEEN_CHARS = 200


def escape(text: object) -> MdSafe:
    """One line of inert Markdown showing `text` as written (whitespace runs become one space)."""
    if isinstance(text, MdSafe):
        return text
    if type(text) is not str:
        return _escaped("" if text is None else str(text))
    seen = _SEEN.get(text)
    if seen is None:
        seen = _escaped(text)
        if len(text) <= _SEEN_CHARS and len(_SEEN) < _SEEN_MAX:
            _SEEN[text] = seen
    return seen


def _escaped(text: str) -> MdSafe:
    value = " ".join(text.split()).translate(_TABLE).strip()
    match = _LEADING.match(value)
    if match:
        value = f"{match.group(0)}\\{value[len(match.group(0)):]}" if match.group(0)[0].isdigit() \
            else "\\" + value
    return MdSafe(value)


def finalize(value: object) -> object:
    """Jinja `finalize` for Markdown: escape every value a template prints unless it is MdSafe."""
    if isinstance(value, MdSafe) or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return escape(value)


_MERMAID_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ,.:/_+-")


class _MermaidCodes(dict[int, str]):
    """A translation table over every character: safe ones stay, the rest become #code; (filled as met)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = value = char if char in _MERMAID_SAFE else f"#{code};"
        return value


_MERMAID = _MermaidCodes()


def mermaid_label(text: object) -> MdSafe:
    """Text for inside a quoted Mermaid label: everything else becomes a #code; entity."""
    return MdSafe(" ".join(("" if text is None else str(text)).split()).translate(_MERMAID))
