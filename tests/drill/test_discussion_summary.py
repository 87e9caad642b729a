"""discussion.summary: the gist of a module question's discussion, checked by shape and by the scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.drill import events as ev
from engine.drill.clock import FakeClock, parse_wall
from engine.drill.events import EventError
from engine.drill.narrate import line
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def drill(tmp_path: Path):  # type: ignore[no-untyped-def]
    plan = load_plan(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(ROOT / "runbooks")])
    running = Drill.start(plan, FakeClock(parse_wall("2026-01-22T19:33:00Z")), log_path=str(tmp_path / "d.jsonl"))
    yield running
    running.close()


def test_a_summary_is_folded_and_survives_resume(drill: Drill) -> None:
    drill.clock.advance(600)  # type: ignore[attr-defined]
    event = drill.summarise("mail-stops", "who-can-administer", "Only two break-glass accounts work", "Dana")
    assert event.type == "discussion.summary"
    assert event.data == {"module": "mail-stops", "question": "who-can-administer",
                          "text": "Only two break-glass accounts work", "by": "Dana"}
    [kept] = drill.state.summaries
    assert (kept.module, kept.question, kept.by, kept.t, kept.seq) == (
        "mail-stops", "who-can-administer", "Dana", 600, event.seq)
    assert "mail-stops/who-can-administer (by Dana): Only two break-glass accounts work" in line(event)
    drill.end("finished")
    drill.summarise("long-tail", "was-mail-lost", "No: the queue held it")  # still allowed after the end
    drill.close()
    again = Drill.resume(drill.plan, drill.path, FakeClock(drill.clock.now()))
    assert [(s.question, s.text) for s in again.state.summaries] == [
        ("who-can-administer", "Only two break-glass accounts work"), ("was-mail-lost", "No: the queue held it")]
    again.close()


@pytest.mark.parametrize(("module", "question", "why"), [
    ("no-such-module", "who-can-administer", "no module 'no-such-module'"),
    ("mail-stops", "was-mail-lost", "module mail-stops has no question 'was-mail-lost'"),
])
def test_an_unknown_module_or_question_is_refused(drill: Drill, module: str, question: str, why: str) -> None:
    before = Path(drill.path).read_bytes()
    with pytest.raises(EventError, match=why):
        drill.summarise(module, question, "text")
    assert drill.state.summaries == [] and Path(drill.path).read_bytes() == before


@pytest.mark.parametrize(("data", "field"), [
    ({"question": "q", "text": "t", "by": ""}, "module"),
    ({"module": "m", "question": 3, "text": "t", "by": ""}, "question"),
    ({"module": "m", "question": "q", "text": "   ", "by": ""}, "text"),
    ({"module": "m", "question": "q", "text": ["t"], "by": ""}, "text"),
    ({"module": "m", "question": "q", "text": "t", "by": {"x": 1}}, "by"),
])
def test_a_bad_shape_is_a_decode_error(data: dict[str, object], field: str) -> None:
    with pytest.raises(ev.DecodeError) as caught:
        ev.decode("discussion.summary", data)
    assert caught.value.field == field


def test_the_payload_round_trips() -> None:
    payload = ev.DiscussionSummary("m", "q", "<b>said</b>\x1b[2J", "")
    assert ev.decode(payload.WIRE, payload.encode()) == payload
    assert ev.decode(payload.WIRE, {"module": "m", "question": "q", "text": "t"}) == ev.DiscussionSummary("m", "q", "t")


def test_a_summary_is_amended_and_withdrawn_like_a_note(drill: Drill, tmp_path: Path) -> None:
    from engine.report.builder import build_report

    first = drill.summarise("mail-stops", "who-can-administer", "Two accounts", "Dana")
    second = drill.summarise("mail-stops", "when-fail-over", "At 30 minutes <b>deferred</b>", "Dana")
    amended = drill.amend_summary(first.seq, "Two break-glass accounts, both tested", "Sam")
    assert amended.data == {"summary": first.seq, "text": "Two break-glass accounts, both tested", "by": "Sam"}
    assert f"summary #{first.seq} now reads (by Sam): Two break-glass accounts, both tested" in line(amended)
    drill.end("finished")
    drill.withdraw_summary(second.seq, "recorded on the wrong question", "Sam")  # after the end, as for notes
    with pytest.raises(EventError, match="withdrawn already"):
        drill.amend_summary(second.seq, "x")
    with pytest.raises(EventError, match="is not a discussion summary"):
        drill.withdraw_summary(0, "the start is no summary")
    assert drill.state.summary_text(first.seq) == "Two break-glass accounts, both tested"
    assert drill.state.summaries[0].text == "Two accounts"  # as first written; the correction is beside it
    drill.close()

    again = Drill.resume(drill.plan, drill.path, FakeClock(drill.clock.now()))
    assert again.state.withdrawn_summaries() == {second.seq}
    again.close()
    report = build_report(drill.path, roots=[str(ROOT)])
    said = {q.id: q.summaries for q in report.modules[0].questions}
    assert [s["text"] for s in said["who-can-administer"]] == ["Two break-glass accounts, both tested"]
    assert said["when-fail-over"] == []
    kinds = {(c.kind, c.subject, c.was, c.now) for c in report.corrections}
    assert ("discussion summary amended", f"summary #{first.seq}", "Two accounts",
            "Two break-glass accounts, both tested") in kinds
    assert ("discussion summary withdrawn", f"summary #{second.seq}", "At 30 minutes <b>deferred</b>",
            "withdrawn") in kinds


@pytest.mark.parametrize(("wire", "data", "field"), [
    ("discussion.amended", {"summary": "3", "text": "t"}, "summary"),
    ("discussion.amended", {"summary": True, "text": "t"}, "summary"),
    ("discussion.amended", {"summary": 3, "text": "  "}, "text"),
    ("discussion.withdrawn", {"summary": -1, "reason": "r"}, "summary"),
    ("discussion.withdrawn", {"summary": 3}, "reason"),
])
def test_a_bad_summary_correction_is_a_decode_error(wire: str, data: dict[str, object], field: str) -> None:
    with pytest.raises(ev.DecodeError) as caught:
        ev.decode(wire, data)
    assert caught.value.field == field
