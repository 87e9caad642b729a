"""Polls and proposals in the drill room over HTTP: a seat answers the poll shown (poll.answered through the
Drill) and changes its answer, a browser without a seat cannot, an answer not among the options is refused
with nothing written, the tally stays hidden until revealed, the stream carries it then (never who answered
what), a seat proposes a ready decision's option or answers a module question, hostile text stays literal,
and the projector page lays out the poll and says "ended" once the drill has ended."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from roomkit import browser, run, served, sse

from engine.drill import events as ev
from engine.drill.log import read_log
from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.room.server import RoomServer

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> {{ 7*7 }} [bold]x[/]"
DECISION = "inbound-mail-continuity/failover-decision"


async def post(server: RoomServer, client: httpx.AsyncClient, path: str, fields: dict[str, str]) -> httpx.Response:
    return await client.post(server.links["participant"] + path, data=fields, headers={"origin": server.base})


async def seated(server: RoomServer, name: str, role: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=server.base)
    joined = await post(server, client, "/join", {"name": name, "role": role})
    assert joined.status_code == 303, joined.text
    return client


def ready(drill: Drill) -> None:
    for _ in range(20):
        if drill.state.status(DECISION) in (StepStatus.READY, StepStatus.ACTIVE):
            return
        for key in [k for k in drill.plan.steps if drill.state.status(k) is StepStatus.READY
                    and not drill.plan.steps[k].options and k.startswith("inbound-mail-continuity/")]:
            drill.complete_step(key)
    raise AssertionError("the decision never became ready")


def test_seats_answer_change_and_the_tally_shows_once_revealed(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            ann, bo = await seated(server, "Ann", "incident-commander"), await seated(server, "Bo", "observer")
            ready(drill)
            drill.open_poll("Fail over now?", step=DECISION)
            page = (await ann.get(server.links["participant"])).text
            assert "Fail over now?" in page and 'name="answer" value="fail-over"' in page
            assert (await post(server, ann, "/poll", {"poll": "poll-1", "answer": "fail-over"})).status_code == 303
            assert (await post(server, bo, "/poll", {"poll": "poll-1", "answer": "hold"})).status_code == 303
            assert (await post(server, ann, "/poll", {"poll": "poll-1", "answer": "hold"})).status_code == 303
            answers = [e.data["answer"] for e in read_log(drill.path).events if e.type == ev.POLL_ANSWERED]
            assert answers == ["fail-over", "hold", "hold"] and drill.state.polls["poll-1"].count() == {
                "fail-over": 0, "hold": 2}
            page = (await ann.get(server.links["participant"] + "?answered=1")).text
            assert "Your answer is in." in page and "Change my answer" in page
            assert "you chose Keep routing as it is and watch the queues" in page  # the runbook's words
            projector = (await client.get(server.links["projector"])).text
            assert 'id="poll-tally" hidden' in projector and "2</span> answered" in projector
            drill.reveal_poll("poll-1")
            projector = (await client.get(server.links["projector"])).text
            assert 'id="poll-tally" hidden' not in projector and '<meter class="bar" min="0" max="100" value="100"' \
                in projector
            drill.close_poll("poll-1")
            refused = await post(server, ann, "/poll", {"poll": "poll-1", "answer": "fail-over"})
            assert refused.status_code == 409 and "poll poll-1 is closed" in refused.text
            assert "Poll closed" in (await client.get(server.links["projector"])).text
            for each in (ann, bo):
                await each.aclose()
    run(go)


def test_no_seat_a_wrong_option_a_wrong_origin_write_nothing(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            drill.open_poll("Who calls the vendor?", ["Ann", "Bo"])
            page = (await client.get(server.links["participant"])).text
            assert "Join the exercise to answer." in page and 'action="/p/' in page
            before = drill.state.seq
            refused = await post(server, client, "/poll", {"poll": "poll-1", "answer": "Ann"})
            assert refused.status_code == 403 and "Join the exercise first" in refused.text
            ann = await seated(server, "Ann", "observer")
            before = drill.state.seq
            refused = await post(server, ann, "/poll", {"poll": "poll-1", "answer": "Cy"})
            assert refused.status_code == 409 and "poll poll-1 has no option &#39;Cy&#39;" in refused.text
            refused = await post(server, ann, "/poll", {"poll": "poll-1", "answer": " "})
            assert refused.status_code == 400
            refused = await ann.post(server.links["participant"] + "/poll", data={"poll": "poll-1", "answer": "Ann"},
                                     headers={"origin": "http://evil.example"})
            assert refused.status_code == 403
            refused = await ann.post(server.base + "/p/wrong-token/poll", data={"poll": "poll-1", "answer": "Ann"},
                                     headers={"origin": server.base})
            assert refused.status_code == 404
            assert drill.state.seq == before
            await ann.aclose()
    run(go)


def test_a_free_text_answer_and_a_proposal_stay_literal(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            ann = await seated(server, "Ann", "incident-commander")
            ready(drill)
            drill.open_poll("What worries you most?")
            assert (await post(server, ann, "/poll", {"poll": "poll-1", "answer": HOSTILE + "\r\nline"})
                    ).status_code == 303
            assert drill.state.polls["poll-1"].answers == {next(iter(drill.state.seated)): HOSTILE + "\nline"}
            drill.reveal_poll("poll-1")
            page = (await client.get(server.links["projector"])).text
            assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
            page = (await ann.get(server.links["participant"])).text
            assert f'value="d|{DECISION}|hold"' in page and "Propose" in page
            sent = await post(server, ann, "/propose", {"target": f"d|{DECISION}|hold", "text": HOSTILE})
            assert sent.status_code == 303 and sent.headers["location"].endswith("?proposed=1#propose")
            proposal = drill.state.proposals[-1]
            assert (proposal.name, proposal.step, proposal.option, proposal.text) == ("Ann", DECISION, "hold", HOSTILE)
            refused = await post(server, ann, "/propose", {"target": f"d|{DECISION}|maybe", "text": "x"})
            assert refused.status_code == 409 and "has no option" in refused.text
            refused = await post(server, ann, "/propose", {"target": "nonsense", "text": "x"})
            assert refused.status_code == 400 and "Choose what you propose on." in refused.text
            refused = await post(server, ann, "/propose", {"target": f"d|{DECISION}|hold", "text": "x" * 1001})
            assert refused.status_code == 400 and "Keep it under 1000 characters." in refused.text
            assert len(drill.state.proposals) == 1
            await ann.aclose()
    run(go)


def test_the_stream_tells_the_tally_only_once_revealed_and_never_who(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            drill.join("s1", "Ann", "observer")
            start = drill.state.seq

            def act() -> None:
                drill.open_poll("Q?", ["a", "b"])
                drill.answer_poll("poll-1", "s1", "a")
                drill.reveal_poll("poll-1")
                drill.answer_poll("poll-1", "s1", "b")

            messages = await sse(client, f"/p/{server.room.seats.participant}/events?after={start}", 4, after=act)
            polls = [m["data"]["poll"] for m in messages]
            assert [m["event"] for m in messages] == ["poll"] * 4
            assert polls[1]["tally"] is None and polls[1]["answered"] == 1
            assert polls[3]["tally"] == [{"option": "a", "label": "a", "n": 0, "share": 0},
                                         {"option": "b", "label": "b", "n": 1, "share": 100}]
            assert "s1" not in json.dumps(messages) and "Ann" not in json.dumps(messages)
    run(go)


def test_the_pages_say_ended_not_paused_and_the_module_read_is_json(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            module = (await client.get(server.links["participant"] + "/module")).json()
            assert set(module) == {"module", "next_t"}
            drill.end("finished")
            for link in (server.links["participant"], server.links["projector"], server.links["evaluator"]):
                page = (await client.get(link)).text
                assert 'data-ended="yes"' in page and 'id="clock-state" class="clock-state">ended' in page
    run(go)


def test_a_full_room_answering_at_once_is_not_refused(tmp_path: Path) -> None:
    """Sixty seats answer the moment the poll opens: each answer is taken (the participant link's shared limit
    of 30 at once refused half of them); each seat's own limit still holds."""
    from engine.room.join import SEAT_COOKIE

    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            seats = [f"seat-{n:02d}-abcdefghijklmnop" for n in range(60)]
            for seat in seats:
                drill.join(seat, seat[:7], "observer")
            drill.open_poll("Q?", ["a", "b"])
            browsers = [browser(server, n, cookies={SEAT_COOKIE: seat}) for n, seat in enumerate(seats)]
            sent = await asyncio.gather(*(post(server, b, "/poll", {"poll": "poll-1", "answer": "a"})
                                          for b in browsers))
            assert [r.status_code for r in sent] == [303] * 60
            assert len(drill.state.polls["poll-1"].answers) == 60
            again = [await post(server, browsers[0], "/poll", {"poll": "poll-1", "answer": "ba"[n % 2]})
                     for n in range(12)]  # each a change: the same answer again writes nothing
            assert 429 in [r.status_code for r in again]  # one seat's own limit: 5 at once, then 1 a second
            for b in browsers:
                await b.aclose()
    run(go)


