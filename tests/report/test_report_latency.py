"""Each decision's latency in the report (issue 22, timed decisions): from its step becoming ready to its first
decision, against its limit when it has one, in md, html, json and docx; a default the drill clock took says
so, and a revision does not move the latency."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import docx

from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.report import render
from engine.report.builder import build_report
from engine.report.word import render_docx

RUNBOOK = """\
runbook: rb
title: Keep mail flowing
steps:
  assess:
    title: Assess the deferrals
  route:
    title: Fail over or hold?
    needs: [assess]
    decision:
      question: Move inbound mail to the relay?
      within: 15m
      default: hold
      options:
        fail-over: {next: [watch]}
        hold: {next: [watch]}
  tell:
    title: Which channel?
    needs: [assess]
    decision:
      question: How do we tell customers?
      within: 10m
      default: banner
      options:
        banner: {next: [watch]}
        email: {next: [watch]}
  press:
    title: Talk to the press?
    needs: [assess]
    decision:
      question: Do we brief the press?
      options:
        brief: {next: [watch]}
        wait: {next: [watch]}
  watch:
    title: Watch the queues
"""

SCENARIO = """\
scenario: sc
title: Mail stops
runbooks: [rb]
injects: []
"""


def _report(tmp_path: Path):  # type: ignore[no-untyped-def]
    for folder, name, text in (("runbooks", "rb.yaml", RUNBOOK), ("scenarios", "sc.yaml", SCENARIO)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text, encoding="utf-8")
    plan = load_plan(str(tmp_path / "scenarios" / "sc.yaml"), [str(tmp_path / "runbooks")])
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))
    clock.advance(600)
    drill.complete_step("rb/assess")  # all three decisions are ready at T+0:10
    clock.advance(240)
    drill.decide("rb/press", "wait", "Nothing to say yet.", "IC")  # untimed: 4m
    clock.advance(900)
    assert [e.data["step"] for e in drill.take_defaults()] == ["rb/tell", "rb/route"]  # both ran out by T+0:29
    drill.revise("rb/route", "fail-over", "the bridge had chosen; nobody told the console", "Priya")
    drill.end("finished")
    drill.close()
    return build_report(drill.path, scenario=str(tmp_path / "scenarios" / "sc.yaml"),
                        runbook_dirs=[str(tmp_path / "runbooks")])


def test_json_gives_each_decision_its_latency_and_limit(tmp_path: Path) -> None:
    made = {d["step"]: d for d in json.loads(render.render_json(_report(tmp_path)))["decisions"]}
    picked = {k: (d["ready_t"], d["latency"], d["within"], d["fell_to_default"]) for k, d in made.items()}
    assert picked == {"rb/press": (600.0, 240.0, None, False),
                      "rb/tell": (600.0, 1140.0, 600, True),
                      "rb/route": (600.0, 1140.0, 900, True)}  # revised since, but it fell at T+0:29
    assert made["rb/route"]["option"] == "fail-over"


def test_markdown_and_html_show_latency_against_the_limit(tmp_path: Path) -> None:
    report = _report(tmp_path)
    md = render.render_markdown(report)
    assert "| Talk to the press? | T+0:10 | 4m | no limit |" in md
    assert "| Which channel? | T+0:10 | 19m | time ran out after 10m: the default was taken |" in md
    html = render.render_html(report)
    assert "<strong>Latency:</strong> 4m from ready (T+0:10) to decided; no limit" in html
    assert "19m from ready (T+0:10) to decided; time ran out after 15m: the default was taken" in html


def test_a_decision_made_late_by_hand_is_over_its_limit(tmp_path: Path) -> None:
    report = _report(tmp_path)
    item = next(d for d in report.decisions if d.step == "rb/tell")
    item.fell_to_default, item.latency = False, 1020.0  # as if a log without the clock's tick: decided by hand
    assert item.against_limit() == "7m over its 10m limit"
    item.latency = 500.0
    assert item.against_limit() == "within its 10m limit"


def test_the_word_report_has_the_latency_table(tmp_path: Path) -> None:
    document = docx.Document(io.BytesIO(render_docx(_report(tmp_path))))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["Decision", "Ready",
                                                                                       "Latency", "Limit"])
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    assert rows["Talk to the press?"] == ["T+0:10", "4m", "no limit"]
    assert rows["Fail over or hold?"] == ["T+0:10", "19m", "time ran out after 15m: the default was taken"]
