"""Every reader of a drill log counts the same drill (issue 20, fault 3 and its siblings).

The log is written through the Drill API with every correction the console
offers: a decision revised to an option never chosen first, an ad hoc inject,
a withdrawal, a reopened step. Readiness, the report, coverage and `log verify`
must all take the whole log, with the runbook files at hand and without them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from drillkit import minutes, start, tabletop, write_plan
from test_step_semantics import RUNBOOK, SCENARIO

from engine.drill.plan import Plan


def _drill(folder: Path) -> tuple[Plan, Path]:
    plan = write_plan(folder, RUNBOOK, SCENARIO)
    (folder / "exports" / "drills").mkdir(parents=True)
    log = folder / "exports" / "drills" / "revised.jsonl"
    drill, clock = start(plan, folder, "exports/drills/revised.jsonl")
    drill.complete_step("rb/assess")
    minutes(clock, 5)
    drill.decide("rb/route", "hold", "wait and see", "ic")
    minutes(clock, 10)
    drill.revise("rb/route", "fail-over", "the relay is ready after all", "ic")  # never chosen first
    drill.complete_step("rb/switch")
    drill.reopen("rb/switch", "not really switched", "ic")
    drill.complete_step("rb/switch")
    drill.adhoc("The CEO asks for an update.", services={"tracker": "down"})
    drill.withdraw("adhoc-1", "read out by mistake", "ic")
    drill.note("observation", "good calm call", "rb/route", "scribe")
    drill.end("done")
    drill.close()
    return plan, log


def _events(log: Path) -> int:
    return len(log.read_bytes().splitlines())


@pytest.fixture(params=["files", "changed files", "log alone"])
def drilled(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Plan, Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TABLETOP_CACHE", str(tmp_path / "cache"))
    plan, log = _drill(Path("."))  # the log names its files relative to the project, as play writes them
    if request.param == "changed files":  # edited since: the option revised to is gone from the runbook
        runbook = tmp_path / "runbooks" / "rb.yaml"
        runbook.write_text(runbook.read_text(encoding="utf-8").replace("fail-over", "fail-away"), encoding="utf-8")
    if request.param == "log alone":  # the files the log names are gone: readers fall back to the log's ids
        shutil.rmtree(tmp_path / "runbooks")
        shutil.rmtree(tmp_path / "scenarios")
    return plan, log


def test_readiness_counts_a_drill_whose_decision_was_revised_to_an_option_never_chosen_first(
        drilled: tuple[Plan, Path]) -> None:
    from engine.readiness.drills import summarize

    _, log = drilled
    summary = summarize(str(log))
    assert summary.problem is None
    files = Path("runbooks/rb.yaml")
    if files.exists() and "fail-over" in files.read_text(encoding="utf-8"):
        assert (summary.plan_from, summary.plan_why) == ("files", None)
    else:  # said once, and the drill still counts
        assert summary.plan_from == "log" and summary.plan_why
    assert summary.ended and summary.events == _events(log)
    assert set(summary.steps) == {"rb/assess", "rb/route", "rb/switch"}  # a decision made is its step done


def test_the_report_takes_every_event(drilled: tuple[Plan, Path]) -> None:
    from engine.report.builder import build_report

    _, log = drilled
    report = build_report(str(log))
    assert report.verification.ok and report.verification.apply_problem is None
    assert report.verification.events_applied == _events(log)
    assert not [n for n in report.notices if n.level == "error"]


def test_coverage_takes_every_event(drilled: tuple[Plan, Path]) -> None:
    from engine.coverage import read_drills, runbook_items
    from engine.model import Runbook
    from engine.plans import load_plan

    plan, log = drilled
    changed = Path("runbooks/rb.yaml").exists() and "fail-away" in Path("runbooks/rb.yaml").read_text(encoding="utf-8")
    if changed:  # coverage reads the runbooks as they are now
        plan = load_plan("scenarios/sc.yaml", ["runbooks"])
    assert isinstance(plan.runbooks[0], Runbook)
    items = [i for rb in plan.runbooks for i in runbook_items(rb)]
    [info], last, _ = read_drills([str(log)], [plan], items)
    assert info.used and info.applied == _events(log)
    assert info.problems == (["runbook runbooks/rb.yaml has changed since the drill started"] if changed else [])
    assert {"step:rb/assess", "step:rb/route", "step:rb/switch"} <= set(last)
    assert "option:rb/route=fail-over" in last  # the option revised to is the one the team took


def test_log_show_tells_every_event(drilled: tuple[Plan, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, log = drilled
    code, out, err = tabletop(capsys, "log", "show", log)
    assert code == 0, err
    assert "fail-over" in out and "adhoc-1" in out


def test_log_verify_and_readiness_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TABLETOP_CACHE", str(tmp_path / "cache"))
    _, log = _drill(Path("."))
    code, out, err = tabletop(capsys, "log", "verify", log)
    assert code == 0, out + err
    code, out, err = tabletop(capsys, "readiness", "--format", "json", "--today", "2026-03-03")
    assert "not counted" not in err
    view = json.loads(out)
    [rb] = view["runbooks"]
    assert (rb["id"], rb["last_live"], rb["live_drills"]) == ("rb", {"log": "revised.jsonl", "date": "2026-03-02"}, 1)
    assert view["logs"]["read_by_ids"] == []
    runbook = tmp_path / "runbooks" / "rb.yaml"
    runbook.write_text(runbook.read_text(encoding="utf-8").replace("Keep mail", "Keep all mail"), encoding="utf-8")
    code, out, err = tabletop(capsys, "readiness", "--format", "json", "--today", "2026-03-03", "--no-cache")
    view = json.loads(out)
    assert view["logs"]["live"] == 1 and view["logs"]["not_counted"] == []
    assert [entry["log"] for entry in view["logs"]["read_by_ids"]] == ["revised.jsonl"]  # said once, for that log
    assert "has changed" in view["logs"]["read_by_ids"][0]["why"]


def test_log_show_prints_every_line_and_names_the_event_the_fold_refuses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from engine.drill import events as ev

    monkeypatch.chdir(tmp_path)
    plan = write_plan(Path("."), RUNBOOK, SCENARIO)
    drill, _ = start(plan, Path("."))
    drill.start_step("rb/assess")
    seq = drill.state.seq
    # Written past the Drill's checks, chained as a hand-edited log would be: a step started twice.
    drill.log.append(ev.Event.of(seq + 1, "2026-03-02T09:00:00.000Z", 0.0, ev.StepStarted("rb/assess")))
    drill.log.append(ev.Event.of(seq + 2, "2026-03-02T09:00:00.000Z", 0.0, ev.StepDone("rb/assess")))
    drill.close()
    code, out, err = tabletop(capsys, "log", "show", drill.path)
    assert code == 0
    assert len(out.splitlines()) == 4  # every line printed, the refused one and the one after it too
    assert err.count("warning") == 1
    assert "drill.jsonl:3: the fold refuses this event" in err and "not ready" in err
    code, out, err = tabletop(capsys, "log", "verify", drill.path)
    assert code == 1 and ":3:" in err  # verify fails the same event


@pytest.mark.parametrize("files", ["at hand", "gone"])
def test_every_reader_takes_a_played_drill_with_every_action(files: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped scenario played with every team-file action (revisions, corrections, an ad hoc inject,
    module summaries amended and withdrawn, feedback, jumps): each reader takes the whole log."""
    from drillkit import ROOT, SHIPPED, TEAM
    from test_team_actions import ACTIONS_YAML

    from engine.coverage import read_drills, runbook_items
    from engine.drill.log import read_log
    from engine.plans import load_plan
    from engine.readiness.drills import summarize
    from engine.report.builder import build_report

    team = tmp_path / "team.yaml"
    team.write_text(TEAM.read_text(encoding="utf-8") + "\n" + ACTIONS_YAML, encoding="utf-8")
    monkeypatch.chdir(ROOT)  # play names the files relative to the project
    log = tmp_path / "drill.jsonl"
    code, _, err = tabletop(capsys, "play", SHIPPED.relative_to(ROOT), "--team", team, "--log", log)
    assert code in (0, 1) and err == "", err
    if files == "gone":
        monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TABLETOP_CACHE", str(tmp_path / "cache"))
    events = len(read_log(str(log)).events)
    summary = summarize(str(log))
    assert summary.problem is None and summary.events == events and summary.ended
    assert summary.plan_from == ("files" if files == "at hand" else "log")
    report = build_report(str(log))
    assert report.verification.ok and report.verification.events_applied == events
    plan = load_plan(str(SHIPPED))
    items = [i for rb in plan.runbooks for i in runbook_items(rb)]
    [info], _, _ = read_drills([str(log)], [plan], items, include_headless=True)
    assert info.problems == [] and info.applied == events
    code, _, err = tabletop(capsys, "log", "show", log)
    assert code == 0 and err == ""
