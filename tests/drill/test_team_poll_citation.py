"""A team file's decision may cite the poll an `open-poll` entry opened (`poll: ID`): headless play writes the
poll's id into `decision.made`, as the console's decision form does; a citation that cannot hold is named at
its file:line:col before anything is played, and a poll not yet open when the decision is made is a refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from drillkit import SHIPPED, TEAM, tabletop

from engine.drill import events as ev
from engine.drill.log import read_log
from engine.drill.team import TeamError, load_team
from engine.plans import load_plan

DECIDER = "    by: incident-commander\n  posture-decision:"


def _team(tmp_path: Path, cite: str, actions: str) -> Path:
    text = TEAM.read_text(encoding="utf-8")
    assert DECIDER in text  # the shipped team file still has the shape this test edits
    path = tmp_path / "team.yaml"
    path.write_text(text.replace(DECIDER, f"    by: incident-commander\n    poll: {cite}\n  posture-decision:")
                    + "\n" + actions, encoding="utf-8")
    return path


POLL = """\
actions:
  - at: T+0:01
    join: {seat: ann, name: Ann Lee, role: incident-commander}
  - after: size-impact
    id: route
    open-poll: {decision: failover-decision, by: Priya Raman}
  - after: size-impact
    answer: {poll: route, seat: ann, answer: hold}
"""


def _play(tmp_path: Path, capsys: Any, team: Path) -> tuple[int, str, list[ev.Event]]:
    log = tmp_path / "drill.jsonl"
    code, _out, err = tabletop(capsys, "play", SHIPPED, "--team", team, "--log", log)
    return code, err, read_log(str(log)).events if log.exists() else []


def test_the_decision_cites_the_poll_its_entry_opened(tmp_path: Path, capsys: Any) -> None:
    code, err, events = _play(tmp_path, capsys, _team(tmp_path, "route", POLL))
    assert code in (0, 1) and err == "", err
    [opened] = [e for e in events if e.type == ev.POLL_OPENED]
    [made] = [e for e in events if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision")]
    assert made.data["poll"] == opened.data["poll"]
    assert made.data["option"] == "hold" and made.data["by"] == "incident-commander"
    others = [e for e in events if e.type == ev.DECISION_MADE and e is not made]
    assert others and all("poll" not in e.data for e in others)  # only the decision that cites one


def test_without_a_citation_the_decision_names_no_poll(tmp_path: Path, capsys: Any) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(TEAM.read_text(encoding="utf-8") + "\n" + POLL, encoding="utf-8")
    code, err, events = _play(tmp_path, capsys, team)
    assert code in (0, 1) and err == "", err
    assert all("poll" not in e.data for e in events if e.type == ev.DECISION_MADE)


def test_a_poll_opened_after_the_decision_cannot_be_cited_and_is_a_refusal(tmp_path: Path, capsys: Any) -> None:
    late = POLL.replace("after: size-impact\n    id: route", "at: T+9h\n    id: route").replace(
        "  - after: size-impact\n    answer", "  - at: T+9h\n    answer")
    team = _team(tmp_path, "route", late)
    code, err, events = _play(tmp_path, capsys, team)
    assert code == 2
    line = team.read_text(encoding="utf-8").splitlines().index("    poll: route") + 1
    assert f"{team}:{line}:11: `poll` not taken" in err  # the citation, at the decision's `poll:`
    assert "failover-decision was made before the poll of 'route' was opened" in err
    assert "`open-poll` not taken at T+9:00: decision inbound-mail-continuity/failover-decision is done" in err
    [made] = [e for e in events if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision")]
    assert "poll" not in made.data and made.data["option"] == "hold"  # decided all the same, citing nothing


BAD = [
    ("rout", POLL, "no `open-poll` entry in `actions:` has the id 'rout' (did you mean 'route'?)"),
    ("route", POLL.replace("decision: failover-decision", "decision: posture-decision"),
     "the poll of 'route' is on the decision"),
    ("route", "", "give the `open-poll` entry an `id`"),
]


@pytest.mark.parametrize(("cite", "actions", "message"), BAD)
def test_a_citation_that_cannot_hold_is_named_at_its_line(tmp_path: Path, cite: str, actions: str,
                                                         message: str) -> None:
    team = _team(tmp_path, cite, actions)
    line = team.read_text(encoding="utf-8").splitlines().index(f"    poll: {cite}") + 1
    with pytest.raises(TeamError) as caught:
        load_team(str(team), load_plan(str(SHIPPED)))
    assert str(caught.value).startswith(f"{team}:{line}:11: "), str(caught.value)
    assert message in str(caught.value)


EARLIER = POLL + """\
  - at: T+0:02
    id: warm-up
    open-poll: {ask: "Is everyone on the bridge?", options: ["yes", "no"]}
  - at: T+0:03
    close-poll: {poll: warm-up}
