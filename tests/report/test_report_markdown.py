"""The Markdown escaping filter: user text cannot become Markdown or HTML."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.report.markdown import MdSafe, escape, finalize, mermaid_label


@pytest.mark.parametrize("text, expected", [
    ("plain words, 3.5 percent", "plain words, 3.5 percent"),
    ("a | b", "a \\| b"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1))"),
    ("`code` *em* _u_ ~~s~~", "\\`code\\` \\*em\\* \\_u\\_ \\~\\~s\\~\\~"),
    ("# heading", "\\# heading"),
    ("- item", "\\- item"),
    ("+ item", "\\+ item"),
    ("=== ", "\\==="),
    ("12. item", "12\\. item"),
    ("3) item", "3\\) item"),
    ("one\ntwo\r\nthree\u2028four", "one two three four"),
    ("  lead and   runs  ", "lead and runs"),
    ("a\x00b\x1bc", "abc"),
    ("AT&T &amp;", "AT&amp;T &amp;amp;"),
    ("@here costs $5", "\\@here costs \\$5"),
    ("back\\slash", "back\\\\slash"),
    (None, ""),
])
def test_escape(text: str | None, expected: str) -> None:
    assert escape(text) == expected


@given(st.text())
def test_escaped_text_is_one_inert_line(text: str) -> None:
    out = escape(text)
    assert "\n" not in out and "\r" not in out and "<" not in out and ">" not in out
    assert not re.search(r"(?<!\\)(?:\\\\)*[|`\[\]*_]", out.replace("\\\\", "")), out
    assert not out.startswith(("-", "+", "=", "#", " "))


def test_finalize_escapes_everything_but_our_own_markdown() -> None:
    assert finalize("<b>") == "&lt;b&gt;"
    assert finalize(MdSafe("**ours**")) == "**ours**"
    assert finalize(3) == 3 and finalize(True) == "True"


def test_mermaid_labels_keep_only_safe_characters() -> None:
    assert mermaid_label('a "b" <c> `d`\n|e|') == "a #34;b#34; #60;c#62; #96;d#96; #124;e#124;"
    assert mermaid_label("detect-deferrals") == "detect-deferrals"


def test_escaping_a_text_again_gives_the_same_markdown_and_the_memo_stays_bounded() -> None:
    from engine.report import markdown

    texts = ["observer", "# heading", "1. list", "a|b", "x" * 300, "<b>bold</b>", " two  spaces "]
    first = [markdown.escape(t) for t in texts]
    assert [markdown.escape(t) for t in texts] == first  # from the memo, where it kept them
    assert markdown.escape("x" * 300) == "x" * 300 and "x" * 300 not in markdown._SEEN  # long: not kept
    assert first[1] == "\\# heading" and first[2] == "1\\. list" and first[3] == "a\\|b"
    for n in range(markdown._SEEN_MAX + 100):
        markdown.escape(f"text {n}")
    assert len(markdown._SEEN) <= markdown._SEEN_MAX
