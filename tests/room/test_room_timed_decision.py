"""A timed decision in the drill room (issue 22): the projector and the participant page count down from the
moment the decision is ready (the question, the time left, the option taken when it runs out), never say
which option anyone chose, and drop the countdown with the next message once the drill clock has taken the
default. Over HTTP against the room in this process, then in a real headless Chromium (skipped without one,
like the other browser tests), with axe-core on the projector while it counts down. The drill's clock is a
FakeClock moved by the test: everything waits on conditions, nothing on a number of seconds."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
from consolekit import need_browser
from roomkit import SAFETY, run, sse

from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.room.seats import Seats
from engine.room.server import RoomServer, bind

T = TypeVar("T")

RUNBOOK = """\
runbook: rb
title: Keep mail flowing
roles:
  ic: Incident commander
steps:
  assess:
    title: Assess the deferrals
    owner: ic
  route:
    title: Fail over or hold?
    owner: ic
    needs: [assess]
    decision:
      question: Move inbound mail to the relay?
      within: 15m
      default: hold
      options:
        fail-over: {label: Fail over to the relay, next: [watch]}
        hold: {label: Keep routing and watch the queues, next: [watch]}
  watch:
    title: Watch the queues
    owner: ic
"""

SCENARIO = """\
scenario: sc
title: Mail stops
runbooks: [rb]
injects:
  - id: deferrals
    at: T+0m
    say: Partners report 451 deferrals.
"""


def _drill(folder: Path) -> tuple[Drill, FakeClock]:
    for part, name, text in (("runbooks", "rb.yaml", RUNBOOK), ("scenarios", "sc.yaml", SCENARIO)):
        (folder / part).mkdir()
        (folder / part / name).write_text(text, encoding="utf-8")
    plan = load_plan(str(folder / "scenarios" / "sc.yaml"), [str(folder / "runbooks")])
    clock = FakeClock()
    return Drill.start(plan, clock, log_path=str(folder / "drill.jsonl"), facilitator="Sam"), clock


@asynccontextmanager
async def _served(drill: Drill) -> AsyncIterator[tuple[RoomServer, httpx.AsyncClient]]:
    server = RoomServer(drill, Seats.new(), bind("127.0.0.1", 0), "127.0.0.1")
    task = asyncio.create_task(server.serve())
    while not server.server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=server.base, timeout=SAFETY) as client:
            yield server, client
    finally:
        server.stop()
        await asyncio.wait_for(task, SAFETY)


def test_the_room_counts_down_and_drops_the_countdown_once_the_default_is_taken(tmp_path: Path) -> None:
    drill, clock = _drill(tmp_path)

    async def go() -> None:
        async with _served(drill) as (server, client):
            projector = server.links["participant"] + "?projector=1"
            assert 'id="countdown" hidden' in (await client.get(projector)).text  # waiting: nothing counts down
            clock.advance(300)
            drill.complete_step("rb/assess")  # ready at T+0:05
            clock.advance(180)
            page = (await client.get(projector)).text
            assert 'id="countdown" hidden' not in page
            assert "Move inbound mail to the relay?" in page and "12:00</strong> left" in page
            assert "Keep routing and watch the queues" in page
            events = server.links["participant"] + "/events"
            told = await sse(client, events, 1, headers={"Last-Event-ID": str(drill.state.seq - 1)})
            [shown] = told[0]["data"]["clock"]["decisions"]
            assert (shown["step"], shown["due"], shown["text"]) == ("route", 1200.0, "12:00")
            clock.advance(13 * 60)  # past T+0:20: the console's tick takes the default
            before = drill.state.seq
            [fallen] = drill.take_defaults()
            told = await sse(client, events, 1, headers={"Last-Event-ID": str(before)})
            assert told[0]["event"] == "other" and set(told[0]["data"]) == {"seq", "kind", "clock"}
            assert told[0]["data"]["clock"]["decisions"] == []  # the next message drops the countdown
            page = (await client.get(projector)).text
            assert 'id="countdown" hidden' in page
            assert "Keep routing" not in page and "Fail over" not in page  # nor which option was taken
    run(go)
    drill.close()


@contextmanager
def _room_in_a_thread(drill: Drill) -> Iterator[tuple[RoomServer, Callable[[Callable[[], T]], T]]]:
    """The room served on its own event loop in a thread (Playwright's sync API wants this one); `on_loop(f)`
    runs f there, as the console runs drill actions on the loop the room shares with it."""
    loop = asyncio.new_event_loop()
    server = RoomServer(drill, Seats.new(), bind("127.0.0.1", 0), "127.0.0.1")
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), daemon=True)
    thread.start()
    while not getattr(server.server, "started", False):
        time.sleep(0.01)

    def on_loop(action: Callable[[], T]) -> T:
        async def call() -> T:
            return action()
        return asyncio.run_coroutine_threadsafe(call(), loop).result(SAFETY)

    try:
        yield server, on_loop
    finally:
        loop.call_soon_threadsafe(server.stop)
        thread.join(SAFETY)
        left = asyncio.all_tasks(loop)  # the streams' watchers: cancelled and awaited, not dropped
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        loop.close()


def wait_js(page: Any, expression: str) -> None:
    """Poll a JavaScript expression until it is true (the room's CSP refuses wait_for_function's eval)."""
    while not page.evaluate(expression):
        time.sleep(0.02)  # a condition, not a deadline: the test's own timeout ends a hang


def test_a_projector_in_chromium_counts_down_and_the_decision_falls_to_its_default(tmp_path: Path) -> None:
    chromium = need_browser()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    drill, clock = _drill(tmp_path)
    with _room_in_a_thread(drill) as (server, on_loop), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.set_default_timeout(SAFETY * 1000)
            page.goto(server.links["participant"] + "?projector=1")
            wait_js(page, "window.tabletopRoom !== undefined")
            assert page.locator("#countdown").is_hidden()

            def ready() -> None:
                clock.advance(300)
                drill.complete_step("rb/assess")
            on_loop(ready)  # the stream brings the countdown, no reload
            wait_js(page, "!document.getElementById('countdown').hidden")
            text = page.locator("#countdown").inner_text()
            assert "Move inbound mail to the relay?" in text and "Keep routing and watch the queues" in text
            assert "left; then:" in text
            results = Axe().run(page)
            assert results.response["passes"], "axe-core did not run"
            assert [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == []

            def run_out() -> list[Any]:
                clock.advance(16 * 60)
                return drill.take_defaults()  # what the console's tick does when the clock passes the limit
            assert [e.data["option"] for e in on_loop(run_out)] == ["hold"]
            wait_js(page, "document.getElementById('countdown').hidden")
            assert drill.state.decisions["rb/route"].fell_to_default
        finally:
            browser.close()
    drill.close()
