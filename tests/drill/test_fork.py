"""What-if forks (`play --from LOG --at WHEN`) and the comparison of two drills (`report --compare A B`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from drillkit import ROOT, SHIPPED, TEAM, tabletop
from test_team_actions import ACTIONS_YAML

from engine.drill.clock import format_t
from engine.drill.log import read_log

MAIL = "inbound-mail-continuity"
SAME = ("seq", "wall", "t", "type", "data")


def lines(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def body(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Every event but drill.started, without its chain hash."""
    return [tuple(e[k] for k in SAME) for e in events[1:]]


def exact(t: float) -> str:
    whole = int(t)
    return f"T+{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@pytest.fixture(scope="module")
def actions_drill(tmp_path_factory: Any) -> tuple[Path, Path]:
    """The shipped team drill with an action of every kind (corrections, ad hoc injects, module moves)."""
    folder = tmp_path_factory.mktemp("parent")
    team = folder / "team.yaml"
    team.write_text(TEAM.read_text(encoding="utf-8") + "\n" + ACTIONS_YAML, encoding="utf-8")
    log = folder / "parent.jsonl"
    from engine.cli import main

    assert main(["play", str(SHIPPED), "--team", str(team), "--log", str(log)]) == 0
    return log, team


def fork(capsys: Any, parent: Path, at: str, log: Path, *extra: Any) -> tuple[int, str, str]:
    return tabletop(capsys, "play", "--from", parent, "--at", at, "--log", log, *extra)


def test_a_fork_at_the_failover_decision_repeats_the_parent_and_names_it(tmp_path: Path, capsys: Any) -> None:
    parent, child = tmp_path / "parent.jsonl", tmp_path / "fork.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--log", parent)[0] == 0
    code, out, err = fork(capsys, parent, "T+1:10", child, "--decide", "failover-decision=fail-over")
    assert code == 0, err
    assert f"{MAIL}/failover-decision = fail-over" in out and f"fork of {parent} at T+1:10" in out
    code, out, err = tabletop(capsys, "log", "verify", child)
    assert code == 0 and out.startswith("ok: "), err
    a, b = lines(parent), lines(child)
    started = b[0]["data"]
    assert started["fork"] == {"log": str(parent), "head": read_log(str(parent)).last_hash, "at": "T+1:10"}
    assert started["mode"] == "headless"
    repeated = [e for e in a[1:] if e["t"] <= 70 * 60]
    assert body(b)[:len(repeated)] == body(a)[:len(repeated)]
    decided = next(e for e in b[len(repeated):] if e["type"] == "decision.made")
    assert decided["data"]["option"] == "fail-over"
    # The posture decision came later in the parent: the fork takes the parent's, with its rationale.
    posture = [e["data"] for log in (a, b) for e in log if e["type"] == "decision.made"
               and e["data"]["step"].endswith("posture-decision")]
    assert posture[0] == posture[1]


def test_a_fork_at_the_very_start_is_play_with_the_same_team(tmp_path: Path, capsys: Any) -> None:
    parent, child = tmp_path / "parent.jsonl", tmp_path / "fork.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--log", parent)[0] == 0
    assert fork(capsys, parent, "seq:0", child, "--team", TEAM)[0] == 0
    assert body(lines(child)) == body(lines(parent))


def test_a_fork_without_the_team_file_keeps_the_parents_decisions_and_step_times(tmp_path: Path,
                                                                                  capsys: Any) -> None:
    parent, child = tmp_path / "parent.jsonl", tmp_path / "fork.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--decide", "failover-decision=fail-over",
                    "--log", parent)[0] == 0
    assert fork(capsys, parent, "T+0", child)[0] == 0
    moves = ("step.started", "step.done", "decision.made", "inject.fired")
    strip = [(e["t"], e["type"], e["data"].get("step") or e["data"].get("inject"), e["data"].get("option"))
             for e in lines(parent) if e["type"] in moves]
    assert strip == [(e["t"], e["type"], e["data"].get("step") or e["data"].get("inject"), e["data"].get("option"))
                     for e in lines(child) if e["type"] in moves]


