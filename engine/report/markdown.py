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
# literal in CommonMark, so escaping is safe even where it was not needed.
_INLINE = re.compile(r"([\\`*_\[\](|~@$])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPACE = re.compile(r"[\s\u0085\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What starts a block when it opens a line: headings (#), lists (- + 1. 1)), setext underlines (= -).
_LEADING = re.compile(r"^([-+=#]|\d+(?=[.)]))")


def escape(text: object) -> MdSafe:
    """One line of inert Markdown showing `text` as written (whitespace runs become one space)."""
    if isinstance(text, MdSafe):
        return text
    value = _CONTROL.sub("", _SPACE.sub(" ", "" if text is None else str(text))).strip()
    value = "".join(_HTML.get(c, c) for c in value)
    value = _INLINE.sub(r"\\\1", value)
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


_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 ,.:/_+-]")


def mermaid_label(text: object) -> MdSafe:
    """Text for inside a quoted Mermaid label: everything else becomes a #code; entity."""
    value = _SPACE.sub(" ", "" if text is None else str(text)).strip()
    return MdSafe("".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in value))
