"""`tabletop explore`: every path of decisions played against the scenario, stuck paths as findings.

Rules tested here (the fixture corpus runs validate, which never plays a drill):
explore-deadlock, explore-blocked-forever, explore-unfinished.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.drill.explore import explore as explore_plan
from engine.drill.explore import fork_by_copy, fork_by_deepcopy, fork_by_refold
from engine.drill.state import StepStatus
from engine.explore_findings import StepLocator, findings
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"

# `route=call` takes the phones down for good under `call-customers` (no fallback);
# `route=email` rings an alarm whose step needs the fallback of an event branch no inject opens.
DESK = """\
runbook: desk
title: Keep the service desk going
services:
  crm: Customer relationship management system
  phones: The phone system
steps:
  triage:
    title: Triage the first reports
    target: 10m
  route:
    title: Decide how to reach customers
    needs: [triage]
    target: 5m
    decision:
      question: Email customers or call them?
      options:
        email: {label: Email, next: [send-email]}
        call: {label: Call, next: [call-customers]}
  send-email:
    title: Email the customers
  call-customers:
    title: Call the customers
    requires: [phones]
  answer-alarm:
    title: Answer the alarm
    on: alarm
    needs: [phone-tree]
  handle-escalation:
    title: Handle an escalation
    on: escalation
    requires: [crm]
    fallback: phone-tree
  phone-tree:
    title: Run the phone tree from the printed list
"""

DESK_DAY = """\
scenario: desk-day
title: A bad day at the desk
runbooks: [desk]
duration: 2h
injects:
  - id: alarm-rings
    after: {decision: route, option: email}
    at: +10m
    event: alarm
  - id: phones-die
    after: {decision: route, option: call}
    at: +1m
    services: {phones: down}
"""

# Everything comes right in the end: the phones come back, the escalation comes on both paths.
DESK_DAY_FIXED = DESK_DAY + """\
  - id: phones-back
    at: T+1h
    services: {phones: up}
  - id: escalation-call
    at: T+1h30m
    event: escalation
"""

# One step far longer than the exercise: still running a day after the 1h duration.
LONG = """\
runbook: long-haul
title: A very long piece of work
steps:
  start:
    title: Start
    target: 10m
  rebuild:
    title: Rebuild the archive from tape
    needs: [start]
    target: 40h
"""

LONG_DAY = """\
scenario: long-day
title: A long day
runbooks: [long-haul]
duration: 1h
injects:
  - id: kickoff
    at: T+0m
    say: Begin.
