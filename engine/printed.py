"""User text bound for a printed page (handbooks, reports): bidirectional controls made visible, and
the characters no installed font can draw.

A bidirectional override or embedding in an inject's text (U+202E) makes a
viewer draw the text after it reversed, so a handbook reads "live" where the
file says "evil". `neutral` spells each such control out as `<U+202E>`, the
way the console shows them (engine/tui/literal.py); marks that only nudge
neutral characters (U+200E, U+200F, U+061C) stay, since right-to-left text
needs them. `undrawable` lists the characters that the fonts fontconfig
would use for a PDF have no glyph for (they print as empty boxes), so the
command can warn.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
PDF_FONT = "DejaVu Sans"  # the first family in the handbook's and the report's CSS
_MAX_FONTS = 400  # fonts whose coverage is read, at most


def neutral(text: str) -> str:
    """`text` with every bidirectional embedding, override and isolate written out as `<U+XXXX>`."""
    return BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def undrawable(text: str, family: str = PDF_FONT) -> list[str]:
    """The distinct characters of `text` (beyond ASCII) that no installed font can draw, in order of
    appearance: those `family` lacks, looked up in every font fontconfig lists (as Pango falls back).
    Empty when all can be drawn, or when the fonts cannot be read (no fontconfig, no fontTools)."""
    wanted = list(dict.fromkeys(c for c in text if ord(c) > 0x7E and not c.isspace() and c.isprintable()))
    if not wanted:
        return []
    first = _fonts(["fc-match", family, "--format", "%{file}"])
    if first is None:
        return []
    wanted = [c for c in wanted if ord(c) not in _coverage(first)]
    if not wanted:
        return []
    every = _fonts(["fc-list", "--format", "%{file}\\n"]) or []
    covered = _coverage(every[:_MAX_FONTS])
    return [c for c in wanted if ord(c) not in covered]


def _fonts(command: list[str]) -> list[str] | None:
    import subprocess  # only when a PDF is made: the HTML report imports this module for `neutral`

    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted(set(out.split("\n")) - {""})


def _coverage(paths: list[str]) -> set[int]:
    try:
        from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]
    except ImportError:
        return set(range(0x110000))  # cannot tell: claim nothing is missing
    covered: set[int] = set()
    for path in paths:
        try:
            fonts = TTCollection(path, lazy=True).fonts if path.lower().endswith((".ttc", ".otc")) \
                else [TTFont(path, lazy=True)]
            for font in fonts:
                covered.update(font.getBestCmap() or {})
        except Exception:  # a font fontTools cannot read (Type 1, bitmap): skipped
            continue
    return covered


def page_text(html: str) -> str:
    """The text an HTML page shows: no style sheet, no tags, entities decoded."""
    import html as html_module

    body = re.sub(r"(?is)<(style|script)\b.*?</\1\s*>", " ", html)
    return html_module.unescape(re.sub(r"<[^>]*>", " ", body))


def font_warning(html: str) -> str | None:
    """The warning for a PDF printed from `html` whose text has characters no installed font can draw
    (they print as empty boxes), or None."""
    missing = undrawable(page_text(html))
    if not missing:
        return None
    shown = " ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
    return (f"the PDF has no font for {len(missing)} character{'s' if len(missing) != 1 else ''} ({shown}): they "
            "print as empty boxes; install a font that has them (CJK on Debian: fonts-noto-cjk), or use "
            "--format html or docx")
