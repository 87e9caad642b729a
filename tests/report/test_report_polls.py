"""The report's polls (question, options, tally at the close, the decision that cites it, free-text answers)
and proposals (who, on what, what, taken or not), in md, html, json and docx, participants' text inert; a log
without them reads as before."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
from report_drills import ROOT, shipped_plan, start_clock

from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.report import render
from engine.report.builder import build_report
from engine.report.word import render_docx

HOSTILE = "Hold <script>alert(1)</script> **loud** [x](http://evil.example) | cell"
DECISION = "inbound-mail-continuity/failover-decision"
HOLD = "Keep routing as it is and watch the queues"
TITLE = "Decide whether to move inbound mail to the secondary MX relay"


def _ready(drill: Drill) -> None:
    for _ in range(20):
        if drill.state.status(DECISION) in (StepStatus.READY, StepStatus.ACTIVE):
            return
        for key in [k for k in drill.plan.steps if drill.state.status(k) is StepStatus.READY
                    and not drill.plan.steps[k].options and k.startswith("inbound-mail-continuity/")]:
            drill.complete_step(key)
    raise AssertionError("the decision never became ready")


def _report(tmp_path: Path, room: bool = True):  # type: ignore[no-untyped-def]
    plan = shipped_plan()
    clock = start_clock(plan)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Dana Whitfield")
    if room:
        drill.join("s1", "Ann", "incident-commander")
        drill.join("s2", "Bo", "messaging-lead")
        drill.join("s3", "Cy", "observer")
        _ready(drill)
        clock.advance(60)
        drill.open_poll("Fail over now?", step=DECISION, by="Dana")
        for seat, answer in (("s1", "hold"), ("s2", "hold"), ("s3", "fail-over")):
            drill.answer_poll("poll-1", seat, answer)
        drill.reveal_poll("poll-1")
        clock.advance(60)
        drill.close_poll("poll-1")
        proposal = drill.propose("s2", HOSTILE, step=DECISION, option="hold")
        drill.take_proposal(proposal.seq, "Dana")
        drill.decide(DECISION, "hold", "Two of three seats and the queue.", "Dana", poll="poll-1")
        module = plan.scenario.modules[0]
        drill.propose("s3", "Call the vendor first.", module=module.id, question=module.questions[0].id)
        drill.open_poll("What worries you most?")
        drill.answer_poll("poll-2", "s1", HOSTILE)
    drill.end("finished")
    drill.close()
    return build_report(drill.path, roots=[str(ROOT)])


def test_polls_and_proposals_are_in_every_format_with_text_inert(tmp_path: Path) -> None:
    report = _report(tmp_path)
    first, second = report.polls
    assert (first.poll, first.options, first.tally, first.answered) == \
        ("poll-1", ["fail-over", "hold"], {"fail-over": 1, "hold": 2}, 3)
    assert first.cited_by == [DECISION] and first.closed is not None and first.revealed is not None
    assert second.options == [] and second.closed is None
    assert second.answers == [{"name": "Ann", "role": "incident-commander", "text": HOSTILE}]
    taken, untaken = report.proposals
    assert (taken.name, taken.option, taken.taken is not None, untaken.taken) == ("Bo", "hold", True, None)

    markdown = render.render_markdown(report)
    assert "### Polls" in markdown and "### Proposals from the room" in markdown
    # the decision's options in the runbook's words, as the room showed them and as the decision log says
    assert f"| {HOLD} | 2 |" in markdown and f"Cited by the decision {TITLE}." in markdown
    polls = markdown[markdown.index("### Polls"):markdown.index("### Proposals from the room")]
    assert DECISION not in polls  # the decision in the runbook's words, never its key
    assert f": {HOLD} |" in markdown  # the proposal's "on": the option's words, not its id
    assert "still open when the log stops" in markdown and "| not taken |" in markdown
    assert "<script>" not in markdown and "](http" not in markdown and "\\| cell" in markdown

    page = render.render_html(report)
    assert 'id="polls"' in page and 'id="proposals"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page

    data = json.loads(render.render_json(report))
    assert data["polls"][0]["tally"] == {"fail-over": 1, "hold": 2}  # ids in the data, words beside them
    assert data["polls"][0]["cited_by"] == [DECISION] and data["polls"][0]["cited_titles"] == [TITLE]
    assert data["polls"][0]["labels"] == {"fail-over": "Fail over to the secondary MX relay", "hold": HOLD}
    assert [(p["name"], p["text"], p["taken"] is not None) for p in data["proposals"]] == \
        [("Bo", HOSTILE, True), ("Cy", "Call the vendor first.", False)]

    document = docx.Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in document.paragraphs]
    assert "Polls" in headings and "Proposals from the room" in headings
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert [HOLD, "2"] in cells


def test_a_log_without_polls_has_no_poll_keys_or_sections(tmp_path: Path) -> None:
    report = _report(tmp_path, room=False)
    data = json.loads(render.render_json(report))
    assert "polls" not in data and "proposals" not in data
    assert "Polls" not in render.render_markdown(report) and "Proposals" not in render.render_html(report)
