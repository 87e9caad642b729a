"""The drill room over HTTP: seats and tokens, what each seat may see, the live stream's ids and resume,
and the defences on writes (origin, body cap, rate limit, connection cap)."""

from __future__ import annotations

import html
import json
import os
import re
import stat
from pathlib import Path

from roomkit import post_form, run, served, sse

from engine.drill.log import read_log
from engine.room.seats import Seats, load, room_file, save
from engine.room.server import RoomBindError, RoomBinding, bind, prepare

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>[bold red]x[/] \x1b[31mred\x1b[0m &amp;"


def _html(text: str) -> str:
    return html.escape(text, quote=True).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


def test_wrong_or_missing_token_is_404_and_reveals_nothing(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            unknown = await client.get("/nowhere")
            evaluator_token = server.links["evaluator"].rsplit("/", 1)[1]
            participant_token = server.links["participant"].rsplit("/", 1)[1]
            for path in ("/p/", "/p/wrong", f"/p/{participant_token}x", f"/e/{participant_token}",
                         f"/p/{evaluator_token}", f"/e/{participant_token}/live", f"/p/{evaluator_token}/events",
                         f"/e/{participant_token}/events"):
                response = await client.get(path)
                assert response.status_code == 404, path
                assert response.text == unknown.text == "Not Found"
            response = await client.post(f"/e/{participant_token}/observations", data={"name": "x"},
                                         headers={"origin": server.base})
            assert response.status_code == 404
    run(go)


def test_participant_never_sees_expect_unfired_injects_or_notes(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            plan = drill.plan
            scheduled = [i for i in plan.injects if not i.contingent]
            for inject in scheduled[:3]:
                drill.fire(inject.id)
            drill.note("observation", "FACILITATOR-ONLY NOTE", by="Sam")
            page = (await client.get(server.links["participant"])).text
            stream = await sse(client, server.links["participant"] + "/events", drill.state.seq + 1)
            seen = page + json.dumps([m["data"] for m in stream])
            for inject in scheduled[:3]:
                assert (inject.say or "").split("\n")[0][:40] in page.replace("&#34;", '"').replace("&#39;", "'")
            for inject in plan.injects:
                if inject.expect:
                    assert inject.expect[:40] not in seen
            for inject in [i for i in plan.injects if i.id not in drill.state.fired]:
                assert inject.id not in seen
                assert inject.say is None or inject.say[:40] not in seen
            assert "FACILITATOR-ONLY NOTE" not in seen
            assert "expect" not in seen.lower()
            # the current module's situation and questions, as the players read them; never the prompts
            module = next(m for m in plan.scenario.modules if scheduled[2].id in m.injects)
            assert module.questions and _html(module.title) in page
            for question in module.questions:
                assert _html(question.ask) in page
                for hidden in (*question.prompts, *question.expect):
                    assert hidden[:40] not in seen and _html(hidden)[:40] not in seen
            # the evaluator seat does see what was expected
            evaluator = (await client.get(server.links["evaluator"])).text
            assert "Expected:" in evaluator
    run(go)


def test_stream_ids_are_log_seqs_and_last_event_id_resumes_once_in_order(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            events = server.links["participant"] + "/events"
            first = await sse(client, events, 1)
            assert [m["id"] for m in first] == [0] and first[0]["event"] == "clock"
            for inject in [i for i in drill.plan.injects if not i.contingent][:2]:
                drill.fire(inject.id)
            drill.pause()
            resumed = await sse(client, events, 3, headers={"Last-Event-ID": "0"})
            assert [m["id"] for m in resumed] == [1, 2, 3]
            assert [m["event"] for m in resumed] == ["inject", "inject", "clock"]
            assert resumed[2]["data"]["clock"]["running"] is False
            # a live event: told once, after being written to the log
            live = await sse(client, events, 1, headers={"Last-Event-ID": "3"},
                             after=lambda: drill.set_service("teams", "down"))
            assert [m["id"] for m in live] == [4]
            assert {"id": "teams", "health": "down"} in live[0]["data"]["services"]
            assert [e.seq for e in read_log(drill.path).events] == [0, 1, 2, 3, 4]
    run(go)


def test_evaluator_observation_is_logged_with_its_author_and_hostile_text_stays_literal(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            objective = next(iter(drill.plan.objectives))
            step = next(iter(drill.plan.steps))
            response = await post_form(server, client, {
                "name": "Ana <i>", "kind": "improvement", "text": HOSTILE, "objective": objective, "step": step,
                "action": "Write the runbook page", "element": "planning", "owner": "Ops", "due": "2026-04-01"})
            assert response.status_code == 303
            assert "tabletop_evaluator=" in response.headers["set-cookie"]
            note = read_log(drill.path).events[-1]
            assert note.type == "note"
            assert note.data["by"] == "Ana <i>" and note.data["text"] == HOSTILE
            assert note.data["objective"] == objective and note.data["step"] == step
            assert note.data["element"] == "planning" and note.data["owner"] == "Ops"
            page = (await client.get(response.headers["location"])).text
            assert "Recorded in the drill log." in page
            assert "<script>alert(1)" not in page and "<img src=x" not in page and "<i>" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Ana &lt;i&gt;" in page
            # the name given once is kept for the next observation
            assert 'value="Ana &lt;i&gt;"' in page
            # the objective's EEG counts it, and the note names its objective
            assert f"· {objective} · {step}</p>" in page and "(1 observation)" in page
    run(go)


def test_bad_observations_are_refused_with_the_reason_and_nothing_is_written(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            before = drill.state.seq
            cases = [({"kind": "observation", "text": "x"}, 400, "Give your name"),
                     ({"name": "Ana", "kind": "gossip", "text": "x"}, 400, "Choose what this is"),
                     ({"name": "Ana", "kind": "observation", "text": "   "}, 400, "Write what you observed"),
                     ({"name": "Ana", "kind": "observation", "text": "x", "step": "no/such"}, 400, "Choose a step"),
                     ({"name": "Ana", "kind": "observation", "text": "x", "objective": "nope"}, 400,
                      "Choose an objective"),
                     ({"name": "Ana", "kind": "improvement", "text": "x", "element": "vibes"}, 400, "Not recorded")]
            for fields, status, message in cases:
                response = await post_form(server, client, fields)
                assert response.status_code == status, fields
                assert message in response.text, fields
            assert drill.state.seq == before
    run(go)


def test_writes_need_the_same_origin_a_small_body_and_a_calm_rate(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            fields = {"name": "Ana", "kind": "observation", "text": "seen"}
            assert (await post_form(server, client, fields, origin=None)).status_code == 403
            assert (await post_form(server, client, fields, origin="http://evil.example")).status_code == 403
            assert (await post_form(server, client, fields, origin="null")).status_code == 403
            big = {**fields, "text": "x" * (17 * 1024)}
            assert (await post_form(server, client, big)).status_code == 413
            assert (await client.get(server.links["evaluator"] + "/observations")).status_code == 405
            before = drill.state.seq
            codes = [(await post_form(server, client, fields)).status_code for _ in range(7)]
            assert codes[:5] == [303] * 5 and codes[5:] == [429, 429]  # the fake clock does not move
            assert drill.state.seq == before + 5
    run(go)


def test_live_connections_are_capped_with_a_clear_503(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path, max_streams=1) as (drill, server, client):
            async with client.stream("GET", server.links["participant"] + "/events") as first:
                assert first.status_code == 200
                async for line in first.aiter_lines():
                    if line.startswith("id:"):
                        break
                second = await client.get(server.links["evaluator"] + "/events")
                assert second.status_code == 503
                assert "The room is full" in second.text
    run(go)


def test_every_response_carries_a_strict_policy(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            for path in (server.links["participant"], server.links["evaluator"], "/static/room.js", "/nope"):
                response = await client.get(path)
                policy = response.headers["content-security-policy"]
                assert "script-src 'self'" in policy and "unsafe-inline" not in policy
                assert response.headers["referrer-policy"] == "same-origin"
            for link in (server.links["participant"], server.links["evaluator"]):
                page = (await client.get(link)).text
                assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/room.js" defer>']
                assert not re.search(r"\son[a-z]+\s*=", page)  # no inline handlers
                assert not re.search(r"(src|href)=\"(?![/#])", page)  # every asset from the room itself
    run(go)


def test_room_file_is_owner_only_and_resume_serves_the_same_links(tmp_path: Path) -> None:
    seats = Seats.new()
    assert len(seats.participant) >= 22 and seats.participant != seats.evaluator  # >= 128 bits each
    log = tmp_path / "drill.jsonl"
    log.write_text("", encoding="utf-8")
    path = room_file(str(log))
    assert path.name == "drill.room.json"
    save(path, seats, "http://127.0.0.1:8123", 8123)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["participant"] == f"http://127.0.0.1:8123/p/{seats.participant}"
    assert record["evaluator"] == f"http://127.0.0.1:8123/e/{seats.evaluator}"
    again = prepare("127.0.0.1", 0, str(log))
    try:
        assert (again.seats.participant, again.seats.evaluator) == (seats.participant, seats.evaluator)
    finally:
        again.sock.close()
    assert load(tmp_path / "absent.json") is None


def test_tokens_never_reach_the_log(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            await post_form(server, client, {"name": "Ana", "kind": "observation", "text": "x"})
            text = Path(drill.path).read_text(encoding="utf-8")
            assert server.room.seats.participant not in text and server.room.seats.evaluator not in text
    run(go)


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    first = bind("127.0.0.1", 0)
    try:
        port = first.getsockname()[1]
        try:
            bind("127.0.0.1", port)
        except RoomBindError as exc:
            assert f"127.0.0.1:{port}" in str(exc) and "--room-port" in str(exc)
        else:
            raise AssertionError("a second bind on the same port succeeded")
    finally:
        first.close()
    try:
        bind("localhost; rm -rf", 0)
    except RoomBindError as exc:
        assert "--room-host" in str(exc)
    assert isinstance(RoomBinding, type)
