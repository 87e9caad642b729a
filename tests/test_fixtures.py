"""The corpus of broken inputs: each case must give exactly the findings it declares.

A case is a file or a folder directly under tests/fixtures/ (a folder is
validated as one run, for checks across files). A file declares what it must
produce with comment lines anywhere in it:

    # expect: unknown-need @ 12
    # expect: unused-role @ 4

Files that cannot hold a comment (binary, not UTF-8) declare theirs in
EXPECT_BINARY below. A case passes when the set of (file, rule, line) it
produces equals the set it declares, and validate raises nothing. The corpus is
validated as of FIXTURE_TODAY, so due dates give the same findings every day.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from engine.config import Config
from engine.validate import discover, validate

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_TODAY = date(2026, 6, 1)
_EXPECT = re.compile(rb"#\s*expect:\s*([a-z0-9-]+)\s*@\s*(\d+)")

# files whose bytes cannot carry an `# expect:` comment
EXPECT_BINARY: dict[str, set[tuple[str, int]]] = {
    "binary-file.yaml": {("file-binary", 1)},
    "not-utf8.yaml": {("file-encoding", 3)},
}


def _cases() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if not p.name.startswith((".", "_")))


def _declared(case: Path) -> set[tuple[str, str, int]]:
    files = sorted(case.rglob("*")) if case.is_dir() else [case]
    out = set()
    for file in files:
        if not file.is_file():
            continue
        rel = file.relative_to(FIXTURES).as_posix()
        if file.name in EXPECT_BINARY:
            out |= {(rel, rule, line) for rule, line in EXPECT_BINARY[file.name]}
            continue
        for rule, line in _EXPECT.findall(file.read_bytes()):
            out.add((rel, rule.decode(), int(line)))
    return out


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_fixture_gives_exactly_its_declared_findings(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    expected = _declared(case)
    assert expected, f"{case.name} declares no `# expect:` line"
    result = validate(discover([case.name], Config()), Config(), today=FIXTURE_TODAY)
    got = {(f.path, f.rule, f.line) for f in result.findings}
    assert got == expected


def test_corpus_is_big_enough() -> None:
    assert len(_cases()) >= 40
