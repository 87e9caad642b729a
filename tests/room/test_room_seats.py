"""Seats in the drill room over HTTP: a participant joins once with a name and a role (seat.joined through
the Drill), leaves and joins again (seat.left, seat.joined under the same seat id), the facilitator's link per
role chooses the role, injects to the seat's role are marked "for you", a seat answers the feedback form once,
and hostile names stay literal; an unknown role or a bad name is refused with nothing written."""

from __future__ import annotations

from pathlib import Path

import httpx
from roomkit import run, served

from engine.drill import events as ev
from engine.drill.log import read_log
from engine.room.join import SEAT_COOKIE
from engine.room.server import RoomServer

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> {{ 7*7 }}"


async def post(server: RoomServer, client: httpx.AsyncClient, path: str, fields: dict[str, str]) -> httpx.Response:
    return await client.post(server.links["participant"] + path, data=fields, headers={"origin": server.base})


def test_join_leave_and_rejoin_are_events_under_one_seat_id(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            page = await client.get(server.links["participant"])
            assert 'action="/p/' in page.text and 'name="role"' in page.text and "Join the exercise" in page.text
            assert '<option value="observer"' in page.text
            joined = await post(server, client, "/join", {"name": "Ann", "role": "incident-commander"})
            assert joined.status_code == 303, joined.text
            seat = client.cookies[SEAT_COOKIE]
            event = read_log(drill.path).events[-1]
            assert (event.type, event.data) == (ev.SEAT_JOINED, {"seat": seat, "name": "Ann",
                                                                 "role": "incident-commander"})
            page = await client.get(server.links["participant"])
            assert "Join the exercise" not in page.text
            assert 'You are <strong class="seat-name">Ann</strong>' in page.text
            again = await post(server, client, "/join", {"name": "Ann", "role": "observer"})
            assert again.status_code == 303 and len(drill.state.attendance) == 1  # one seat a browser

            assert (await post(server, client, "/leave", {"leave": "yes"})).status_code == 303
            assert read_log(drill.path).events[-1].data == {"seat": seat}
            assert "Join the exercise" in (await client.get(server.links["participant"])).text
            assert (await post(server, client, "/join", {"name": "Ann", "role": "comms-lead"})).status_code == 303
            rows = [(a.seat, a.role, a.left_t is None) for a in drill.state.attendance]
            assert rows == [(seat, "incident-commander", False), (seat, "comms-lead", True)]
    run(go)


def test_unknown_role_bad_name_wrong_origin_and_token_write_nothing(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            before = drill.state.seq
            refused = await post(server, client, "/join", {"name": "Ann", "role": "ceo"})
            assert refused.status_code == 400 and "Choose your role from the list" in refused.text
            refused = await post(server, client, "/join", {"name": "Ann\u202e", "role": "observer"})
            assert refused.status_code == 400 and "direction marks" in refused.text
            refused = await post(server, client, "/join", {"name": "x" * 200, "role": "observer"})
            assert refused.status_code == 400 and "at most 80 characters" in refused.text
            other = await client.post(server.links["participant"] + "/join", data={"name": "A", "role": "observer"},
                                      headers={"origin": "http://evil.example"})
            assert other.status_code == 403
            wrong = await client.post(server.base + "/p/not-the-token/join", data={"name": "A", "role": "observer"},
                                      headers={"origin": server.base})
            assert wrong.status_code == 404
            assert drill.state.seq == before
    run(go)


def test_a_link_per_role_chooses_it_and_injects_to_that_role_are_for_you(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            page = await client.get(server.links["participant"] + "?role=messaging-lead")
            assert '<option value="messaging-lead" selected>' in page.text
            drill.adhoc("Route mail now.", ["messaging-lead"])
            drill.adhoc("Tell the board.", ["comms-lead"])
            await post(server, client, "/join", {"name": HOSTILE, "role": "messaging-lead"})
            page = (await client.get(server.links["participant"])).text
            assert page.count('class="for-you"') == 1 and 'data-role="messaging-lead"' in page
            mine = page.index("Route mail now.")
            assert page.rfind('class="for-you"', 0, mine) > page.rfind("Tell the board.", 0, mine)
            assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
            assert "{{ 7*7 }}" in page  # a name is text, never a template
            projector = (await client.get(server.links["projector"])).text
            assert "for-you" not in projector.replace(".for-you", "") and "Join the exercise" not in projector
    run(go)


def test_a_seat_answers_the_feedback_form_once_under_its_seat_id(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            await post(server, client, "/join", {"name": "Ann", "role": "observer"})
            drill.end("finished")
            form = (await client.get(server.links["participant"] + "/feedback")).text
            assert 'value="Ann"' in form and 'value="observer"' in form  # the seat's name and role, to change
            answer = {"rate-organised": "4"}
            assert (await post(server, client, "/feedback", answer)).status_code == 303
            assert drill.state.feedback[-1].respondent == client.cookies[SEAT_COOKIE]
            second = await post(server, client, "/feedback", answer)
            assert second.status_code == 409 and len(drill.state.feedback) == 1
    run(go)
