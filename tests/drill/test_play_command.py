"""`tabletop play`: a whole drill headless on the shipped scenario, decisions, determinism, deadlock, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from drillkit import DATA, ROOT, SHIPPED, TEAM, tabletop

from engine.drill.log import read_log
from engine.drill.play import DEFAULT_RATIONALE
from engine.drill.session import replay
from engine.drill.state import StepStatus
from engine.plans import load_plan

MAIL = "inbound-mail-continuity"


def statuses(log: Path) -> dict[str, StepStatus]:
    plan = load_plan(str(SHIPPED))
    return replay(plan, read_log(str(log))).statuses()


def test_play_on_the_shipped_scenario_writes_a_log_that_verifies(tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    code, out, err = tabletop(capsys, "play", SHIPPED, "--log", log)
    assert code == 0, err
    assert f"log: {log}" in out
    assert "finished at T+" in out
    assert f"{MAIL}/failover-decision = fail-over (default)" in out
    assert "scenario time used: T+" in out
    assert err == ""  # progress goes to stderr only on a terminal
    code, out, err = tabletop(capsys, "log", "verify", log)
    assert code == 0, err
    assert out.startswith("ok: ") and "chain intact" in out and "ended at" in out
    events = read_log(str(log)).events
    defaulted = [e for e in events if e.type == "decision.made"]
    assert defaulted and all(e.data["rationale"] == DEFAULT_RATIONALE for e in defaulted)


def test_two_decide_paths_open_different_branches(tmp_path: Path, capsys: Any) -> None:
    over, hold = tmp_path / "over.jsonl", tmp_path / "hold.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", over, "--decide", "failover-decision=fail-over")[0] == 0
    code, out, _ = tabletop(capsys, "play", SHIPPED, "--log", hold, "--decide", f"{MAIL}/failover-decision=hold")
    assert code == 0
    assert f"{MAIL}/failover-decision = hold\n" in out  # chosen, so not marked (default)
    a, b = statuses(over), statuses(hold)
    assert (a[f"{MAIL}/switch-mx"], a[f"{MAIL}/watch-queues"]) == (StepStatus.DONE, StepStatus.SKIPPED)
    assert (b[f"{MAIL}/switch-mx"], b[f"{MAIL}/watch-queues"]) == (StepStatus.SKIPPED, StepStatus.DONE)
    fired_hold = {e.data["inject"] for e in read_log(str(hold)).events if e.type == "inject.fired"}
    assert "customer-escalation" in fired_hold and "relay-spool-alarm" not in fired_hold


def test_the_same_inputs_give_a_byte_identical_log(tmp_path: Path, capsys: Any) -> None:
    logs = [tmp_path / "one.jsonl", tmp_path / "two.jsonl"]
    for log in logs:
        code, _, err = tabletop(capsys, "play", SHIPPED, "--log", log, "--team", TEAM,
                                "--decide", "posture-decision=accept-gap")
        assert code == 0, err
    assert logs[0].read_bytes() == logs[1].read_bytes()


def test_start_sets_the_wall_time_of_t0(tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", log, "--start", "2026-05-04T08:00:00+02:00")[0] == 0
    assert read_log(str(log)).events[0].wall == "2026-05-04T06:00:00.000Z"


def test_the_team_file_supplies_people_durations_decisions_notes_and_the_hot_wash(
        tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "team.jsonl"
    code, out, err = tabletop(capsys, "play", SHIPPED, "--log", log, "--team", TEAM)
    assert code == 0, err
    assert "(default)" not in out
    events = read_log(str(log)).events
    assert events[0].data["facilitator"] == "Priya Raman"
    assert events[0].data["participants"]["incident-commander"] == "Dana Okafor"
    done = {e.data["step"]: e.t for e in events if e.type == "step.done"}
    assert done[f"{MAIL}/detect-deferrals"] == 25 * 60  # the team's 25m, not the runbook's 15m
    decision = next(e for e in events if e.type == "decision.made" and e.data["step"] == f"{MAIL}/failover-decision")
    assert decision.data["option"] == "hold" and decision.data["by"] == "incident-commander"
    notes = [e for e in events if e.type == "note"]
    assert len(notes) == 3
    timed = next(n for n in notes if n.data["kind"] == "observation")
    assert timed.t == 90 * 60  # at: T+1h30m
    after = next(n for n in notes if n.data["kind"] == "strength")
    assert after.t == done[f"{MAIL}/detect-deferrals"]  # after: detect-deferrals
    ended = next(i for i, e in enumerate(events) if e.type == "drill.ended")
    assert [e.type for e in events[ended + 1:]] == ["rating"] * 3 + ["hotwash.answer"] * 2


def test_logs_go_to_exports_drills_by_default_and_never_overwrite(
        tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = tmp_path / "exports" / "drills" / "m365-na-outage-2026-01-22-20260122T193300Z.jsonl"
    assert tabletop(capsys, "play", SHIPPED)[0] == 0
    assert first.is_file()
    before = first.read_bytes()
    code, out, _ = tabletop(capsys, "play", SHIPPED, "--decide", "failover-decision=hold")
    assert code == 0
    assert "20260122T193300Z-2.jsonl" in out
    assert first.read_bytes() == before


def test_an_existing_log_is_never_overwritten(tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    log.write_text("precious\n")
    code, out, err = tabletop(capsys, "play", SHIPPED, "--log", log)
    assert code == 4
    assert err.count("\n") == 1 and "never overwrites" in err and "Traceback" not in err
    assert log.read_text() == "precious\n"


def test_a_log_folder_that_cannot_be_written_exits_4(tmp_path: Path, capsys: Any) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder\n")
    code, _, err = tabletop(capsys, "play", SHIPPED, "--log", blocker / "log.jsonl")
    assert code == 4
    assert err.startswith("tabletop: error: ") and err.count("\n") == 1 and "is not a folder" in err


def test_a_deadlock_exits_1_and_names_the_stuck_steps(tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "dead.jsonl"
    code, out, err = tabletop(capsys, "play", DATA / "scenarios" / "relay-dies.yaml", "--log", log)
    assert code == 1, err
    assert "DEADLOCK at T+0:10" in out
    assert "stuck: stuck-relay/push-mail (blocked): service relay is down and it has no fallback" in out
    assert "stuck: stuck-relay/close (waiting): waits for stuck-relay/push-mail (blocked)" in out
    events = read_log(str(log)).events
    assert events[-1].type == "drill.ended" and events[-1].data["reason"].startswith("deadlock")
    assert tabletop(capsys, "log", "verify", log)[0] == 0  # a deadlocked drill still leaves a sound log


@pytest.mark.parametrize(("decide", "expected"), [
    ("failover-decison=hold", "did you mean 'failover-decision'?"),
    ("failover-decision=hodl", "did you mean 'hold'?"),
    ("detect-deferrals=yes", "detect-deferrals is not a decision"),
    ("failover-decision", "write it as STEP=OPTION"),
    ("no-such/step=x", "no decision 'no-such/step'"),
])
def test_a_bad_decide_is_a_usage_error(tmp_path: Path, capsys: Any, decide: str, expected: str) -> None:
    log = tmp_path / "drill.jsonl"
    code, out, err = tabletop(capsys, "play", SHIPPED, "--log", log, "--decide", decide)
    assert code == 2
    assert expected in err and err.count("\n") == 1
    assert not log.exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("team: x\ndecisions:\n  failover-decision: {option: hodl}\n", ":3:"),
    ("team: x\ndurations:\n  detect-deferals: 5m\n", ":3:3: no step 'detect-deferals'"),
    ("team: x\nnotes:\n  - {kind: gossip, text: hi}\n", ":3:"),
    ("team: x\nratings:\n  route-decision: {rating: Q}\n", ":3:"),
    ("team: x\nparticipant: {a: b}\n", ":2:1: unknown key 'participant' (did you mean 'participants'?)"),
    ("team: x\n  bad: [indent\n", ":2:"),
    ("team: x\nnotes:\n  - {kind: strength, text: hi, at: T+1h, after: detect-deferrals}\n", "not both"),
])
def test_a_bad_team_file_names_its_line_and_exits_2(tmp_path: Path, capsys: Any, text: str, expected: str) -> None:
    team = tmp_path / "bad.team.yaml"
    team.write_text(text)
    code, _, err = tabletop(capsys, "play", SHIPPED, "--log", tmp_path / "d.jsonl", "--team", team)
    assert code == 2, err
    assert f"{team}{expected}" in err if expected.startswith(":") else expected in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_scenario_with_errors_exits_3_with_its_findings(tmp_path: Path, capsys: Any) -> None:
    broken = tmp_path / "scenarios" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("scenario: broken\ntitle: Broken\nrunbooks: [inbound-mail-continuity]\n"
                      "injects:\n  - id: x\n    at: T+5m\n    services: {no-such-service: down}\n")
    code, _, err = tabletop(capsys, "play", broken, "--runbooks", ROOT / "runbooks", "--log", tmp_path / "d.jsonl")
    assert code == 3
    assert f"{broken}:7:" in err and "tabletop: error:" in err


def test_usage_errors_exit_2(tmp_path: Path, capsys: Any) -> None:
    assert tabletop(capsys, "play", tmp_path / "missing.yaml")[0] == 2
    assert tabletop(capsys, "play", SHIPPED, "--start", "yesterday")[0] == 2
    assert tabletop(capsys, "play", SHIPPED, "--start", "2026-01-22T19:33:00")[0] == 2  # no time zone
    assert tabletop(capsys, "play", SHIPPED, "--runbooks", tmp_path / "nowhere")[0] == 2
    assert tabletop(capsys, "play")[0] == 2


def test_resume_of_a_finished_log_changes_nothing(tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", log, "--team", TEAM)[0] == 0
    before = log.read_bytes()
    code, out, err = tabletop(capsys, "play", "--resume", log, "--team", TEAM)
    assert code == 0, err
    assert "finished at T+" in out
    assert log.read_bytes() == before


def test_resume_refuses_a_log_from_other_files(tmp_path: Path, capsys: Any) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "scenarios", copy / "scenarios")
    shutil.copytree(ROOT / "runbooks", copy / "runbooks")
    scenario = copy / "scenarios" / SHIPPED.name
    log = tmp_path / "drill.jsonl"
    assert tabletop(capsys, "play", scenario, "--log", log)[0] == 0
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:20]))  # as if play had stopped after 20 events
    scenario.write_text(scenario.read_text().replace("14:33 Eastern.", "14:33 ET."))
    code, _, err = tabletop(capsys, "play", scenario, "--resume", log)
    assert code == 4
    assert "has changed since the drill started" in err and err.count("\n") == 1


def test_a_participant_role_no_runbook_knows_is_refused(tmp_path: Path, capsys: Any) -> None:
    team = tmp_path / "t.team.yaml"
    team.write_text("team: x\nparticipants:\n  incident-comander: Dana\n")
    code, _, err = tabletop(capsys, "play", SHIPPED, "--log", tmp_path / "d.jsonl", "--team", team)
    assert code == 2
    assert f"{team}:3:3: no role 'incident-comander'" in err and "did you mean 'incident-commander'?" in err


def test_resume_says_when_a_decide_disagrees_with_the_log(tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", log)[0] == 0
    lines = log.read_bytes().splitlines(keepends=True)
    made = next(i for i, raw in enumerate(lines) if b"failover-decision" in raw and b"decision.made" in raw)
    log.write_bytes(b"".join(lines[:made + 1]))  # stopped right after the routing decision (fail-over)
    code, out, err = tabletop(capsys, "play", "--resume", log, "--decide", "failover-decision=hold")
    assert code == 0, err
    assert f"ignored: the log already has {MAIL}/failover-decision = fail-over" in err
    assert statuses(log)[f"{MAIL}/switch-mx"] is StepStatus.DONE


def test_two_different_decides_for_one_step_are_a_usage_error(tmp_path: Path, capsys: Any) -> None:
    code, _, err = tabletop(capsys, "play", SHIPPED, "--log", tmp_path / "d.jsonl",
                            "--decide", "failover-decision=hold", "--decide", f"{MAIL}/failover-decision=fail-over")
    assert code == 2 and "already decided as hold" in err


def test_resume_refuses_a_drill_from_the_console(tmp_path: Path, capsys: Any) -> None:
    from engine.drill.clock import FakeClock
    from engine.drill.session import Drill

    log = tmp_path / "live.jsonl"
    Drill.start(load_plan(str(SHIPPED)), FakeClock(), log_path=str(log), mode="live").close()
    code, _, err = tabletop(capsys, "play", "--resume", log)
    assert code == 4 and "not written by `tabletop play`" in err and err.count("\n") == 1
    assert tabletop(capsys, "play", "--resume", tmp_path / "none.jsonl")[0] == 2


OUTAGE_RUNBOOK = """\
runbook: desk
title: Keep the desk going
services:
  phones: The phone system
