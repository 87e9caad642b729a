"""The YAML writer never changes text: any Unicode string written into a scenario comes back exactly.
TABLETOP_FUZZ_EXAMPLES=5000 runs the fuzz tests for longer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine.load import read_document
from engine.scaffold import file_text

TRIED = {"count": 0}


@settings(max_examples=int(os.environ.get("TABLETOP_FUZZ_EXAMPLES", 500)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=300))
@example(text="x" * 95 + "\x07" + " tail")  # an escape that falls at the wrap column
@example(text=("word " * 19) + "\u2028" + "next")
@example(text=" lead and trail ")
@example(text="a\n\nb\n")
@example(text="\ufeffbom")
@example(text="yes")
@example(text="- not a list")
@example(text="#not a comment")
@example(text="tab\tinside " * 12)
@example(text="\x85" + "y" * 120)
def test_any_string_survives_write_then_read(tmp_path: Path, text: str) -> None:
    TRIED["count"] += 1
    data = {"scenario": "prop", "title": text or "t", "runbooks": ["rb"],
            "injects": [{"id": "a", "at": "T+0m", "say": text, "expect": text * 2}]}
    path = tmp_path / "prop.yaml"
    path.write_text(file_text("scenario", tmp_path, data), encoding="utf-8", newline="")
    doc = read_document(str(path))
    assert not doc.unreadable, [f.message for f in doc.findings]
    inject = doc.data["injects"][0]
    assert inject["say"] == text
    assert inject["expect"] == text * 2
    assert doc.data["title"] == (text or "t")


@pytest.mark.parametrize("width", [58, 59, 60, 98, 99, 100, 101])
def test_escapes_at_every_wrap_position(tmp_path: Path, width: int) -> None:
    for char in ("\x07", "\x1b", "\u2028", "\t", "\\", '"'):
        text = "w " * (width // 2) + char + " after it"
        path = tmp_path / "w.yaml"
        path.write_text(file_text("scenario", tmp_path, {"scenario": "w", "title": "W", "runbooks": ["rb"],
                                                         "summary": text}), encoding="utf-8", newline="")
        assert read_document(str(path)).data["summary"] == text, repr(char)