"""


def project(tmp_path: Path, runbooks: dict[str, str], scenario: str, name: str = "day") -> Path:
    (tmp_path / "runbooks").mkdir(exist_ok=True)
    (tmp_path / "scenarios").mkdir(exist_ok=True)
    for rb, text in runbooks.items():
        (tmp_path / "runbooks" / f"{rb}.yaml").write_text(text, encoding="utf-8")
    path = tmp_path / "scenarios" / f"{name}.yaml"
    path.write_text(scenario, encoding="utf-8")
    return path


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=cwd, capture_output=True, text=True,
                          env={**full_env, "PYTHONPATH": str(ROOT)})


def explored(scenario: Path, **kwargs: object) -> tuple[list, list]:  # type: ignore[type-arg]
    plan = load_plan(str(scenario))
    exploration = explore_plan(plan, **kwargs)  # type: ignore[arg-type]
    ends = list(exploration)
    return ends, findings(exploration, ends, StepLocator(plan))


# ----- the shipped scenario -----

def test_shipped_scenario_explores_clean_on_every_path() -> None:
    out = run("explore", str(SHIPPED.relative_to(ROOT)), cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no problems" in out.stdout
    # its two decisions cannot influence each other: 1 + 1 + 1 paths stand for the 2 x 2
    assert ("explored 3 paths standing for all 4 paths of decisions: 2 groups of decisions that cannot "
            "influence each other (2^2 paths)") in out.stdout
    assert "4 finish, 0 cannot finish, 0 still running a day late; 4 distinct end states" in out.stdout


@pytest.mark.parametrize("scenario", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_finishes_on_every_path(scenario: Path) -> None:
    ends, found = explored(scenario)
    assert found == []
    assert ends and all(e.finished for e in ends)


def test_shipped_paths_are_the_four_combinations_of_its_two_decisions() -> None:
    ends, found = explored(SHIPPED, independent=False)
    assert found == []
    assert [[(d.split("/")[1], o) for d, o in e.choices] for e in ends] == [
        [("failover-decision", "fail-over"), ("posture-decision", "raise-posture")],
        [("failover-decision", "fail-over"), ("posture-decision", "accept-gap")],
        [("failover-decision", "hold"), ("posture-decision", "raise-posture")],
        [("failover-decision", "hold"), ("posture-decision", "accept-gap")],
    ]
    assert all(e.finished for e in ends)
    # the branch not taken is skipped, the one taken done
    hold = ends[2].statuses
    assert hold["inbound-mail-continuity/watch-queues"] is StepStatus.DONE
    assert hold["inbound-mail-continuity/switch-mx"] is StepStatus.SKIPPED
    assert ends[0].statuses["inbound-mail-continuity/switch-mx"] is StepStatus.DONE
    # grouped (the default): each decision's other option is played with the other at its first
    grouped, grouped_found = explored(SHIPPED)
    assert grouped_found == []
    assert [e.choices for e in grouped] == [ends[0].choices, ends[1].choices, ends[2].choices]
    assert [e.group for e in grouped] == [None, 1, 0]


def test_the_limit_stops_exploring_and_says_exactly_what_was_left() -> None:
    out = run("explore", str(SHIPPED.relative_to(ROOT)), "--limit", "1", cwd=ROOT)
    assert out.returncode == 0  # a warning: only --strict fails on it
    assert ("explored 2 paths, not every path: the search stopped at --limit 1 with 2 branches not followed "
            "(at `failover-decision` (1), `posture-decision` (1)), then played 1 more so that each option met "
            "was played; raise --limit") in out.stdout
    assert "every option of every decision was played on some path" in out.stdout
    assert "[explore-incomplete]" in out.stdout
    assert "tabletop: warning: explored 2 paths, not every path" in out.stderr
    strict = run("explore", str(SHIPPED.relative_to(ROOT)), "--limit", "1", "--strict", cwd=ROOT)
    assert strict.returncode == 1
    complete = run("explore", str(SHIPPED.relative_to(ROOT)), "--strict", cwd=ROOT)
    assert complete.returncode == 0 and "explore-incomplete" not in complete.stdout


def test_a_cut_search_plays_every_option_of_every_decision_it_meets(tmp_path: Path) -> None:
    """Depth first, a limit of 8 on 16 decisions in a row varies only the last three; the covering
    paths after it play the other option of each of the first thirteen too."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    from engine.drill.explore import explore
    from engine.plans import load_plan

    plan = load_plan(str(workloads.interacting(tmp_path / "plan", 16)))
    exploration = explore(plan, 8)
    ends = list(exploration)
    assert exploration.truncated and exploration.unexplored > 0
    assert exploration.unplayed() == []
    assert all(exploration.played[key] == {"left", "right"} for key, s in plan.steps.items() if s.options)
    assert len(ends) == exploration.paths == 8 + exploration.covering
    assert exploration.covering <= 16


# ----- the rules -----

