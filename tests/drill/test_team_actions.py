"""The team file's `actions:`: each action a facilitator takes in the console or the room, scripted for
`tabletop play`, lands in the log as its event; a mistake in one is named at its file:line:col."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from drillkit import SHIPPED, TEAM, tabletop

from engine.drill import events as ev
from engine.drill.log import read_log
from engine.drill.team import TeamError, load_team
from engine.drill.team_actions import ACTIONS
from engine.plans import load_plan

ACTIONS_YAML = """\
actions:
  - at: T+0:10
    skip: {step: risk-acceptance, reason: out of scope today}
  - after: failover-decision
    id: hold-note
    observation: {text: The hold was called fast., step: failover-decision, objective: route-decision, by: Eve}
  - after: failover-decision
    revise: {decision: failover-decision, option: fail-over, reason: The relay is ready after all., by: ic}
  - after: failover-decision
    amend-decision: {decision: failover-decision, rationale: Relay tested this morning, decided_by: Dana,
                     reason: The rationale was filed as the decider, by: ic}
  - after: failover-decision
    amend-note: {note: hold-note, text: 'The hold was called fast, then revised.', by: Eve}
  - at: T+1h
    id: ceo
    adhoc: {say: The CEO asks for an update., to: [incident-commander], services: {teams: degraded}, by: Sam}
  - at: T+1h1m
    withdraw-inject: {inject: ceo, reason: read out by mistake, by: Sam}
  - at: T+1h2m
    set-service: {service: sharepoint-onedrive, health: degraded}
  - at: T+1h4m
    id: gist
    summary: {module: mail-stops, question: when-fail-over, text: Hold while the gateway queues., by: Sam}
  - at: T+1h5m
    amend-summary: {summary: gist, text: 'Hold while the gateway queues; fail over at 24h.'}
  - at: T+1h6m
    strength: {text: Calm bridge., by: Eve}
  - at: T+1h7m
    improvement: {text: No printed numbers., action: Print them., element: planning, owner: Kerry, due: 2026-03-01}
  - at: T+1h8m
    next-module:
  - after: detect-deferrals
    tick: {step: detect-deferrals, item: 2}
  - after: detect-deferrals
    reopen: {step: detect-deferrals, reason: the probe result was not logged, by: Sam}
  - at: T+2h
    withdraw-note: {note: hold-note, reason: a duplicate}
  - at: T+3h
    jump: {to: T+3h30m}
  - at: T+4h
    open-feedback: {by: Sam}
  - at: T+4h1m
    feedback: {ratings: {realistic: 4}, answers: {strengths: The bridge.}, respondent: r1, name: Ann}
  - at: T+4h2m
    close-feedback: {}
  - at: end
    open-feedback: {}
  - at: end
    feedback: {ratings: {realistic: 5}, respondent: r2}
  - at: T+4h3m
    id: gist2
    summary: {module: long-evening, question: do-we-freeze-changes, text: Freeze all but fixes.}
  - at: T+4h4m
    withdraw-summary: {summary: gist2, reason: recorded under the wrong question}
  - at: T+4h5m
    fire: {inject: defender-partial}
  - at: T+0:01
    join: {seat: ann-1, name: Ann, role: incident-commander}
  - at: T+0:02
    leave: {seat: ann-1}
  - at: T+0:03
    join: {seat: bo-2, name: Bo, role: messaging-lead}
  - after: size-impact
    id: route-poll
    open-poll: {decision: failover-decision, by: Sam}
  - after: size-impact
    answer: {poll: route-poll, seat: bo-2, answer: fail-over}
  - after: size-impact
    answer: {poll: route-poll, seat: bo-2, answer: hold}
  - after: size-impact
    reveal-poll: {poll: route-poll}
  - after: size-impact
    close-poll: {poll: route-poll, by: Sam}
  - after: size-impact
    id: bo-says
    propose: {seat: bo-2, decision: failover-decision, option: hold, text: The gateway queues for four days.}
  - after: size-impact
    take-proposal: {proposal: bo-says, by: Sam}
