"""Polls and proposals as events: poll.opened / answered / revealed / closed and proposal.made / taken, checked
by shape and by the state (one poll open at a time, a decision that is ready with its own options, one answer
a seat that it may change until the close, an answer only from a seat in the room and only among the
options, a result that is the answers'), folded, resumed, narrated; decision.made cites a poll."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine import bounds
from engine.drill import events as ev
from engine.drill.clock import FakeClock, parse_wall
from engine.drill.events import DecodeError, EventError
from engine.drill.narrate import line
from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
DECISION = "inbound-mail-continuity/failover-decision"
HOSTILE = "<script>alert(1)</script>[bold]x[/]"


@pytest.fixture
def drill(tmp_path: Path):  # type: ignore[no-untyped-def]
    plan = load_plan(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(ROOT / "runbooks")])
    clock = FakeClock(parse_wall("2026-01-22T19:33:00Z"))
    running = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))
    running.join("s1", "Ann", "incident-commander")
    running.join("s2", "Bo", "messaging-lead")
    running.join("s3", "Cy", "observer")
    yield running
    running.close()


def ready_decision(drill: Drill) -> str:
    """Walk the steps before the failover decision so it is ready."""
    for _ in range(20):
        if drill.state.status(DECISION) in (StepStatus.READY, StepStatus.ACTIVE):
            return DECISION
        ready = [k for k in drill.plan.steps if drill.state.status(k) is StepStatus.READY
                 and not drill.plan.steps[k].options and k.startswith("inbound-mail-continuity/")]
        for key in ready:
            drill.complete_step(key)
    raise AssertionError("the failover decision never became ready")


def test_a_poll_on_a_ready_decision_takes_its_options_and_counts_one_answer_a_seat(drill: Drill) -> None:
    step = ready_decision(drill)
    opened = drill.open_poll("Fail over now?", step=step, by="Priya")
    assert opened.data["options"] == ["fail-over", "hold"] and opened.data["poll"] == "poll-1"
    drill.answer_poll("poll-1", "s1", "fail-over")
    drill.answer_poll("poll-1", "s2", "fail-over")
    drill.answer_poll("poll-1", "s1", "hold")  # changed before the close: the later answer counts
    assert drill.state.polls["poll-1"].count() == {"fail-over": 1, "hold": 1}
    closed = drill.close_poll("poll-1", "Priya")
    assert closed.data == {"poll": "poll-1", "tally": {"fail-over": 1, "hold": 1}, "answered": 2, "by": "Priya"}
    assert drill.state.statuses()[step] in (StepStatus.READY, StepStatus.ACTIVE)  # a poll never moves the drill
    decided = drill.decide(step, "hold", "the queue holds", "Dana", poll="poll-1")
    assert decided.data["poll"] == "poll-1" and drill.state.decisions[step].poll == "poll-1"


def test_an_answer_to_a_closed_poll_is_refused(drill: Drill) -> None:
    drill.open_poll("Who calls the vendor?", ["Ann", "Bo"])
    drill.close_poll("poll-1")
    with pytest.raises(EventError, match="poll poll-1 is closed; it takes no more answers"):
        drill.answer_poll("poll-1", "s1", "Ann")
    with pytest.raises(EventError, match="poll poll-1 is closed already"):
        drill.close_poll("poll-1")


def test_a_poll_on_a_decision_made_while_it_is_open_takes_no_more_answers(drill: Drill) -> None:
    """The decision cites the tally the facilitator saw: a later answer would change it under the citation."""
    step = ready_decision(drill)
    drill.open_poll("Fail over now?", step=step)
    drill.answer_poll("poll-1", "s1", "hold")
    drill.decide(step, "hold", "the queue holds", "Dana", poll="poll-1")
    with pytest.raises(EventError, match="poll poll-1 on it takes no more answers"):
        drill.answer_poll("poll-1", "s2", "fail-over")
    assert drill.state.polls["poll-1"].count() == {"fail-over": 0, "hold": 1}
    closed = drill.close_poll("poll-1")  # it still closes, with the tally the decision cites
    assert closed.data["tally"] == {"fail-over": 0, "hold": 1}


def test_an_option_not_in_the_poll_is_refused(drill: Drill) -> None:
    drill.open_poll("Who calls the vendor?", ["Ann", "Bo"])
    with pytest.raises(EventError, match="poll poll-1 has no option 'Cy'; options: Ann, Bo"):
        drill.answer_poll("poll-1", "s1", "Cy")
    assert drill.state.polls["poll-1"].answers == {}


def test_a_seat_not_in_the_room_cannot_answer(drill: Drill) -> None:
    drill.open_poll("What first?")
    drill.leave("s3")
    with pytest.raises(EventError, match="seat s3 is not in the room"):
        drill.answer_poll("poll-1", "s3", "call the vendor")
    with pytest.raises(EventError, match="seat nobody is not in the room"):
        drill.answer_poll("poll-1", "nobody", "call the vendor")


def test_one_poll_is_open_at_a_time_and_an_unknown_poll_is_refused(drill: Drill) -> None:
    drill.open_poll("First?")
    with pytest.raises(EventError, match="poll poll-1 is open; close it before opening another"):
        drill.open_poll("Second?")
    with pytest.raises(EventError, match="no poll 'poll-9'"):
        drill.answer_poll("poll-9", "s1", "x")
    with pytest.raises(EventError, match="no poll 'poll-9'"):
        drill.reveal_poll("poll-9")
    drill.close_poll("poll-1")
    assert drill.open_poll("Second?").data["poll"] == "poll-2"


def test_a_poll_on_a_decision_not_ready_or_with_other_options_is_refused(drill: Drill) -> None:
    with pytest.raises(EventError, match="a poll is put on a decision that is ready"):
        drill.open_poll("Fail over?", step=DECISION)
    step = ready_decision(drill)
    with pytest.raises(EventError, match="offers its options: fail-over, hold"):
        drill.open_poll("Fail over?", ["yes", "no"], step=step)
    with pytest.raises(EventError, match="is not a decision"):
        drill.open_poll("Size?", ["big", "small"], step="inbound-mail-continuity/size-impact")


def test_a_decision_cites_only_a_poll_on_it_or_on_nothing(drill: Drill) -> None:
    step = ready_decision(drill)
    with pytest.raises(EventError, match="no poll 'poll-1' on decision"):
        drill.decide(step, "hold", "why", "Dana", poll="poll-1")
    drill.open_poll("Free?")
    drill.close_poll("poll-1")
    assert drill.decide(step, "hold", "why", "Dana", poll="poll-1").data["poll"] == "poll-1"


def test_a_poll_on_a_module_question_and_a_free_text_answer(drill: Drill) -> None:
    module = drill.plan.scenario.modules[0]
    question = module.questions[0]
    drill.open_poll(question.ask, module=module.id, question=question.id)
    drill.answer_poll("poll-1", "s1", HOSTILE)
    closed = drill.close_poll("poll-1")
    assert closed.data["tally"] == {} and closed.data["answered"] == 1
    with pytest.raises(EventError, match="has no question 'nope'"):
        drill.open_poll("x", module=module.id, question="nope")


@pytest.mark.parametrize(("fields", "message"), [
    ({"text": " "}, "a poll's question needs text"),
    ({"text": "x" * (bounds.MAX_POLL_QUESTION + 1)}, "a poll's question is at most"),
    ({"options": ["only one"]}, "no options \\(free text\\) or 2 to"),
    ({"options": ["a", "a"]}, "all different"),
    ({"options": ["a ", "b"]}, "no space at its ends"),  # the room sends an answer trimmed: never a match
    ({"options": ["a", "b\nc"]}, "nor line breaks"),
    ({"options": ["a", "x" * (bounds.MAX_POLL_OPTION + 1)]}, "an option is at most"),
    ({"options": [str(n) for n in range(bounds.MAX_POLL_OPTIONS + 1)]}, "or 2 to"),
    ({"poll": "has space"}, "a poll id is"),
    ({"module": "m"}, "names both the module and the question"),
])
def test_a_malformed_poll_is_refused_by_its_shape(fields: dict[str, Any], message: str) -> None:
    data = {"poll": "poll-1", "text": "Q?", "options": [], "by": "", **fields}
    with pytest.raises(DecodeError, match=message):
        ev.decode(ev.POLL_OPENED, data)


def test_an_answer_too_long_is_refused(drill: Drill) -> None:
    drill.open_poll("Q?")
    with pytest.raises(DecodeError, match="an answer is at most"):
        drill.answer_poll("poll-1", "s1", "x" * (bounds.MAX_POLL_ANSWER + 1))
    with pytest.raises(DecodeError, match="an answer needs text"):
        drill.answer_poll("poll-1", "s1", "   ")


def test_a_result_that_is_not_the_answers_is_refused(drill: Drill) -> None:
    drill.open_poll("Q?", ["a", "b"])
    drill.answer_poll("poll-1", "s1", "a")
    with pytest.raises(EventError, match="result is not its answers"):
        drill.record(ev.PollClosed("poll-1", {"a": 0, "b": 1}, 1, ""))
    with pytest.raises(EventError, match="result is not its answers"):
        drill.record(ev.PollClosed("poll-1", {"a": 1, "b": 0}, 3, ""))


def test_reveal_once_and_polls_survive_resume(drill: Drill, tmp_path: Path) -> None:
    drill.open_poll("Q?", ["a", "b"])
    drill.answer_poll("poll-1", "s2", "b")
    drill.reveal_poll("poll-1", "Priya")
    with pytest.raises(EventError, match="shown already"):
        drill.reveal_poll("poll-1")
    drill.close_poll("poll-1")
    drill.close()
    again = Drill.resume(drill.plan, str(tmp_path / "d.jsonl"), FakeClock(parse_wall("2026-01-22T20:00:00Z")))
    assert again.state.polls == drill.state.polls
    again.close()


def test_proposals_are_attributed_refused_when_wrong_and_taken_once(drill: Drill) -> None:
    step = ready_decision(drill)
    made = drill.propose("s2", "The gateway queues for days.", step=step, option="hold")
    record = drill.state.proposal(made.seq)
    assert record is not None and (record.name, record.role, record.option) == ("Bo", "messaging-lead", "hold")
    module = drill.plan.scenario.modules[0]
    drill.propose("s1", HOSTILE, module=module.id, question=module.questions[0].id)
    with pytest.raises(EventError, match="has no option 'maybe'"):
        drill.propose("s1", "why", step=step, option="maybe")
    with pytest.raises(EventError, match="seat s9 is not in the room"):
        drill.propose("s9", "why", step=step, option="hold")
    with pytest.raises(DecodeError, match="a decision and its option, or a module and its question"):
        drill.propose("s1", "why", step=step)
    drill.take_proposal(made.seq, "Priya")
    with pytest.raises(EventError, match="was taken already"):
        drill.take_proposal(made.seq)
    with pytest.raises(EventError, match="is not a proposal"):
        drill.take_proposal(0)
    drill.decide(step, "hold", "The gateway queues for days.", "Dana")
    with pytest.raises(EventError, match=f"decision {step} is done"):
        drill.propose("s2", "too late", step=step, option="fail-over")


def test_poll_and_proposal_lines_for_log_show(drill: Drill) -> None:
    opened = drill.open_poll("Q?", ["a", "b"])
    answered = drill.answer_poll("poll-1", "s1", "a")
    closed = drill.close_poll("poll-1")
    assert "poll-1 opened: Q? (a / b)" in line(opened)
    assert "poll-1: seat s1 answered a" in line(answered)
    assert "poll-1 closed, 1 answered: a=1, b=0" in line(closed)


def test_one_seat_cannot_use_up_the_drills_proposals(drill: Drill) -> None:
    """A seat sending a proposal a second (what the room's rate allows) filled the drill's 2,000 in half an
    hour, and every other seat's proposal was refused from then on: a seat has its own limit."""
    module = drill.plan.scenario.modules[0]
    where = {"module": module.id, "question": module.questions[0].id}
    for n in range(bounds.MAX_PROPOSALS_A_SEAT):
        drill.propose("s1", f"answer {n}", **where)
    with pytest.raises(EventError, match=f"seat s1 has sent {bounds.MAX_PROPOSALS_A_SEAT} proposals"):
        drill.propose("s1", "one more", **where)
    assert drill.propose("s2", "mine still counts", **where).data["seat"] == "s2"


def test_a_proposal_on_a_decision_not_ready_is_refused_without_naming_its_options(drill: Drill) -> None:
    """The room offers only the decisions that are ready; a forged form on one still waiting was taken, and a
    wrong option on it answered with the options of a decision the room has not reached."""
    assert drill.state.status(DECISION) is not StepStatus.READY
    with pytest.raises(EventError, match="a proposal is on a decision that is ready") as refused:
        drill.propose("s1", "why", step=DECISION, option="maybe")
    assert "fail-over" not in str(refused.value)
    assert not drill.state.proposals
