"""What the room may add to the drill log: at most so many bytes in any minute, then a clear refusal.

A hash-chained log cannot be cleaned afterwards, and every write is fsynced:
a script sending feedback forms through the projected link once added 60 of
them (33.7 KB each) in 12 s, some 1.2 GB an hour at the rate then allowed.
`LogCap` counts the bytes each event the room records adds to the log (the
growth of the file, read when the drill tells its listeners), in a window of
the last 60 seconds, with the bodies of the writes under way; `CapGuard`
refuses a write (any POST) while that is full, with a 429 page that says why
and when to send it again. The console's
own events are never refused and do not count.
"""

from __future__ import annotations

import contextvars
import os
from collections import deque
from collections.abc import Callable

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from engine.drill import events as ev
from engine.drill.session import Drill

WINDOW = 60.0  # seconds
MAX_HELD = 64 * 1024  # bytes held for a write under way that does not say its length
_BY_ROOM: contextvars.ContextVar[bool] = contextvars.ContextVar("tabletop_room_write", default=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not recorded: the room is busy · tabletop room</title>
<link rel="stylesheet" href="/static/room.css">
</head>
<body>
<main id="main">
<h1>Not recorded: the room is busy</h1>
<p id="busy" class="error" role="alert">The drill room has added all it may to the drill log in the last minute
({kb} KB), so what you sent was not recorded. Go back and send it again in {seconds} seconds.</p>
<p>This cap keeps a flood of forms from filling the log, which cannot be cleaned afterwards. If it keeps happening,
tell the facilitator.</p>
</main>
</body>
</html>
"""


class LogCap:
    """The bytes the room's writes added to `drill`'s log in the last WINDOW seconds, against `per_minute`.
    `now` gives seconds (the drill's clock). Registers itself as a drill listener; `close` removes it."""

    def __init__(self, drill: Drill, per_minute: int, now: Callable[[], float]) -> None:
        self.drill = drill
        self.per_minute = per_minute
        self.now = now
        self.spent: deque[tuple[float, int]] = deque()  # (when, bytes), oldest first
        self.pending = 0  # bytes the writes under way may add (their bodies' sizes), held until they end
        self.size = os.path.getsize(drill.path)
        drill.listeners.append(self.told)

    def close(self) -> None:
        if self.told in self.drill.listeners:
            self.drill.listeners.remove(self.told)

    def told(self, event: ev.Event) -> None:
        """A drill listener: the event is on disk; charge its bytes when the room wrote it."""
        size = os.path.getsize(self.drill.path)
        grown, self.size = size - self.size, size
        if _BY_ROOM.get() and grown > 0:
            self.spent.append((self.now(), grown))

    def used(self) -> int:
        """Bytes the room added in the last WINDOW seconds."""
        now = self.now()
        while self.spent and self.spent[0][0] <= now - WINDOW:
            self.spent.popleft()
        return sum(n for _, n in self.spent)

    def wait(self) -> int:
        """Whole seconds until the room may write again (0: now). The writes under way count as written, so a
        burst admitted at once cannot pass the cap by more than one write."""
        left = self.used() + self.pending
        if left < self.per_minute:
            return 0
        if not self.spent:  # all of it under way: try again once it has ended
            return 1
        enough = self.spent[-1][0]  # when enough has left the window to go under the cap
        for when, n in self.spent:
            left -= n
            if left < self.per_minute:
                enough = when
                break
        return max(1, int(enough + WINDOW - self.now() + 0.999))


class CapGuard:
    """Refuse a write (POST) with a 429 page while `cap` is full; mark the writes it lets through as the room's."""

    def __init__(self, app: ASGIApp, cap: LogCap) -> None:
        self.app = app
        self.cap = cap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        seconds = self.cap.wait()
        if seconds:
            page = PAGE.format(kb=self.cap.per_minute // 1024, seconds=seconds)
            await HTMLResponse(page, status_code=429, headers={"Retry-After": str(seconds)})(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        held = int(declared) if declared.isdigit() and len(declared) < 10 else MAX_HELD
        self.cap.pending += held  # taken before anything awaits: a burst cannot all pass the check above
        token = _BY_ROOM.set(True)
        try:
            await self.app(scope, receive, send)
        finally:
            _BY_ROOM.reset(token)
            self.cap.pending -= held
