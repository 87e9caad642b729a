"""The golden report of a `tabletop play` log: headless play, then the report, byte for byte.

The log was written by
    tabletop play scenarios/m365-na-outage-2026-01-22.yaml --team teams/m365-na-outage.team.yaml \\
        --log tests/report/data/play/golden.jsonl
and its reports by `python tests/report/test_report_play_golden.py` (run by a person, on purpose,
after reviewing why the report changed). The scenario and runbooks it names are the copies in
tests/report/data/files/, so editing the shipped files does not move this golden.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.report import render
from engine.report.builder import build_report

DATA = Path(__file__).resolve().parent / "data"
PLAY = DATA / "play"
RENDERERS = {"md": render.render_markdown, "html": render.render_html, "json": render.render_json}


def _report():  # type: ignore[no-untyped-def]
    return build_report(str(PLAY / "golden.jsonl"), roots=[str(DATA / "files")])


def test_play_log_verifies_against_the_copied_files() -> None:
    report = _report()
    assert report.verification.ok
    assert {f.status for f in report.source.files} == {"same"}
    assert [n.level for n in report.notices if n.level != "info"] == []


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_play_report_matches_its_golden_file(fmt: str) -> None:
    expected = (PLAY / f"golden.{fmt}").read_text(encoding="utf-8")
    assert RENDERERS[fmt](_report()) == expected, "the report changed; regenerate on purpose (see the docstring)"


if __name__ == "__main__":
    report = _report()
    for fmt, rendering in RENDERERS.items():
        (PLAY / f"golden.{fmt}").write_text(rendering(report), encoding="utf-8")
    print("wrote", ", ".join(f"golden.{fmt}" for fmt in RENDERERS), "in", PLAY, file=sys.stderr)
