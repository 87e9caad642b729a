"""A drill with two evaluators in the room: every report format attributes each observation to its author."""

from __future__ import annotations

import json
from pathlib import Path

from roomkit import ROOT, post_form, run, served

from engine.cli import main


def test_report_of_two_evaluators_attributes_each_observation(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    async def go() -> str:
        async with served(tmp_path) as (drill, server, client):
            step = next(iter(drill.plan.steps))
            first = await post_form(server, client, {"name": "Ana Okafor", "kind": "strength",
                                                     "text": "Probes from outside came back within minutes."})
            second = await post_form(server, client, {
                "name": "Ben Duarte", "kind": "improvement", "text": "Nobody owned the supplier call.",
                "step": step, "action": "Name a supplier contact in the runbook", "element": "planning",
                "owner": "Service desk", "due": "2026-04-30"})
            assert first.status_code == second.status_code == 303
            drill.end("bench over")
            return drill.path
    log = run(go)
    out = tmp_path / "reports"
    out.mkdir()
    for fmt in ("md", "html", "json"):
        assert main(["report", log, "--format", fmt, "-o", str(out / f"r.{fmt}"), "--runbooks",
                     str(ROOT / "runbooks")]) == 0
    plan_dir = tmp_path / "plan"
    assert main(["report", log, "--format", "md", "--improvement-plan", "csv", "-o", f"{plan_dir}/",
                 "--runbooks", str(ROOT / "runbooks")]) == 0
    capsys.readouterr()
    md = (out / "r.md").read_text(encoding="utf-8")
    assert "Probes from outside came back within minutes. (noted by Ana Okafor" in md
    assert "Nobody owned the supplier call. (noted by Ben Duarte" in md
    html = (out / "r.html").read_text(encoding="utf-8")
    assert "Probes from outside came back within minutes." in html and "Ana Okafor," in html
    assert "Nobody owned the supplier call." in html and "Ben Duarte," in html
    notes = {n["text"]: n["by"] for n in _notes(json.loads((out / "r.json").read_text(encoding="utf-8")))}
    assert notes == {"Probes from outside came back within minutes.": "Ana Okafor",
                     "Nobody owned the supplier call.": "Ben Duarte"}
    csv_files = list(plan_dir.glob("*.csv"))
    assert csv_files, list(plan_dir.iterdir())
    csv_text = csv_files[0].read_text(encoding="utf-8")
    assert "Nobody owned the supplier call." in csv_text and "Ben Duarte" in csv_text


def _notes(report: object) -> list[dict[str, str]]:
    """Every object in the JSON report that has a note's text and author."""
    found: list[dict[str, str]] = []
    if isinstance(report, dict):
        if "text" in report and "by" in report and "kind" in report:
            found.append(report)
        for value in report.values():
            found += _notes(value)
    elif isinstance(report, list):
        for value in report:
            found += _notes(value)
    seen: dict[str, dict[str, str]] = {}
    for note in found:
        seen.setdefault(note["text"], note)
    return list(seen.values())
