"""Participant feedback as events: feedback.opened / feedback.closed / feedback.submitted, checked by shape and
by the state (the form open, the items known, one answer per respondent), folded, narrated, verified, resumed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine import feedback
from engine.cli import main
from engine.drill import events as ev
from engine.drill.clock import FakeClock, parse_wall
from engine.drill.events import EventError
from engine.drill.narrate import line
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>\x1b[2J[bold]x[/]"


@pytest.fixture
def drill(tmp_path: Path):  # type: ignore[no-untyped-def]
    plan = load_plan(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(ROOT / "runbooks")])
    running = Drill.start(plan, FakeClock(parse_wall("2026-01-22T19:33:00Z")), log_path=str(tmp_path / "d.jsonl"))
    yield running
    running.close()


def test_the_form_opens_when_the_drill_ends_and_answers_survive_resume(drill: Drill, capsys: Any) -> None:
    assert not drill.state.feedback_open
    with pytest.raises(EventError, match="the feedback form is closed"):
        drill.submit_feedback({"organised": 4}, {})
    drill.end("finished")
    assert drill.state.feedback_open
    first = drill.submit_feedback({"organised": 4, "realistic": 5}, {"strengths": HOSTILE}, respondent="r1",
                                  name="Ana", role="Mail admin", organisation="Contoso")
    assert first.type == "feedback.submitted"
    assert first.data == {"respondent": "r1", "name": "Ana", "role": "Mail admin", "organisation": "Contoso",
                          "ratings": {"organised": 4, "realistic": 5}, "answers": {"strengths": HOSTILE}}
    drill.submit_feedback({"organised": 2}, {}, respondent="r2")
    with pytest.raises(EventError, match="already sent"):
        drill.submit_feedback({"organised": 5}, {}, respondent="r1")
    narrated = line(first)
    assert "from Ana, Mail admin, Contoso: organised 4; realistic 5; strengths:" in narrated
    assert "\x1b" not in narrated
    drill.close()

    again = Drill.resume(drill.plan, drill.path, FakeClock(drill.clock.now()))
    assert [(f.respondent, f.ratings, f.seq) for f in again.state.feedback] == [
        ("r1", {"organised": 4, "realistic": 5}, first.seq), ("r2", {"organised": 2}, first.seq + 1)]
    assert again.state.feedback[0].answers == {"strengths": HOSTILE}
    again.close()
    assert main(["log", "verify", drill.path]) == 0
    assert main(["log", "show", drill.path]) == 0
    shown = capsys.readouterr().out
    assert "feedback.submitted" in shown and "from anonymous: organised 2" in shown and "\x1b[2J" not in shown


def test_the_facilitator_opens_early_and_closes(drill: Drill) -> None:
    drill.open_feedback("Sam")
    with pytest.raises(EventError, match="already open"):
        drill.open_feedback()
    drill.submit_feedback({}, {"next-time": "Shorter modules"})
    drill.close_feedback("Sam")
    with pytest.raises(EventError, match="closed"):
        drill.submit_feedback({"organised": 3}, {})
    drill.end("finished")
    assert not drill.state.feedback_open  # closed by hand stays closed after the end
    drill.open_feedback("Sam")
    assert drill.state.feedback_open
    assert len(drill.state.feedback) == 1


def test_unknown_items_and_a_full_form_are_refused(drill: Drill, monkeypatch: pytest.MonkeyPatch) -> None:
    drill.end("finished")
    before = Path(drill.path).read_bytes()
    with pytest.raises(EventError, match="no item 'not-a-statement'"):
        drill.submit_feedback({"not-a-statement": 3}, {})
    with pytest.raises(EventError, match="no item 'nope'"):
        drill.submit_feedback({}, {"nope": "x"})
    assert Path(drill.path).read_bytes() == before and drill.state.feedback == []
    monkeypatch.setattr(feedback, "MAX_RESPONSES", 2)
    drill.submit_feedback({"organised": 1}, {})
    drill.submit_feedback({"organised": 1}, {})
    with pytest.raises(EventError, match="full: 2 answers"):
        drill.submit_feedback({"organised": 1}, {})


@pytest.mark.parametrize(("data", "field"), [
    ({"ratings": {"organised": 6}}, "ratings"),
    ({"ratings": {"organised": 0}}, "ratings"),
    ({"ratings": {"organised": True}}, "ratings"),
    ({"ratings": {"organised": 2.5}}, "ratings"),
    ({"ratings": {"organised": "5"}}, "ratings"),
    ({"ratings": ["organised"]}, "ratings"),
    ({"answers": {"strengths": "   "}}, "answers"),
    ({"answers": {"strengths": 3}}, "answers"),
    ({"answers": {"strengths": "x" * (feedback.MAX_ANSWER + 1)}}, "answers"),
    ({"answers": "text"}, "answers"),
    ({"ratings": {"organised": 3}, "name": "x" * (feedback.MAX_ABOUT + 1)}, "name"),
    ({"ratings": {"organised": 3}, "role": ["admin"]}, "role"),
    ({"ratings": {}, "answers": {}}, "ratings"),
])
def test_a_bad_shape_is_a_decode_error(data: dict[str, object], field: str) -> None:
    with pytest.raises(ev.DecodeError) as caught:
        ev.decode("feedback.submitted", data)
    assert caught.value.field == field


def test_the_payloads_round_trip() -> None:
    payload = ev.FeedbackSubmitted("r", "<b>n</b>", "", "", {"organised": 5}, {"strengths": HOSTILE})
    assert ev.decode(payload.WIRE, payload.encode()) == payload
    assert ev.decode("feedback.submitted", {"ratings": {"plans": 1}}) == ev.FeedbackSubmitted(
        "", "", "", "", {"plans": 1}, {})
    assert ev.decode("feedback.opened", {}) == ev.FeedbackOpened("")
    assert ev.decode("feedback.closed", {"by": "Sam"}).encode() == {"by": "Sam"}
    with pytest.raises(ev.DecodeError):
        ev.decode("feedback.opened", {"by": 3})


def test_the_printed_form_and_the_event_share_one_question_set() -> None:
    from engine.handbook.blocks import Rating, WriteIn
    from engine.handbook.content import build

    plan = load_plan(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(ROOT / "runbooks")])
    book = build(plan, "feedback")
    assert [b.label for b in book.blocks if isinstance(b, Rating)] == [s.text for s in feedback.STATEMENTS]
    assert [b.prompt for b in book.blocks if isinstance(b, WriteIn)] == [q.text for q in feedback.QUESTIONS]
    assert feedback.STATEMENT_IDS.isdisjoint(feedback.QUESTION_IDS)