steps:
  call-back:
    title: Call customers back
    target: 30m
    requires: [phones]
  wrap-up:
    title: Wrap up
    target: 5m
    needs: [call-back]
"""

OUTAGE_SCENARIO = """\
scenario: phones-drop
title: The phones drop for a while
runbooks: [desk]
duration: 2h
injects:
  - id: phones-down
    at: T+10m
    services: {phones: down}
    say: Every phone line is dead.
  - id: phones-up
    at: T+1h
    services: {phones: up}
    say: The lines are back.
"""


def test_a_step_blocked_at_work_starts_its_time_again_also_after_a_resume(tmp_path: Path, capsys: Any,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from drillkit import write_plan

    write_plan(tmp_path, OUTAGE_RUNBOOK, OUTAGE_SCENARIO)
    monkeypatch.chdir(tmp_path)  # the log names the files relative to the project, so resume reads them back
    scenario = tmp_path / "scenarios" / "sc.yaml"
    whole = tmp_path / "whole.jsonl"
    assert tabletop(capsys, "play", scenario, "--log", whole)[0] == 0
    events = read_log(str(whole)).events
    done = {e.data["step"]: e.t for e in events if e.type == "step.done"}
    assert done["desk/call-back"] == 90 * 60  # back at T+1h, then its full 30 minutes
    assert done["desk/wrap-up"] == 95 * 60

    # Stop the drill while the step is blocked, or just after it went back to work, then resume: the block
    # and the restart must be remembered from the log.
    lines = whole.read_bytes().splitlines(keepends=True)
    for inject in ("phones-down", "phones-up"):
        cut = next(i for i, e in enumerate(events) if e.type == "inject.fired" and e.data["inject"] == inject)
        resumed = tmp_path / f"resumed-{inject}.jsonl"
        resumed.write_bytes(b"".join(lines[:cut + 1]))
        assert tabletop(capsys, "play", "--resume", resumed)[0] == 0
        again = {e.data["step"]: e.t for e in read_log(str(resumed)).events if e.type == "step.done"}
        assert again == done, inject