def test_a_decision_the_parent_let_fall_to_its_default_falls_again_in_the_fork(tmp_path: Path, capsys: Any) -> None:
    """The team takes 40m over a decision that falls to its default after 20m (`within`). The parent's step
    "took" 20m only because the clock cut it off: a fork that kept that time decided it at the limit, by the
    team file or as the parent's decision, instead of letting it fall again. --decide still decides it."""
    slow = tmp_path / "slow.yaml"
    text = TEAM.read_text(encoding="utf-8")
    assert "  failover-decision: 20m" in text
    slow.write_text(text.replace("  failover-decision: 20m", "  failover-decision: 40m"), encoding="utf-8")
    parent = tmp_path / "parent.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", slow, "--log", parent)[0] == 0
    [fell] = [e for e in lines(parent) if e["type"] == "decision.made" and e["data"].get("fell_to_default")]
    with_team, without = tmp_path / "with.jsonl", tmp_path / "without.jsonl"
    assert fork(capsys, parent, "seq:0", with_team, "--team", slow)[0] == 0
    assert body(lines(with_team)) == body(lines(parent))  # the same team file: the same drill, event for event
    assert fork(capsys, parent, "seq:0", without)[0] == 0
    assert [(e["t"], e["data"]) for e in lines(without) if e["type"] == "decision.made"
            and e["data"].get("fell_to_default")] == [(fell["t"], fell["data"])]
    decided = tmp_path / "decided.jsonl"
    assert fork(capsys, parent, "seq:0", decided, "--decide", "failover-decision=fail-over")[0] == 0
    [made] = [e["data"] for e in lines(decided) if e["type"] == "decision.made"
              and e["data"]["step"].endswith("failover-decision")]
    assert made["option"] == "fail-over" and not made.get("fell_to_default")


def test_a_fork_at_the_end_is_the_same_drill(tmp_path: Path, capsys: Any) -> None:
    parent, child = tmp_path / "parent.jsonl", tmp_path / "fork.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--log", parent)[0] == 0
    end = next(e for e in lines(parent) if e["type"] == "drill.ended")
    assert fork(capsys, parent, format_t(end["t"]), child, "--team", TEAM)[0] == 0
    assert body(lines(child)) == body(lines(parent))
    code, out, err = tabletop(capsys, "report", "--compare", parent, child, "--format", "json", "-o", "-")
    assert code == 0, err
    assert json.loads(out)["parting"]["seq"] is None


def test_forks_at_every_kind_of_event_verify_and_play_the_same_drill(actions_drill: tuple[Path, Path],
                                                                     tmp_path: Path, capsys: Any) -> None:
    """At the first event of each type (corrections, ad hoc injects, module moves ...), before and after:
    with the same team file the fork is the drill again, event for event; without it, it still verifies."""
    parent, team = actions_drill
    events = lines(parent)
    end = next(e["seq"] for e in events if e["type"] == "drill.ended")
    firsts: dict[str, int] = {}
    for e in events[:end]:
        firsts.setdefault(e["type"], e["seq"])
    assert {"decision.revised", "step.reopened", "inject.adhoc", "inject.withdrawn", "clock.jumped",
            "note.amended", "discussion.summary"} <= set(firsts)
    for kind, seq in firsts.items():
        for at in {events[seq]["t"], events[max(seq - 1, 0)]["t"]}:
            child = tmp_path / f"{kind}-{at}.jsonl"
            code, _, err = fork(capsys, parent, exact(at), child, "--team", team)
            assert code == 0, (kind, err)
            assert body(lines(child)) == body(events), kind
        bare = tmp_path / f"{kind}-bare.jsonl"
        code, _, err = fork(capsys, parent, f"seq:{seq}", bare)
        assert code in (0, 1), (kind, err)
        assert body(lines(bare))[:seq] == body(events)[:seq]
        assert tabletop(capsys, "log", "verify", bare)[0] == 0, kind


@pytest.mark.parametrize(("at", "says"), [
    ("T+99:00", "past the end of the drill"), ("seq:100000", "past the end of the drill"),
    ("seq:x", "seq:N"), ("soon", "not a duration"), ("+1h", "from T+0"),
])
def test_a_fork_point_that_is_not_in_the_drill_is_one_line_exit_2(tmp_path: Path, capsys: Any, at: str,
                                                                  says: str) -> None:
    parent, child = tmp_path / "parent.jsonl", tmp_path / "fork.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", parent)[0] == 0
    code, out, err = fork(capsys, parent, at, child)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not child.exists()


def test_an_option_the_decision_does_not_have_is_one_line_exit_2(tmp_path: Path, capsys: Any) -> None:
    parent, child = tmp_path / "parent.jsonl", tmp_path / "fork.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", parent)[0] == 0
    code, _, err = fork(capsys, parent, "T+1:00", child, "--decide", "failover-decision=pray")
    assert code == 2 and "pray" in err and len(err.strip().splitlines()) == 1
    assert not child.exists()


