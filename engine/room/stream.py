"""The room's live stream: every event of the log, in order, told to each browser once.

`Hub` holds what the participant seat may know of each event (see
views.public_event), indexed by the log's `seq`. It learns of new events from
the drill's listeners, that is after each one is fsynced and applied, and
wakes the streams waiting on it. A stream's SSE ids are the `seq`s, so a
browser that reconnects with Last-Event-ID gets every event after that one,
in order, and none twice.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from sse_starlette.sse import ServerSentEvent

from engine.drill import events as ev
from engine.drill.log import read_log
from engine.drill.replay import replay_events
from engine.drill.session import Drill
from engine.room.views import clock, public_event

ENCODED_KEPT = 512  # messages kept encoded; past this the cache starts again


class Hub:
    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.payloads: list[dict[str, Any]] = []  # index = seq
        self._wakers: set[asyncio.Event] = set()
        self._encoded: dict[int, tuple[bytes, float]] = {}  # seq -> (message, clock when encoded): shared
        self._catch_up()
        drill.listeners.append(self.told)

    def _catch_up(self) -> None:
        """The events already in the log, folded again so each is told as it stood then."""
        told = read_log(self.drill.path).events[: self.drill.state.seq + 1]
        replay_events(self.drill.plan, self.drill.path, told,
                      lambda event, state: self.payloads.append(public_event(event, state)))

    def told(self, event: ev.Event) -> None:
        """A drill listener: the event is on disk and applied."""
        if event.seq != len(self.payloads):  # already read from the log
            return
        self.payloads.append(public_event(event, self.drill.state))
        for waker in self._wakers:
            waker.set()

    def close(self) -> None:
        if self.told in self.drill.listeners:
            self.drill.listeners.remove(self.told)
        for waker in self._wakers:
            waker.set()

    def encode(self, seq: int) -> bytes:
        """One SSE message: id the seq, event the kind, data the JSON payload with the clock as it reads now
        (to the second: a message encoded less than a second ago is shared by every stream that sends it)."""
        now_t = self.drill.now_t()
        cached = self._encoded.get(seq)
        if cached is not None and abs(now_t - cached[1]) < 1:
            return cached[0]
        payload = self.payloads[seq]
        data = {**payload, "clock": clock(self.drill.state, now_t)}
        message = ServerSentEvent(json.dumps(data, ensure_ascii=False), id=str(seq), event=payload["kind"]).encode()
        if len(self._encoded) >= ENCODED_KEPT:
            self._encoded.clear()
        self._encoded[seq] = (message, now_t)
        return message

    async def follow(self, after: int, closing: asyncio.Event) -> AsyncIterator[bytes]:
        """Encoded SSE messages for every event with seq > `after`, then each new one, until `closing` is set."""
        waker = asyncio.Event()
        self._wakers.add(waker)
        try:
            nxt = max(after + 1, 0)
            while not closing.is_set():
                waker.clear()
                while nxt < len(self.payloads):
                    yield self.encode(nxt)
                    nxt += 1
                await waker.wait()
        finally:
            self._wakers.discard(waker)


def last_event_id(header: str | None, query: str | None) -> int:
    """Where a stream resumes: the Last-Event-ID header (or ?after= for a first connection); -1: from the start."""
    for value in (header, query):
        if value is not None and value.strip().lstrip("-").isdigit() and len(value) < 20:
            return max(-1, int(value))
    return -1