def test_a_room_of_a_hundred_joining_at_once_is_not_refused(tmp_path: Path) -> None:
    """A hundred participants scan the projected code at once: each joins (the participant link's shared limit
    of 30 at once turned seventy away)."""
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            browsers = [browser(server, n) for n in range(100)]
            sent = await asyncio.gather(*(post(server, b, "/join", {"name": f"P{n}", "role": "observer"})
                                          for n, b in enumerate(browsers)))
            assert [r.status_code for r in sent] == [303] * 100 and len(drill.state.seated) == 100
            for b in browsers:
                await b.aclose()
    run(go)


def test_sending_the_same_answer_or_proposal_again_writes_nothing_more(tmp_path: Path) -> None:
    """A seat tapping its own answer again, or a form sent twice, is taken without another event: the log
    grows only when an answer changes or a proposal is new."""
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            ann = await seated(server, "Ann", "incident-commander")
            ready(drill)
            drill.open_poll("Fail over now?", step=DECISION)
            for _ in range(20):
                sent = await post(server, ann, "/poll", {"poll": "poll-1", "answer": "hold"})
                assert sent.status_code == 303, sent.status_code
            proposal = {"target": f"d|{DECISION}|hold", "text": "Wait for the vendor's word."}
            for _ in range(20):
                sent = await post(server, ann, "/propose", proposal)
                assert sent.status_code == 303, sent.status_code
            changed = await post(server, ann, "/poll", {"poll": "poll-1", "answer": "fail-over"})
            assert changed.status_code == 303
            events = read_log(drill.path).events
            assert [e.data["answer"] for e in events if e.type == ev.POLL_ANSWERED] == ["hold", "fail-over"]
            assert len([e for e in events if e.type == ev.PROPOSAL_MADE]) == 1
            assert drill.state.polls["poll-1"].count() == {"fail-over": 1, "hold": 0}
            await ann.aclose()
    run(go)