def test_from_and_at_go_together(tmp_path: Path, capsys: Any) -> None:
    assert tabletop(capsys, "play", SHIPPED, "--at", "T+1:00")[0] == 2
    assert tabletop(capsys, "play", "--from", tmp_path / "none.jsonl", "--at", "T+1:00")[0] == 2
    code, _, err = tabletop(capsys, "play", "--from", tmp_path / "none.jsonl")
    assert code == 2 and "--at" in err


def test_compare_says_where_a_fork_parts_and_the_decision_behind_it(tmp_path: Path, capsys: Any) -> None:
    parent, child = tmp_path / "parent.jsonl", tmp_path / "fork.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--log", parent)[0] == 0
    assert fork(capsys, parent, "T+1:10", child, "--decide", "failover-decision=fail-over")[0] == 0
    code, out, err = tabletop(capsys, "report", "--compare", parent, child, "--format", "json", "-o", "-")
    assert code == 0, err
    data = json.loads(out)
    assert data["parting"]["decision"] == f"{MAIL}/failover-decision"
    assert data["parting"]["options"] == ["hold", "fail-over"]
    steps = {key: (a, b) for key, a, b in data["steps"]}
    assert steps[f"{MAIL}/switch-mx"] == ("skipped", "done") and steps[f"{MAIL}/watch-queues"] == ("done", "skipped")
    assert ["customer-escalation", "A"] in data["injects"] and ["relay-spool-alarm", "B"] in data["injects"]
    assert data["b"]["fork"]["at"] == "T+1:10"
    code, md, _ = tabletop(capsys, "report", "--compare", parent, child, "--format", "md", "-o", "-")
    assert code == 0 and "The decision behind it: inbound-mail-continuity/failover-decision, hold in A" in md
    code, html, _ = tabletop(capsys, "report", "--compare", parent, child, "--format", "html", "-o", "-")
    assert code == 0 and "<h2>Injects fired in one drill only</h2>" in html


def test_compare_refuses_a_log_of_another_scenario_in_one_line_exit_2(tmp_path: Path, capsys: Any) -> None:
    mine, other = tmp_path / "mine.jsonl", tmp_path / "other.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", mine)[0] == 0
    assert tabletop(capsys, "play", ROOT / "scenarios" / "m365-network-provider-2026-01-21.yaml",
                    "--log", other)[0] in (0, 1)
    code, out, err = tabletop(capsys, "report", "--compare", mine, other, "--format", "md", "-o", "-")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "scenario" in err


def test_compare_of_two_live_style_drills_of_one_scenario(tmp_path: Path, capsys: Any) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--log", a)[0] == 0
    assert tabletop(capsys, "play", SHIPPED, "--log", b, "--decide", "failover-decision=hold")[0] == 0
    code, out, err = tabletop(capsys, "report", "--compare", a, b, "--format", "json", "-o", "-")
    assert code == 0, err
    assert json.loads(out)["parting"]["options"] == ["fail-over", "hold"]


def test_explore_from_a_moment_of_a_drill_plays_only_the_decisions_still_open(tmp_path: Path, capsys: Any) -> None:
    parent = tmp_path / "parent.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--log", parent)[0] == 0
    code, out, err = tabletop(capsys, "explore", "--from", parent, "--at", "T+0")
    assert code == 0, err
    assert "explored 4 paths, every path of decisions" in out  # both decisions open: 2 x 2
    code, out, err = tabletop(capsys, "explore", "--from", parent, "--at", "T+1:10")
    assert code == 0, err
    assert "explored 2 paths, every path of decisions" in out  # the posture decision was made at T+1:10
    code, out, err = tabletop(capsys, "explore", "--from", parent, "--at", "T+99:00")
    assert code == 2 and "past the end" in err and len(err.strip().splitlines()) == 1
    assert tabletop(capsys, "explore", "--at", "T+1:00")[0] == 2


def test_the_what_if_the_console_offers_forks_at_a_decision_the_other_way(tmp_path: Path, capsys: Any) -> None:
    import shlex

    from engine.drill.fork import what_if
    from engine.drill.replay import replay
    from engine.plans import load_plan

    parent = tmp_path / "parent.jsonl"
    assert tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--log", parent)[0] == 0
    commands = what_if(replay(load_plan(str(SHIPPED)), read_log(str(parent))), str(parent))
    assert commands is not None
    fork_cmd, compare_cmd = (shlex.split(c)[1:] for c in commands)
    assert tabletop(capsys, *fork_cmd)[0] == 0
    code, out, err = tabletop(capsys, *compare_cmd)
    assert code == 0, err
    assert "The decision behind it: security-telemetry-gap/posture-decision, raise-posture in A and accept-gap" in out
