"""Connection floods against the drill room, as found on loopback: 300 connections that never sent a request
locked everyone out (no token needed), for as long as they stayed open. Now one address holds a capped number
of connections and a connection that sends no whole request's headers is closed. The attacker's connections
come from 127.0.0.2 (Linux routes all of 127/8 to loopback); the room's own seats from 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

from roomkit import run, served

from engine.room.server import RoomServer

FLOOD = 300
GENEROUS = 120.0  # seconds: a timed-out connection is closed long before this, even on a loaded machine


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sent until it closed the connection."""
    return await asyncio.wait_for(reader.read(), GENEROUS)


def held_from(server: RoomServer, address: str) -> int:
    return sum(1 for c in server.server.server_state.connections if getattr(c, "client", None)
               and c.client[0] == address and not c.transport.is_closing())


def test_three_hundred_idle_connections_leave_the_seats_served(tmp_path: Path) -> None:
    async def go() -> None:
        async with served(tmp_path) as (drill, server, client):
            idle: list[asyncio.StreamWriter] = []
            ends: list[asyncio.Task[bytes]] = []  # each connection's bytes from the server, once it closes it
            for _ in range(FLOOD):
                reader, writer = await asyncio.open_connection("127.0.0.1", server.port, local_addr=("127.0.0.2", 0))
                idle.append(writer)
                ends.append(asyncio.create_task(reader.read()))
            try:
                while True:  # wait until the server has taken each one: holding it, or turned away
                    turned_away = [end for end in ends if end.done()]
                    if len(turned_away) + held_from(server, "127.0.0.2") >= FLOOD:
                        break
                    await asyncio.sleep(0.02)
                for link in (server.links["participant"], server.links["evaluator"], server.links["projector"]):
                    page = await client.get(link)
                    assert page.status_code == 200, (link, page.status_code, page.text[:200])
                assert held_from(server, "127.0.0.2") <= server.options.per_address
                told = turned_away[0].result()
                assert b"503" in told.split(b"\r\n")[0] and b"Too many connections from your address" in told
            finally:
                for writer in idle:
                    writer.close()
                for end in ends:
                    end.cancel()
    run(go)


def test_a_connection_that_never_finishes_its_headers_is_closed(tmp_path: Path) -> None:
    from engine.room.server import RoomOptions

    async def go() -> None:
        async with served(tmp_path, options=RoomOptions(header_seconds=0.5, idle_seconds=60)) as (drill, server, _):
            host = f"127.0.0.1:{server.port}"
            silent = await asyncio.open_connection("127.0.0.1", server.port)
            slow = await asyncio.open_connection("127.0.0.1", server.port)
            slow[1].write(f"GET {server.links['participant']} HTTP/1.1\r\nHost: {host}\r\n".encode())  # never ends
            kept = await asyncio.open_connection("127.0.0.1", server.port)  # one whole request, then half of one
            path = server.links["participant"].split(str(server.port), 1)[1]
            kept[1].write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            assert (await kept[0].readline()).startswith(b"HTTP/1.1 200")
            kept[1].write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n".encode())
            live = await asyncio.open_connection("127.0.0.1", server.port)  # a live stream is not timed
            live[1].write(f"GET {path}/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            assert (await live[0].readline()).startswith(b"HTTP/1.1 200")
            assert await closed_by_server(silent[0]) == b""
            assert await closed_by_server(slow[0]) == b""
            await closed_by_server(kept[0])
            seq = drill.note("observation", "after the others were closed", None).seq
            while await asyncio.wait_for(live[0].readline(), GENEROUS) != f"id: {seq}\r\n".encode():
                pass  # the live stream, older than every deadline, is still told each event
            for _, writer in (silent, slow, kept, live):
                writer.close()
    run(go)


def test_a_form_whose_body_trickles_is_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The sibling of the header deadline: headers sent whole, then the body a byte at a time, held a writer."""
    from engine.room import guard

    monkeypatch.setattr(guard, "BODY_SECONDS", 0.5)

    async def go() -> None:
        async with served(tmp_path) as (drill, server, _):
            host = f"127.0.0.1:{server.port}"
            path = server.links["evaluator"].split(str(server.port), 1)[1] + "/observations"
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nContent-Length: 100\r\n"
                         "Content-Type: application/x-www-form-urlencoded\r\n\r\nname=A".encode())
            answer = await asyncio.wait_for(reader.read(4096), GENEROUS)
            assert answer.startswith(b"HTTP/1.1 400") and b"did not arrive within" in answer
            writer.close()
    run(go)
