"""docs/incident-import.md: its JSON, CSV and text examples import as the source they stand for."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from incident_records import ROOT, read_yaml, run  # noqa: E402

DOC = (ROOT / "docs" / "incident-import.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(json|csv|text)\n(.*?)```", DOC, re.S)


def test_the_page_has_an_example_per_source() -> None:
    kinds = [kind for kind, _ in BLOCKS]
    assert kinds.count("json") >= 2 and "csv" in kinds and "text" in kinds  # Slack, PagerDuty, timelines
    for source in ("statuspage-incident.json", "MO1221364.graph.json"):
        assert (ROOT / "docs" / "examples" / source).is_file() and source in DOC


@pytest.mark.parametrize(("kind", "body"), [b for b in BLOCKS if b[0] != "text" or "EST" in b[1]])
def test_each_example_imports(kind: str, body: str, tmp_path: Path, capsys) -> None:
    source = tmp_path / ("day.json" if kind == "json" else f"timeline.{'csv' if kind == 'csv' else 'txt'}")
    source.write_text(body, encoding="utf-8")
    out = tmp_path / "d.yaml"
    code = run(str(source), "--runbook", "inbound-mail-continuity", "--tz", "America/New_York", "-o", str(out))
    assert code == 0, capsys.readouterr().err
    assert read_yaml(out)["injects"]
