"""The drill log against a flood from the room, as found on loopback: the projected participant link, with its
cookie dropped before each form, wrote 60 feedback forms in 12 s. Now a form needs a seat (one answer per
seat), and what the room may add to the log in a minute is capped, past which a write gets a 429 page that
says why and when to send it again; the console's own events are never refused."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
from roomkit import post_form, run, served

from engine import feedback
from engine.room.join import SEAT_COOKIE
from engine.room.server import RoomServer

FULL = {item.id: "x" * feedback.MAX_ANSWER for item in feedback.QUESTIONS}  # the longest honest form


async def post(server: RoomServer, client: httpx.AsyncClient, path: str, fields: dict[str, str]) -> httpx.Response:
    return await client.post(server.links["participant"] + path, data=fields, headers={"origin": server.base})


def test_a_browser_without_a_seat_cannot_send_the_form(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            drill.end("finished")
            page = await client.get(server.links["participant"] + "/feedback")
            assert "Join the exercise first" in page.text and "Send feedback" not in page.text
            before = drill.state.seq
            codes = []
            for _ in range(60):  # the projected link's flood: no cookie kept between forms
                client.cookies.clear()
                codes.append((await post(server, client, "/feedback", {"rate-organised": "3"})).status_code)
            assert set(codes) == {403} and drill.state.seq == before and drill.state.feedback == []
            refused = await post(server, client, "/feedback", {"rate-organised": "3"})
            assert "Not recorded: join the exercise first" in refused.text and refused.status_code == 403
            await post(server, client, "/join", {"name": "Ann", "role": "observer"})
            assert (await post(server, client, "/feedback", {"rate-organised": "3"})).status_code == 303
            assert [f.respondent for f in drill.state.feedback] == [client.cookies[SEAT_COOKIE]]
            assert (await post(server, client, "/feedback", {"rate-organised": "3"})).status_code == 409
    run(go)


def test_the_room_stops_at_its_log_cap_and_says_when_to_send_again(tmp_path: Path) -> None:
    from engine.room.server import RoomOptions

    cap_kb = 48

    async def go() -> None:
        async with served(tmp_path, options=RoomOptions(log_kb_per_minute=cap_kb)) as (drill, server, client):
            drill.end("finished")
            start = os.path.getsize(drill.path)
            sent = 0
            while True:  # a fresh seat each time, each with the longest form
                client.cookies.clear()
                joined = await post(server, client, "/join", {"name": f"Seat {sent}", "role": "observer"})
                if joined.status_code != 303:
                    refused = joined
                    break
                answered = await post(server, client, "/feedback", FULL)
                if answered.status_code != 303:
                    refused = answered
                    break
                sent += 1
                assert sent < 100, "the room never stopped"
            assert sent >= 1 and refused.status_code == 429
            assert "Not recorded: the room is busy" in refused.text and f"({cap_kb} KB)" in refused.text
            wait = int(refused.headers["retry-after"])
            assert 1 <= wait <= 60 and f"send it again in {wait} seconds" in refused.text
            grown = os.path.getsize(drill.path) - start
            assert cap_kb * 1024 <= grown <= cap_kb * 1024 + 2 * len(str(FULL)) + 4096  # past by one form at most
            seq = drill.state.seq
            note = await post_form(server, client, {"name": "Eve", "kind": "observation", "text": "seen"})
            assert note.status_code == 429 and drill.state.seq == seq  # every write of the room, not only forms
            drill.note("observation", "the facilitator's own", None)  # the console is never refused
            assert drill.state.seq == seq + 1
            drill.clock.advance(wait)  # type: ignore[attr-defined]
            client.cookies.clear()
            again = await post(server, client, "/join", {"name": "Late", "role": "observer"})
            assert again.status_code == 303, again.text
    run(go)


def test_a_burst_of_forms_passes_the_cap_by_one_form_at_most(tmp_path: Path) -> None:
    """The sibling of the stream cap's fault: a write was checked against the cap before its body arrived and
    counted once written, so a burst whose headers all came first all passed the check."""
    import asyncio
    from urllib.parse import urlencode

    from engine.room.server import RoomOptions

    cap_kb, burst = 24, 12
    body = urlencode(FULL).encode()

    async def go() -> None:
        async with served(tmp_path, options=RoomOptions(log_kb_per_minute=cap_kb)) as (drill, server, client):
            drill.end("finished")
            seats = []
            for n in range(burst):
                client.cookies.clear()
                await post(server, client, "/join", {"name": f"Seat {n}", "role": "observer"})
                seats.append(client.cookies[SEAT_COOKIE])
            start = os.path.getsize(drill.path)
            host = f"127.0.0.1:{server.port}"
            path = server.links["participant"].split(host, 1)[1] + "/feedback"
            streams = [await asyncio.open_connection("127.0.0.1", server.port) for _ in seats]
            for seat, (_, writer) in zip(seats, streams, strict=True):  # every form's headers first ...
                writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nCookie: "
                             f"{SEAT_COOKIE}={seat}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                             f"Content-Length: {len(body)}\r\n\r\n".encode())
            answers = [asyncio.create_task(reader.readline()) for reader, _ in streams]
            while sum(a.done() for a in answers) + len(server.server.server_state.tasks) < burst:
                await asyncio.sleep(0.01)  # ... until the room has taken each: refused, or waiting for its body
            for _, writer in streams:  # then the bodies
                writer.write(body)
            codes = [int((await a).split()[1]) for a in answers]
            for _, writer in streams:
                writer.close()
            assert 303 in codes and 429 in codes, codes
            assert os.path.getsize(drill.path) - start <= cap_kb * 1024 + 2 * len(body), codes
    run(go)
