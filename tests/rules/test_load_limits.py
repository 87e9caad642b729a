"""Files that cannot be read at all: too large, missing behind a link, a folder, no permission, empty."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.config import Config
from engine.load import MAX_FILE_BYTES
from engine.validate import validate


def findings(path: Path) -> list[tuple[str, int]]:
    result = validate([str(path)], Config())
    return [(f.rule, f.line) for f in result.findings]


def test_a_file_just_over_the_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    head = b"runbook: big\ntitle: Big\nsteps:\n  only: {title: Only}\n"
    big.write_bytes(head + b"#" * (MAX_FILE_BYTES + 1 - len(head)))
    assert big.stat().st_size == MAX_FILE_BYTES + 1
    result = validate([str(big)], Config())
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("file-too-large", 1, 1)]
    assert result.unreadable
    assert result.documents[0].text == ""  # refused before reading, not parsed and then refused


def test_a_file_exactly_at_the_limit_is_read(tmp_path: Path) -> None:
    edge = tmp_path / "edge.yaml"
    head = b"runbook: edge\ntitle: Edge\nsteps:\n  only: {title: Only}\n"
    edge.write_bytes(head + b"#" * (MAX_FILE_BYTES - len(head)))
    assert findings(edge) == []


def test_the_limit_follows_the_settings(tmp_path: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text("runbook: small\ntitle: Small\nsteps:\n  only: {title: Only}\n", encoding="utf-8")
    result = validate([str(small)], Config(max_file_bytes=10))
    assert [f.rule for f in result.findings] == ["file-too-large"]


def test_a_dangling_link_is_unreadable(tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "deleted.yaml")
    result = validate([str(link)], Config())
    assert [(f.rule, f.line) for f in result.findings] == [("file-unreadable", 1)]
    assert result.unreadable


def test_a_folder_named_like_a_file_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    assert findings(folder) == [("file-unreadable", 1)]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_a_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("runbook: locked\n", encoding="utf-8")
    locked.chmod(0)
    try:
        assert findings(locked) == [("file-unreadable", 1)]
    finally:
        locked.chmod(0o644)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"   \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "spaces", "bom"])
def test_an_empty_file_holds_no_document(tmp_path: Path, content: bytes) -> None:
    # an empty file cannot carry an `# expect:` comment, so it is tested here instead of as a fixture
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(content)
    assert findings(empty) == [("file-empty", 1)]
