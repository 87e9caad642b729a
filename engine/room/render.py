"""Pages rendered off the console's event loop.

The room is served in the console's own event loop, so every millisecond a
page takes to render was a millisecond the console could not answer a key:
thirty browsers fetching the evaluator page once pushed a key's way to the log
from 0.02 s to 2.4 s. A `Page` is made on the loop with its context (plain data,
read from the drill's state there, between two events), and rendered, when it
is sent, on the room's one render thread; the loop meanwhile serves the console.
One thread at a time renders, so a crowd of browsers queues there, not in
front of the facilitator's keys.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jinja2 import Template
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send


class Page(Response):
    """An HTML page (`status`) that renders `template` with `context` on `pool` when sent. Headers set on it
    (a cookie, say) go with the page."""

    def __init__(self, template: Template, context: dict[str, Any], status: int, pool: ThreadPoolExecutor) -> None:
        self.template = template
        self.context = context
        self.status_code = status
        self.pool = pool
        self.background = None
        self.raw_headers: list[tuple[bytes, bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        text = await asyncio.get_running_loop().run_in_executor(self.pool, self._render)
        page = HTMLResponse(text, status_code=self.status_code)
        page.raw_headers += self.raw_headers
        await page(scope, receive, send)

    def _render(self) -> str:
        return self.template.render(**self.context)


def pool() -> ThreadPoolExecutor:
    """The room's render thread (one)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="tabletop-room-render")
