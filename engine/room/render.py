"""Pages rendered off the console's event loop.

The room is served in the console's own event loop, so every millisecond a
page takes to render was a millisecond the console could not answer a key:
thirty browsers fetching the evaluator page once pushed a key's way to the log
from 0.02 s to 2.4 s. A `Page` is made on the loop with its context (plain data,
read from the drill's state there, between two events), and rendered, when it
is sent, on the room's one render thread; the loop meanwhile serves the console.
One thread at a time renders, so a crowd of browsers queues there, not in
front of the facilitator's keys, and the `Pacer` spaces each address's
renders out (PAGES_PER_SECOND, after a burst): a script loading pages back to
back gets them slowly, and the console keeps its share of the processor.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jinja2 import Template
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

PAGES_PER_SECOND = 2.0  # one address's pages (GET), once past its burst: a script loading them gets them slowly
PAGES_AT_ONCE = 10  # an honest browser's: a page, reloads, an evaluator's live part after a few events


class Pacer:
    """Spaces each client address's page renders `1 / per_second` apart once `burst` have gone at once. A page
    waits its turn; none is refused. Fair: one address loading pages back to back slows itself, not others."""

    def __init__(self, per_second: float = PAGES_PER_SECOND, burst: int = PAGES_AT_ONCE) -> None:
        self.interval = 1.0 / per_second
        self.burst = burst
        self.next: dict[str, float] = {}  # address -> time.monotonic() of its next free turn

    async def turn(self, address: str) -> None:
        """Wait for this page's turn (at once while the address is under its burst)."""
        now = time.monotonic()
        if len(self.next) > 10_000:  # keep the table bounded
            self.next = {a: t for a, t in self.next.items() if t > now}
        start = max(self.next.get(address, 0.0), now - self.burst * self.interval)
        self.next[address] = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


class Page(Response):
    """An HTML page (`status`) that renders `template` with `context` on `pool` when sent, at its turn of
    `pacer` (None: at once). Headers set on it (a cookie, say) go with the page."""

    def __init__(self, template: Template, context: dict[str, Any], status: int, pool: ThreadPoolExecutor,
                 pacer: Pacer | None = None) -> None:
        self.template = template
        self.pacer = pacer
        self.context = context
        self.status_code = status
        self.pool = pool
        self.background = None
        self.raw_headers: list[tuple[bytes, bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.pacer is not None and scope.get("method") == "GET":  # a write's answer: its own rate limits
            client = scope.get("client")
            await self.pacer.turn(client[0] if client else "")
        text = await asyncio.get_running_loop().run_in_executor(self.pool, self._render)
        page = HTMLResponse(text, status_code=self.status_code)
        page.raw_headers += self.raw_headers
        await page(scope, receive, send)

    def _render(self) -> str:
        return self.template.render(**self.context)


def pool() -> ThreadPoolExecutor:
    """The room's render thread (one)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="tabletop-room-render")
