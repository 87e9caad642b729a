"""decision.amended: a decision's rationale and decider put right without changing the option. The log keeps
the decision as first recorded and the correction; the fold, a resume, `log show` and the report agree."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "drill"))

from drillkit import minutes, start, write_plan  # noqa: E402
from test_step_semantics import RUNBOOK, SCENARIO  # noqa: E402

from engine.drill import events as ev  # noqa: E402
from engine.drill import narrate  # noqa: E402
from engine.drill.events import EventError  # noqa: E402
from engine.drill.log import read_log  # noqa: E402
from engine.drill.session import Drill  # noqa: E402
from engine.report.builder import build_report  # noqa: E402
from engine.report.render import render_json, render_markdown  # noqa: E402

MISFILED = "Gateway keeps mail 4 days; relay untested"


def _amended(tmp_path: Path) -> tuple[Drill, str]:
    plan = write_plan(tmp_path, RUNBOOK, SCENARIO)
    drill, clock = start(plan, tmp_path)
    minutes(clock, 10)
    drill.complete_step("rb/assess")
    drill.decide("rb/route", "hold", "", MISFILED)  # the trial's misfiled decision
    minutes(clock, 5)
    drill.amend_decision("rb/route", MISFILED, "Dana", "the rationale was typed as the decider", "Sam")
    return drill, drill.path


def test_the_fold_keeps_the_option_and_both_texts(tmp_path: Path) -> None:
    drill, path = _amended(tmp_path)
    decision = drill.state.decisions["rb/route"]
    assert (decision.option, decision.rationale, decision.by, decision.t) == ("hold", MISFILED, "Dana", 600)
    [fix] = drill.state.corrections
    assert (fix.kind, fix.subject, fix.reason, fix.by, fix.t) == (
        ev.DECISION_AMENDED, "rb/route", "the rationale was typed as the decider", "Sam", 900)
    assert fix.old == f"no rationale (decided by {MISFILED})"
    assert fix.new == f"{MISFILED} (decided by Dana)"
    drill.close()
    again = Drill.resume(drill.plan, path, drill.clock)
    assert again.state.decisions["rb/route"].by == "Dana"
    again.close()
    types = [e.type for e in read_log(path).events]
    assert types.count(ev.DECISION_MADE) == 1 and types.count(ev.DECISION_AMENDED) == 1


def test_refusals_say_why(tmp_path: Path) -> None:
    drill, _ = _amended(tmp_path)
    with pytest.raises(EventError, match="already reads so"):
        drill.amend_decision("rb/route", MISFILED, "Dana", "again", "Sam")
    with pytest.raises(EventError, match="rationale"):
        drill.amend_decision("rb/route", " ", "Dana", "blank", "Sam")
    with pytest.raises(EventError, match="reason"):
        drill.amend_decision("rb/route", "other", "Dana", "", "Sam")
    with pytest.raises(EventError, match="not been made"):
        drill.amend_decision("rb/watch", "x", "y", "z")
    drill.end("finished")
    drill.amend_decision("rb/route", "Relay untested", "Dana", "shorter, at the hot wash", "Sam")  # after the end too
    drill.close()


def test_the_report_shows_both_with_time_reason_and_who(tmp_path: Path) -> None:
    drill, path = _amended(tmp_path)
    drill.end("finished")
    drill.close()
    report = build_report(path, scenario=str(tmp_path / "scenarios" / "sc.yaml"),
                          runbook_dirs=[str(tmp_path / "runbooks")])
    [fix] = report.corrections
    assert (fix.kind, fix.was, fix.was_t, fix.was_by, fix.now, fix.t, fix.by, fix.reason) == (
        "decision amended", f"no rationale (decided by {MISFILED})", 600.0, MISFILED,
        f"{MISFILED} (decided by Dana)", 900.0, "Sam", "the rationale was typed as the decider")
    [decision] = report.decisions
    assert (decision.rationale, decision.by) == (MISFILED, "Dana")
    md = render_markdown(report)
    [row] = [line for line in md.splitlines() if line.startswith("| decision amended |")]
    assert "| Fail over or hold? | no rationale" in row and "| T+0:10, 09:10 | " in row  # the original, when
    assert row.endswith("| T+0:15, 09:15 | Sam | the rationale was typed as the decider |")  # the correction
    assert [c["kind"] for c in json.loads(render_json(report))["corrections"]] == ["decision amended"]
    assert ("correction", "decision amended", "rb/route") in [(e.kind, e.what, e.subject) for e in report.timeline]


def test_log_show_narrates_the_amendment(tmp_path: Path) -> None:
    drill, path = _amended(tmp_path)
    drill.close()
    lines = [narrate.line(e) for e in read_log(path).events]
    assert any("decision.amended" in x and f"why now reads {MISFILED}, decided by Dana" in x for x in lines)