def test_a_service_that_never_comes_back_leaves_its_step_blocked_forever(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # findings name files as the user would: relative to where they stand
    ends, found = explored(project(tmp_path, {"desk": DESK}, DESK_DAY))
    call = next(e for e in ends if ("desk/route", "call") in e.choices)
    assert call.blocked == ("desk/call-customers",) and not call.finished
    blocked = [f for f in found if f.rule == "explore-blocked-forever"]
    assert len(blocked) == 1
    f = blocked[0]
    assert (f.path, f.line, f.column) == ("runbooks/desk.yaml", 21, 3)  # the `call-customers:` key
    assert f.message.startswith("on the path route=call, step `call-customers` is still blocked")
    assert "`phones` is down and never comes back, and it has no fallback" in f.message
    assert f.severity.value == "error"


def test_a_step_needing_a_branch_nobody_opens_is_a_deadlock_on_that_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ends, found = explored(project(tmp_path, {"desk": DESK}, DESK_DAY))
    email = next(e for e in ends if ("desk/route", "email") in e.choices)
    assert email.waiting == ("desk/answer-alarm",) and email.roots == ("desk/answer-alarm",)
    deadlock = [f for f in found if f.rule == "explore-deadlock"]
    assert len(deadlock) == 1
    f = deadlock[0]
    assert (f.path, f.line) == ("runbooks/desk.yaml", 24)
    assert f.message.startswith("on the path route=email, the drill cannot finish: step `answer-alarm` "
                                "waits for `phone-tree`")
    assert "event `escalation`, which never comes" in f.message


def test_when_the_scenario_brings_service_and_event_back_every_path_finishes(tmp_path: Path) -> None:
    ends, found = explored(project(tmp_path, {"desk": DESK}, DESK_DAY_FIXED))
    assert found == []
    assert [e.finished for e in ends] == [True, True]
    call = next(e for e in ends if ("desk/route", "call") in e.choices)
    assert call.statuses["desk/call-customers"] is StepStatus.DONE


def test_a_drill_still_running_a_day_after_its_duration_is_unfinished(tmp_path: Path) -> None:
    ends, found = explored(project(tmp_path, {"long-haul": LONG}, LONG_DAY))
    assert [e.cut_off for e in ends] == [True]
    assert [(f.rule, f.line, f.severity.value) for f in found] == [("explore-unfinished", 7, "warning")]
    assert "still running at T+25:00, a day past the scenario's 1h" in found[0].message
    assert "`rebuild` (active)" in found[0].message


def test_a_problem_on_every_path_says_so_instead_of_naming_one(tmp_path: Path) -> None:
    _, found = explored(project(tmp_path, {"long-haul": LONG}, LONG_DAY))
    assert found[0].message.startswith("on every path, ")


def test_a_problem_on_several_paths_is_reported_once_with_the_count(tmp_path: Path) -> None:
    # a second decision before the phones fail doubles the paths that end with them down
    runbook = DESK.replace("  send-email:", """\
  tone:
    title: Pick the tone of the notice
    needs: [triage]
    target: 1m
    decision:
      question: Formal or friendly?
      options:
        formal: {label: Formal, next: [formal-notice]}
        friendly: {label: Friendly, next: [friendly-notice]}
  formal-notice:
    title: Send the formal notice
  friendly-notice:
    title: Send the friendly notice
  send-email:""")
    scenario = project(tmp_path, {"desk": runbook}, DESK_DAY)
    every, every_found = explored(scenario, independent=False)
    ends, found = explored(scenario)
    assert (len(every), len(ends)) == (4, 3)  # tone and route cannot influence each other
    blocked = [f for f in found if f.rule == "explore-blocked-forever"]
    assert len(blocked) == 1
    assert blocked[0].message.startswith("on the path tone=formal, route=call (and 1 other path), ")
    assert found == every_found


def test_every_way_of_forking_a_path_gives_the_same_paths(tmp_path: Path) -> None:
    scenario = project(tmp_path, {"desk": DESK}, DESK_DAY_FIXED)
    for path in (scenario, SHIPPED):
        refold, found = explored(path, fork=fork_by_refold)
        for fork in (fork_by_deepcopy, fork_by_copy):
            other, other_found = explored(path, fork=fork)
            assert [(e.choices, e.t, e.statuses, e.reasons) for e in other] == \
                [(e.choices, e.t, e.statuses, e.reasons) for e in refold]
            assert other_found == found


def test_a_step_blocked_at_work_starts_its_time_again_when_its_service_returns(tmp_path: Path) -> None:
    runbook = """\
runbook: mail
title: Mail
services:
  mx: The mail exchanger
steps:
  drain:
    title: Drain the queue
    requires: [mx]
    target: 1h
"""
    scenario = """\
scenario: flap
title: The exchanger flaps
runbooks: [mail]
injects:
  - id: down
    at: T+30m
    services: {mx: down}
  - id: up
    at: T+2h
    services: {mx: up}
"""
    ends, found = explored(project(tmp_path, {"mail": runbook}, scenario))
    assert found == [] and ends[0].finished
    assert ends[0].t == 3 * 3600  # back at T+2h, then its full hour


# ----- the command: formats, exit codes, settings -----

def test_findings_fail_the_run_with_exit_1_in_text(tmp_path: Path) -> None:
    project(tmp_path, {"desk": DESK}, DESK_DAY)
    out = run("explore", "scenarios/day.yaml", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("runbooks/desk.yaml:21:3: error: on the path route=call")
    assert lines[0].endswith("[explore-blocked-forever]")
    assert "explored 2 paths, every path of decisions" in out.stdout
    assert "0 finish, 2 cannot finish" in out.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_every_ci_format_carries_the_findings_and_keeps_stdout_clean(tmp_path: Path, fmt: str) -> None:
    project(tmp_path, {"desk": DESK}, DESK_DAY)
    out = run("explore", "scenarios/day.yaml", "--format", fmt, cwd=tmp_path)
    assert out.returncode == 1
    assert "explored 2 paths" in out.stderr and "explored" not in out.stdout
    if fmt == "json":
        doc = json.loads(out.stdout)
        assert {f["rule"] for f in doc["findings"]} == {"explore-deadlock", "explore-blocked-forever"}
        assert doc["summary"]["errors"] == 2
    elif fmt == "sarif":
        doc = json.loads(out.stdout)
        results = doc["runs"][0]["results"]
        assert {r["ruleId"] for r in results} == {"explore-deadlock", "explore-blocked-forever"}
    elif fmt == "junit":
        assert "explore-deadlock" in out.stdout and out.stdout.startswith("<?xml")
    else:
        assert out.stdout.startswith("::error file=runbooks/desk.yaml,line=21,col=3,title=explore-blocked-forever::")


def test_output_file_gets_the_findings_and_stdout_the_summary(tmp_path: Path) -> None:
    project(tmp_path, {"desk": DESK}, DESK_DAY)
    out = run("explore", "scenarios/day.yaml", "--format", "sarif", "-o", "explore.sarif", cwd=tmp_path)
    assert out.returncode == 1
    assert json.loads((tmp_path / "explore.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "explored 2 paths" in out.stdout


def test_an_ignore_comment_on_the_step_and_settings_silence_or_soften_findings(tmp_path: Path) -> None:
    silenced = DESK.replace("  call-customers:\n", "  call-customers:  # tabletop: ignore[explore-blocked-forever]\n")
    project(tmp_path, {"desk": silenced}, DESK_DAY)
    (tmp_path / "tabletop.toml").write_text('severity = { explore-deadlock = "warning" }\n', encoding="utf-8")
    out = run("explore", "scenarios/day.yaml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout
    assert "explore-blocked-forever" not in out.stdout
    assert "warning: on the path route=email" in out.stdout
    strict = run("explore", "scenarios/day.yaml", "--strict", cwd=tmp_path)
    assert strict.returncode == 1


def test_warnings_alone_exit_0_unless_strict(tmp_path: Path) -> None:
    project(tmp_path, {"long-haul": LONG}, LONG_DAY)
    assert run("explore", "scenarios/day.yaml", cwd=tmp_path).returncode == 0
    assert run("explore", "scenarios/day.yaml", "--strict", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(("args", "message"), [
    (["scenarios/nowhere.yaml"], "scenarios/nowhere.yaml: no such file"),
    (["scenarios/day.yaml", "--runbooks", "missing"], "missing: no such folder"),
    (["scenarios/day.yaml", "--limit", "0"], "must be at least 1"),
    (["scenarios/day.yaml", "--limit", "many"], "is not a whole number"),
    (["scenarios/day.yaml", "--config", "nope.toml"], "nope.toml: no such settings file"),
])
def test_usage_mistakes_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    project(tmp_path, {"desk": DESK}, DESK_DAY)
    out = run("explore", *args, cwd=tmp_path)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_a_broken_scenario_exits_3_and_shows_its_findings(tmp_path: Path) -> None:
    project(tmp_path, {"desk": DESK}, "scenario: broken\ntitle: [unclosed\n")
    out = run("explore", "scenarios/day.yaml", cwd=tmp_path)
    assert out.returncode == 3
    assert "[yaml-syntax]" in out.stdout
    assert out.stderr.startswith("tabletop: error: ") and "nothing explored" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_scenario_naming_a_missing_runbook_exits_3(tmp_path: Path) -> None:
    project(tmp_path, {"desk": DESK}, DESK_DAY.replace("runbooks: [desk]", "runbooks: [desk, gone]"))
    out = run("explore", "scenarios/day.yaml", cwd=tmp_path)
    assert out.returncode == 3
    assert "[unknown-runbook]" in out.stdout and "`gone`" in out.stdout
    assert "nothing explored" in out.stderr and "Traceback" not in out.stderr


def test_runbooks_folder_can_be_given(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "desk.yaml").write_text(DESK, encoding="utf-8")
    (tmp_path / "day.yaml").write_text(DESK_DAY_FIXED, encoding="utf-8")
    out = run("explore", "day.yaml", "--runbooks", "elsewhere", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "explored 2 paths" in out.stdout
