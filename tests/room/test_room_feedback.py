"""The participant feedback form in the drill room over HTTP: closed until the drill ends (or the facilitator
opens it), one answer per seat recorded as feedback.submitted, hostile text kept literal, and the room's
defences on writes (seat token, a seat taken, origin, body cap, rate limit); the room and the console agree on
the module."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from roomkit import run, served, sse

from engine import feedback
from engine.drill import modules
from engine.drill.log import read_log
from engine.room import views
from engine.room.app import SEAT_BURST
from engine.room.join import SEAT_COOKIE
from engine.room.server import RoomServer

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>[bold red]x[/] \x1b[31mred\x1b[0m {{ 7*7 }}"
ANSWERS = {"name": "Ana <i>", "role": "Mail admin", "organisation": "Contoso", "rate-organised": "4",
           "rate-realistic": "5", "strengths": HOSTILE, "next-time": "Shorter modules"}


def form_url(server: RoomServer) -> str:
    return server.links["participant"] + "/feedback"


async def send(server: RoomServer, client: httpx.AsyncClient, fields: dict[str, str],
               origin: str | None = "same", **kwargs: Any) -> httpx.Response:
    headers = {} if origin is None else {"origin": server.base if origin == "same" else origin}
    return await client.post(form_url(server), data=fields, headers=headers, **kwargs)


async def take_seat(server: RoomServer, client: httpx.AsyncClient, name: str = "Ana") -> None:
    """Join the room as a participant (a form takes one answer per seat), from a fresh browser."""
    client.cookies.clear()
    joined = await client.post(server.links["participant"] + "/join", data={"name": name, "role": "observer"},
                               headers={"origin": server.base})
    assert joined.status_code == 303, joined.text


def test_the_form_is_closed_until_the_drill_ends_then_takes_one_answer_per_seat(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            await take_seat(server, client)
            page = await client.get(form_url(server))
            assert page.status_code == 200 and "The feedback form is closed" in page.text and "<form" not in page.text
            assert "set-cookie" not in page.headers  # the seat's cookie is the only one
            before = drill.state.seq
            refused = await send(server, client, ANSWERS)
            assert refused.status_code == 409 and "closed" in refused.text and drill.state.seq == before
            participant = (await client.get(server.links["participant"])).text
            assert 'id="feedback-link" hidden' in participant

            drill.end("finished")
            page = await client.get(form_url(server))
            for item in (*feedback.STATEMENTS, *feedback.QUESTIONS):
                assert item.text.replace("'", "&#39;") in page.text  # the same items as the printed form
            assert "feedback-link\" hidden" not in (await client.get(server.links["participant"])).text

            response = await send(server, client, ANSWERS)
            assert response.status_code == 303, response.text
            event = read_log(drill.path).events[-1]
            assert event.type == "feedback.submitted"
            assert event.data["name"] == "Ana <i>" and event.data["ratings"] == {"organised": 4, "realistic": 5}
            assert event.data["answers"] == {"strengths": HOSTILE, "next-time": "Shorter modules"}
            assert event.data["respondent"] == client.cookies[SEAT_COOKIE]
            thanks = (await client.get(response.headers["location"])).text
            assert "your feedback is recorded" in thanks and "<form" not in thanks

            again = await send(server, client, {"rate-organised": "1"})
            assert again.status_code == 409 and "already sent" in again.text
            assert len(drill.state.feedback) == 1

            await take_seat(server, client, "Bo")  # another browser, another seat
            assert (await send(server, client, {"rate-plans": "2"})).status_code == 303
            assert [f.ratings for f in drill.state.feedback] == [{"organised": 4, "realistic": 5}, {"plans": 2}]
    run(go)


def test_bad_answers_are_refused_with_the_reason_and_what_was_typed_stays_escaped(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            await take_seat(server, client)
            drill.end("finished")
            before = drill.state.seq
            cases = [({"name": ""}, "Rate at least one statement"),
                     ({"name": "Ana", "strengths": "   "}, "Rate at least one statement"),
                     ({"rate-organised": "9", "strengths": HOSTILE}, "Choose a number from 1 to 5"),
                     ({"rate-organised": "<b>", "strengths": HOSTILE}, "Choose a number from 1 to 5"),
                     ({"strengths": "x" * (feedback.MAX_ANSWER + 1)}, f"under {feedback.MAX_ANSWER} characters")]
            for fields, message in cases:
                response = await send(server, client, fields)
                assert response.status_code == 400, fields
                assert message in response.text, fields
                assert "<script>alert(1)" not in response.text and "<img src=x" not in response.text
            shown = await send(server, client, {"rate-organised": "9", "strengths": HOSTILE})
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text  # what was typed comes back, escaped
            # unknown fields are ignored, not recorded; an over-long name is cut, not refused
            ok = await send(server, client, {"rate-nope": "3", "name": "N" * 500, "rate-plans": "3"})
            assert ok.status_code == 303 and drill.state.seq == before + 1
            assert drill.state.feedback[0].name == "N" * feedback.MAX_ABOUT
            assert drill.state.feedback[0].ratings == {"plans": 3}
    run(go)


def test_writes_need_the_seat_the_same_origin_a_capped_body_and_a_calm_rate(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            await take_seat(server, client)
            drill.end("finished")
            evaluator_token = server.links["evaluator"].rsplit("/", 1)[1]
            assert (await client.get(f"/p/{evaluator_token}/feedback")).status_code == 404
            assert (await client.post(f"/p/{evaluator_token}/feedback", data=ANSWERS,
                                      headers={"origin": server.base})).status_code == 404
            assert (await send(server, client, ANSWERS, origin=None)).status_code == 403
            assert (await send(server, client, ANSWERS, origin="http://evil.example")).status_code == 403
            huge = {"strengths": "x" * (200 * 1024)}
            assert (await send(server, client, huge)).status_code == 413
            assert drill.state.feedback == []
            codes = []
            for n in range(6):
                await take_seat(server, client, f"Seat {n}")  # a fresh browser each time takes its own seat
                codes.append((await send(server, client, {"rate-organised": "3"})).status_code)
            # each new seat is its own writer; the seat's bucket (30 at once) and the log cap bound a flood
            assert codes == [303] * 6
            flood = [(await send(server, client, {"rate-organised": "3"})).status_code for _ in range(3)]
            assert flood == [409, 409, 409]  # the last seat again
            assert len(drill.state.feedback) == 6
    run(go)


def test_the_seat_bucket_stops_a_flood_of_fresh_seats(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            drill.end("finished")
            joins, forms = [], []
            for n in range(SEAT_BURST + 1):  # a fresh seat and its form each time: one form past the burst
                client.cookies.clear()
                joined = await client.post(server.links["participant"] + "/join", headers={"origin": server.base},
                                           data={"name": f"Seat {n}", "role": "observer"})
                joins.append(joined.status_code)
                forms.append((await send(server, client, {"rate-organised": "3"})).status_code)
            # joins have a room-wide bucket of their own (a room of a hundred joins at once); the forms share the
            # seat link's: the fake clock does not move, so the form past its burst is refused
            assert joins == [303] * (SEAT_BURST + 1)
            assert forms == [303] * SEAT_BURST + [429]
            assert len(drill.state.feedback) == SEAT_BURST
    run(go)


def test_the_facilitator_opening_and_closing_reaches_the_participant_stream(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            first = drill.state.seq

            def toggle() -> None:
                drill.open_feedback("Sam")
                drill.close_feedback("Sam")

            stream = await sse(client, server.links["participant"] + f"/events?after={first}", 2, after=toggle)
            assert [(m["event"], m["data"]["feedback"]) for m in stream] == [("feedback", True), ("feedback", False)]
            assert "by" not in json.dumps(stream)
    run(go)


def test_the_room_and_the_console_agree_on_the_module(tmp_path: Path) -> None:
    """A module starts at its scheduled time even before one of its injects fires (the console's rule):
    the participant page shows the module the console's module bar names, at every point of the drill."""
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            scenario = drill.plan.scenario
            starts = [modules.scheduled_start(m) for m in scenario.modules]
            assert len(starts) >= 2 and starts[1] is not None
            for target in (starts[1] + 1, (starts[2] + 1) if len(starts) > 2 and starts[2] else None):
                if target is None:
                    continue
                drill.jump(target)  # the clock reaches the module; none of its injects has fired yet
                console = modules.view(drill.state, drill.now_t())
                assert console is not None and console.current is not None
                shown = views.participant(drill.state, drill.now_t())["module"]
                assert shown is not None and shown["id"] == console.current.id
                page = (await client.get(server.links["participant"])).text
                assert console.current.title.replace("'", "&#39;") in page
    run(go)