"""

EXPECTED = {  # action -> the event it writes
    "observation": ev.NOTE, "revise": ev.DECISION_REVISED, "amend-note": ev.NOTE_AMENDED, "adhoc": ev.INJECT_ADHOC,
    "withdraw-inject": ev.INJECT_WITHDRAWN, "set-service": ev.SERVICE_CHANGED, "withdraw-note": ev.NOTE_WITHDRAWN,
    "summary": ev.DISCUSSION_SUMMARY, "amend-summary": ev.DISCUSSION_AMENDED, "strength": ev.NOTE,
    "improvement": ev.NOTE, "next-module": ev.CLOCK_JUMPED, "reopen": ev.STEP_REOPENED, "jump": ev.CLOCK_JUMPED,
    "open-feedback": ev.FEEDBACK_OPENED, "feedback": ev.FEEDBACK_SUBMITTED, "close-feedback": ev.FEEDBACK_CLOSED,
    "withdraw-summary": ev.DISCUSSION_WITHDRAWN, "fire": ev.INJECT_FIRED, "tick": ev.CHECK_TICKED,
    "skip": ev.STEP_SKIPPED, "join": ev.SEAT_JOINED, "leave": ev.SEAT_LEFT,
    "amend-decision": ev.DECISION_AMENDED, "open-poll": ev.POLL_OPENED, "answer": ev.POLL_ANSWERED,
    "reveal-poll": ev.POLL_REVEALED, "close-poll": ev.POLL_CLOSED, "propose": ev.PROPOSAL_MADE,
    "take-proposal": ev.PROPOSAL_TAKEN,
}


def _team(tmp_path: Path, actions: str) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(TEAM.read_text(encoding="utf-8") + "\n" + actions, encoding="utf-8")
    return path


def _play(tmp_path: Path, capsys: Any, actions: str) -> tuple[int, str, list[ev.Event]]:
    log = tmp_path / "drill.jsonl"
    code, out, err = tabletop(capsys, "play", SHIPPED, "--team", _team(tmp_path, actions), "--log", log)
    return code, err, read_log(str(log)).events if log.exists() else []


def test_every_action_lands_in_the_log_as_its_event(tmp_path: Path, capsys: Any) -> None:
    code, err, events = _play(tmp_path, capsys, ACTIONS_YAML)
    assert code in (0, 1), err  # finished or deadlocked, but no action refused
    assert err == ""
    by = {e.seq: e for e in events}
    assert {EXPECTED[a] for a in EXPECTED} <= {e.type for e in events}
    revised = next(e for e in events if e.type == ev.DECISION_REVISED)
    assert revised.data["option"] == "fail-over" and revised.data["step"] == "inbound-mail-continuity/failover-decision"
    note = next(e for e in events if e.type == ev.NOTE and e.data["kind"] == "observation"
                and e.data["text"] == "The hold was called fast.")
    assert note.data["objective"] == "inbound-mail-continuity/route-decision"
    amended = next(e for e in events if e.type == ev.NOTE_AMENDED)
    withdrawn = next(e for e in events if e.type == ev.NOTE_WITHDRAWN)
    assert amended.data["note"] == withdrawn.data["note"] == note.seq  # the `id:` refers to that note
    adhoc = next(e for e in events if e.type == ev.INJECT_ADHOC)
    assert next(e for e in events if e.type == ev.INJECT_WITHDRAWN).data["inject"] == adhoc.data["inject"]
    assert adhoc.data["to"] == ["incident-commander"] and adhoc.data["services"] == {"teams": "degraded"}
    summary = next(e for e in events if e.type == ev.DISCUSSION_SUMMARY)
    assert next(e for e in events if e.type == ev.DISCUSSION_AMENDED).data["summary"] == summary.seq
    assert by[next(e for e in events if e.type == ev.DISCUSSION_WITHDRAWN).data["summary"]].data["question"] == \
        "do-we-freeze-changes"
    improvement = next(e for e in events if e.type == ev.NOTE and e.data["kind"] == "improvement"
                       and e.data["text"] == "No printed numbers.")
    assert (improvement.data["element"], improvement.data["owner"]) == ("planning", "Kerry")
    jumps = [e.data["to"] for e in events if e.type == ev.CLOCK_JUMPED]
    assert jumps[:2] == [5400, 12600]  # next-module: to Module 2's start, T+1:30; then the jump to T+3:30
    skipped = next(e for e in events if e.type == ev.STEP_SKIPPED)
    assert skipped.data["step"] == "security-telemetry-gap/risk-acceptance" and skipped.t == 600
    ticked = next(e for e in events if e.type == ev.CHECK_TICKED)
    assert (ticked.data["step"], ticked.data["item"]) == ("inbound-mail-continuity/detect-deferrals", 1)
    after_end = [e.type for e in events[next(i for i, e in enumerate(events) if e.type == ev.ENDED):]]
    assert after_end[-2:] == [ev.FEEDBACK_OPENED, ev.FEEDBACK_SUBMITTED]  # `at: end`: after the hot wash
    reopened = next(e for e in events if e.type == ev.STEP_REOPENED)
    assert reopened.data["step"] == "inbound-mail-continuity/detect-deferrals"
    assert [e.data["inject"] for e in events if e.type == ev.INJECT_FIRED and e.data.get("manual")] == \
        ["defender-partial"]
    joined = next(e for e in events if e.type == ev.SEAT_JOINED)
    assert joined.data == {"seat": "ann-1", "name": "Ann", "role": "incident-commander"} and joined.t == 60
    assert next(e for e in events if e.type == ev.SEAT_LEFT).data == {"seat": "ann-1"}
    opened = next(e for e in events if e.type == ev.POLL_OPENED)
    assert opened.data == {"poll": "poll-1", "text": "Point inbound mail at the secondary MX relay now, or hold and "
                           "let retry queues carry it?", "options": ["fail-over", "hold"],
                           "step": "inbound-mail-continuity/failover-decision", "by": "Sam"}
    assert next(e for e in events if e.type == ev.POLL_CLOSED).data == {
        "poll": "poll-1", "tally": {"fail-over": 0, "hold": 1}, "answered": 1, "by": "Sam"}  # the later answer
    proposal = next(e for e in events if e.type == ev.PROPOSAL_MADE)
    assert next(e for e in events if e.type == ev.PROPOSAL_TAKEN).data == {"proposal": proposal.seq, "by": "Sam"}


def test_the_log_the_actions_write_verifies_and_replays(tmp_path: Path, capsys: Any) -> None:
    _play(tmp_path, capsys, ACTIONS_YAML)
    code, out, err = tabletop(capsys, "log", "verify", tmp_path / "drill.jsonl", "--scenario", SHIPPED)
    assert code == 0, out + err


def test_every_action_of_the_table_is_in_the_test() -> None:
    assert set(ACTIONS) == set(EXPECTED)


def test_an_action_the_drill_refuses_is_named_at_its_entry_and_exits_2(tmp_path: Path, capsys: Any) -> None:
    actions = "actions:\n  - at: T+0:05\n    reopen: {step: size-impact, reason: too early}\n"
    code, err, events = _play(tmp_path, capsys, actions)
    team = tmp_path / "team.yaml"
    line = team.read_text(encoding="utf-8").splitlines().index("  - at: T+0:05") + 1
    assert code == 2
    assert f"{team}:{line}:5: `reopen` not taken at T+0:05: step inbound-mail-continuity/size-impact is" in err
    assert events[-1].type in (ev.ENDED, ev.HOTWASH_ANSWER, ev.RATING)  # the log is whole all the same


BAD = [
    ("  - at: T+1h\n    revise: {decision: failover-decision, option: fail-overr, reason: x}\n",
     2, 51, "failover-decision has no option 'fail-overr' (did you mean 'fail-over'?)"),
    ("  - at: T+1h\n    revise: {decision: failover, option: hold, reason: x}\n",
     2, 24, "no decision 'failover'"),
    ("  - at: T+1h\n    revise: {decision: failover-decision, option: hold}\n",
     2, 13, "`revise.reason` is required but missing"),
    ("  - at: T+1h\n    reopen: {step: size-impact, reason: x, who: me}\n",
     2, 44, "unknown key 'who'; allowed here: by, reason, step"),
    ("  - at: T+1h\n    revize: {decision: failover-decision}\n",
     2, 5, "unknown action 'revize' (did you mean 'revise'?)"),
    ("  - revise: {decision: failover-decision, option: hold, reason: x}\n",
     1, 5, "either `at` a scenario time or `after` a step"),
    ("  - at: +30m\n    jump: {to: T+2h}\n", 1, 9, "an action's `at` is a scenario time from the start"),
    ("  - at: T+1h\n    amend-note: {note: nope, text: x}\n", 2, 24, "no earlier entry with id 'nope' recorded a note"),
    ("  - at: T+1h\n    withdraw-inject: {inject: ceo, reason: x}\n", 2, 31, "no inject 'ceo'"),
    ("  - at: T+1h\n    set-service: {service: relay, health: down}\n", 2, 28, "no service 'relay'"),
    ("  - at: T+1h\n    set-service: {service: teams, health: gone}\n", 2, 43, "`set-service.health`"),
    ("  - at: T+1h\n    summary: {module: mail-stops, question: when, text: x}\n", 2, 45,
     "module mail-stops has no question 'when'"),
    ("  - at: T+1h\n    id: x\n    jump: {to: T+2h}\n", 2, 9, "`jump` records nothing a later entry can refer to"),
    ("  - at: T+1h\n    jump: {to: T+2h}\n    fire: {inject: report-peak}\n", 3, 5, "exactly one action"),
    ("  - after: nowhere\n    jump: {to: T+2h}\n", 1, 12, "no step 'nowhere'"),
    ("  - at: T+1h\n    adhoc: {say: x, to: [ceo]}\n", 2, 26, "no role 'ceo'"),
    ("  - at: T+1h\n    tick: {step: detect-deferrals, item: 9}\n", 2, 42, "there is no item 9"),
    ("  - at: T+1h\n    open-poll: {decision: failover}\n", 2, 27, "no decision 'failover'"),
    ("  - at: T+1h\n    close-poll: {poll: nope}\n", 2, 24, "no earlier entry with id 'nope' recorded a poll"),
    ("  - at: T+1h\n    propose: {seat: a, option: hold, text: x}\n", 2, 32, "an option goes with the decision"),
    ("  - at: T+1h\n    open-poll: {module: mail-stops, question: when}\n", 2, 47,
     "module mail-stops has no question 'when'"),
]


@pytest.mark.parametrize(("entry", "line", "col", "message"), BAD)
def test_a_mistake_in_an_action_is_named_at_its_file_line_col(tmp_path: Path, entry: str, line: int, col: int,
                                                            message: str) -> None:
    plan = load_plan(str(SHIPPED))
    path = tmp_path / "team.yaml"
    path.write_text("team: t\nactions:\n" + entry, encoding="utf-8")
    with pytest.raises(TeamError) as caught:
        load_team(str(path), plan)
    assert str(caught.value).startswith(f"{path}:{line + 2}:{col}: "), str(caught.value)
    assert message in str(caught.value)


def test_play_exits_2_on_a_bad_action(tmp_path: Path, capsys: Any) -> None:
    code, err, events = _play(tmp_path, capsys, "actions:\n  - at: T+1h\n    revize: {}\n")
    assert code == 2 and "unknown action 'revize'" in err and events == []


def test_a_resumed_play_takes_the_rest_of_the_actions_and_finds_the_ids_taken_before(tmp_path: Path,
                                                                                    capsys: Any) -> None:
    _play(tmp_path, capsys, ACTIONS_YAML)
    whole = (tmp_path / "drill.jsonl").read_bytes().splitlines(keepends=True)
    events = read_log(str(tmp_path / "drill.jsonl")).events
    cut = next(e.seq for e in events if e.t >= 7200)  # before T+2h: the note is in, its withdrawal is not
    log = tmp_path / "cut.jsonl"
    log.write_bytes(b"".join(whole[:cut]))
    code, out, err = tabletop(capsys, "play", "--resume", log, "--team", tmp_path / "team.yaml")
    assert code in (0, 1) and err == "", err
    resumed = read_log(str(log)).events
    note = next(e for e in resumed if e.type == ev.NOTE and e.data["text"] == "The hold was called fast.")
    [withdrawn] = [e for e in resumed if e.type == ev.NOTE_WITHDRAWN]
    assert withdrawn.data["note"] == note.seq
    assert len([e for e in resumed if e.type == ev.DECISION_REVISED]) == 1  # taken before the stop, not again


def test_the_example_in_the_docs_reads(tmp_path: Path) -> None:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "drill-log.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", doc[doc.index("### Actions"):], re.S)
    assert block is not None
    path = tmp_path / "team.yaml"
    path.write_text("team: t\n" + block.group(1), encoding="utf-8")
    team = load_team(str(path), load_plan(str(SHIPPED)))
    assert [a.name for a in team.actions] == ["observation", "revise", "adhoc", "withdraw-inject", "amend-note",
                                              "next-module"]