"""


def test_a_resumed_play_cites_the_poll_its_entry_opened(tmp_path: Path, capsys: Any) -> None:
    """Polls are opened in time order, not file order: the entry below (warm-up) opens the first poll. A resume
    finds each entry's poll again by what it asked, so the decision cites its own poll, not the first one."""
    team = _team(tmp_path, "route", EARLIER)
    code, err, events = _play(tmp_path, capsys, team)
    assert code in (0, 1) and err == "", err
    route = next(e.data["poll"] for e in events if e.type == ev.POLL_OPENED and "step" in e.data)
    made = next(e for e in events if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision"))
    assert made.data["poll"] == route != "poll-1"
    log = tmp_path / "drill.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:made.seq]), encoding="utf-8")  # stopped just before the decision
    code, _out, err = tabletop(capsys, "play", SHIPPED, "--team", team, "--resume", cut)
    assert code in (0, 1) and err == "", err
    [again] = [e for e in read_log(str(cut)).events
               if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision")]
    assert again.data["poll"] == route
    fork = tmp_path / "fork.jsonl"
    code, _out, err = tabletop(capsys, "play", "--from", log, "--at", f"seq:{made.seq - 1}", "--team", team,
                               "--log", fork)
    assert code in (0, 1) and err == "", err
    [forked] = [e for e in read_log(str(fork)).events
                if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision")]
    assert forked.data["poll"] == route


def test_a_fork_without_the_team_file_cites_the_parents_poll_only_if_it_repeated_its_opening(
        tmp_path: Path, capsys: Any) -> None:
    """A fork keeps the parent's decisions (option, rationale, by) and the poll a decision cited, when the fork
    repeated that poll's opening; a poll the parent opened after the fork point is not in the fork, and a poll
    of the fork's own under the same id is another poll, so neither is cited."""
    team = _team(tmp_path, "route", POLL)
    code, err, events = _play(tmp_path, capsys, team)
    assert code in (0, 1) and err == "", err
    log = tmp_path / "drill.jsonl"
    opened = next(e for e in events if e.type == ev.POLL_OPENED)
    made = next(e for e in events if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision"))
    for at, cited in ((made.seq - 1, opened.data["poll"]), (opened.seq - 1, None)):
        fork = tmp_path / f"fork-{at}.jsonl"
        code, _out, err = tabletop(capsys, "play", "--from", log, "--at", f"seq:{at}", "--log", fork)
        assert code in (0, 1), err
        [forked] = [e for e in read_log(str(fork)).events
                    if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision")]
        assert forked.data.get("poll") == cited, at
        assert forked.data["option"] == "hold" and forked.data["by"] == "incident-commander"


TWICE = """\
actions:
  - at: T+0:01
    join: {seat: ann, name: Ann Lee, role: incident-commander}
  - at: T+1:16
    id: second
    open-poll: {decision: failover-decision, by: Priya Raman}
  - at: T+1:17
    answer: {poll: second, seat: ann, answer: hold}
  - at: T+1:12
    id: first
    open-poll: {decision: failover-decision, by: Priya Raman}
  - at: T+1:15
    close-poll: {poll: first}
"""


def test_a_resume_tells_apart_two_polls_that_ask_the_same_in_the_order_they_were_opened(
        tmp_path: Path, capsys: Any) -> None:
    """Two entries poll the same decision with the same question, the later one first in the file: a resume
    gives each entry the poll it opened (the order they were taken in), so the answer and the citation go to
    the second poll, as in the play that was not stopped."""
    team = _team(tmp_path, "second", TWICE)
    code, err, events = _play(tmp_path, capsys, team)
    assert code in (0, 1) and err == "", err
    first, second = [e.data["poll"] for e in events if e.type == ev.POLL_OPENED]
    made = next(e for e in events if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision"))
    assert made.data["poll"] == second
    opened = next(e for e in events if e.type == ev.POLL_OPENED and e.data["poll"] == second)
    lines = (tmp_path / "drill.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:opened.seq + 1]), encoding="utf-8")  # stopped just after the second opened
    code, _out, err = tabletop(capsys, "play", SHIPPED, "--team", team, "--resume", cut)
    assert code in (0, 1) and err == "", err
    resumed = read_log(str(cut)).events
    assert [e.data["poll"] for e in resumed if e.type == ev.POLL_ANSWERED] == [second]
    [again] = [e for e in resumed if e.type == ev.DECISION_MADE and e.data["step"].endswith("failover-decision")]
    assert again.data["poll"] == second