def test_once_the_decision_is_made_its_poll_offers_no_answer_form(tmp_path: Path) -> None:
    """The facilitator decides while the poll on that decision is open: the page stops offering the form, and
    a form sent from a page loaded before is refused in words, with nothing written."""
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            ann = await seated(server, "Ann", "incident-commander")
            ready(drill)
            drill.open_poll("Fail over now?", step=DECISION)
            assert 'name="answer" value="hold"' in (await ann.get(server.links["participant"])).text
            drill.decide(DECISION, "hold", "the queue holds", "Dana", poll="poll-1")
            page = (await ann.get(server.links["participant"])).text
            assert 'name="answer"' not in page and "Poll closed" in page
            seq = drill.state.seq
            late = await post(server, ann, "/poll", {"poll": "poll-1", "answer": "fail-over"})
            assert late.status_code == 409 and "takes no more answers" in late.text
            assert drill.state.seq == seq
            await ann.aclose()
    run(go)


def test_a_poll_on_a_decision_shows_its_options_in_the_runbooks_words(tmp_path: Path) -> None:
    """The participant chooses among the decision's options as the runbook words them (as the proposal form
    shows them), not among their ids; the revealed tally on the projector and the stream say the same."""
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            ann = await seated(server, "Ann", "incident-commander")
            ready(drill)
            drill.open_poll("Fail over now?", step=DECISION)
            page = (await ann.get(server.links["participant"])).text
            assert 'value="fail-over" required> Fail over to the secondary MX relay</label>' in page
            assert (await post(server, ann, "/poll", {"poll": "poll-1", "answer": "fail-over"})).status_code == 303
            drill.reveal_poll("poll-1")
            projector = (await client.get(server.links["projector"])).text
            assert '<span class="option">Fail over to the secondary MX relay</span>' in projector
            assert '<span class="option">fail-over</span>' not in projector
            await ann.aclose()
    run(go)
