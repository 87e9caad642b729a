"""Helpers for the room tests (not a test module): a drill of the shipped scenario on a fake clock with
the room served by uvicorn on a free port of 127.0.0.1, driven from one asyncio loop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.room.seats import Seats
from engine.room.server import RoomServer, bind

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
T = TypeVar("T")
SAFETY = 600.0  # seconds: only a hung server reaches it (the tests wait on what they need, never a deadline)


def run(test: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(test())  # type: ignore[arg-type]


@asynccontextmanager
async def served(folder: Path, **room: Any) -> AsyncIterator[tuple[Drill, RoomServer, httpx.AsyncClient]]:
    plan = load_plan(str(SHIPPED))
    drill = Drill.start(plan, FakeClock(), log_path=str(folder / "drill.jsonl"), facilitator="Sam")
    server = RoomServer(drill, Seats.new(), bind("127.0.0.1", 0), "127.0.0.1", **room)
    task = asyncio.create_task(server.serve())
    while not server.server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=server.base, timeout=SAFETY) as client:
            yield drill, server, client
    finally:
        server.stop()
        await asyncio.wait_for(task, SAFETY)
        drill.close()


async def sse(client: httpx.AsyncClient, path: str, count: int, headers: dict[str, str] | None = None,
              after: Callable[[], None] | None = None) -> list[dict[str, Any]]:
    """The first `count` messages with an id on the stream at `path` ({"id", "event", "data"}); `after` runs once
    the stream is open (to make events happen)."""
    out: list[dict[str, Any]] = []
    async with client.stream("GET", path, headers=headers or {}) as response:
        assert response.status_code == 200, response.status_code
        if after is not None:
            after()
        message: dict[str, Any] = {}
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                message["id"] = int(line[3:].strip())
            elif line.startswith("event:"):
                message["event"] = line[6:].strip()
            elif line.startswith("data:"):
                message["data"] = json.loads(line[5:].strip())
            elif not line and "id" in message:
                out.append(message)
                message = {}
                if len(out) == count:
                    break
    return out


def post_form(server: RoomServer, client: httpx.AsyncClient, fields: dict[str, str],
              origin: str | None = "same") -> Awaitable[httpx.Response]:
    headers = {} if origin is None else {"origin": server.base if origin == "same" else origin}
    return client.post(server.links["evaluator"] + "/observations", data=fields, headers=headers)


def browser(server: RoomServer, n: int, **options: Any) -> httpx.AsyncClient:
    """A client of its own for participant `n`, from its own loopback address (127.0.2.n+1): a room is many
    phones, each with its address, and the room caps the connections one address may hold."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.2.{n + 1}")
    return httpx.AsyncClient(base_url=server.base, timeout=SAFETY, transport=transport, **options)
