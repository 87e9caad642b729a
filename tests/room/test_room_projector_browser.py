"""The projector in a real headless Chromium at 1920x1080 and 1280x720, in a busy moment of the shipped
scenario (a module under way with its situation and questions, its injects fired, a service down, a poll
of four options revealed with its tally): the whole width used, nothing below the fold and no panel cut
short, body text at least 24 px at 1080p; the module shown changes at its time with no event; the page
says "ended", not "paused", once the drill has ended; axe-core finds no serious or critical violation.
Screenshots go to the test's folder (TABLETOP_SHOTS=DIR keeps them there to look at)."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from consolekit import need_browser
from roomkit import SHIPPED
from test_room_browser import wait_js
from test_room_seats_browser import serious

from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.room.seats import Seats
from engine.room.server import RoomServer, bind

SIZES = [(1920, 1080), (1280, 720)]
LAYOUT = """() => {
  const main = [...document.querySelectorAll("main p, main li, main h2, main h3, .top h1, .clock, footer p")]
    .filter(e => e.offsetParent !== null && e.innerText.trim() && !e.closest(".visually-hidden"));
  const sections = [...document.querySelectorAll(".wall > section")].filter(e => e.offsetParent !== null);
  const right = Math.max(...sections.map(e => e.getBoundingClientRect().right));
  const left = Math.min(...sections.map(e => e.getBoundingClientRect().left));
  return {scroll: document.documentElement.scrollHeight, inner: window.innerHeight, width: window.innerWidth,
          used: right - left, smallest: Math.min(...main.map(e => parseFloat(getComputedStyle(e).fontSize))),
          body: parseFloat(getComputedStyle(document.querySelector(".say")).fontSize),
          cut: sections.filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.className),
          shown: sections.map(e => e.className)};
}"""


class Served:
    """The room over a drill of the shipped scenario, served from a thread of its own; `act` runs a drill
    action in the room's event loop (the one writer, as the console's loop is)."""

    def __init__(self, folder: Path) -> None:
        self.clock = FakeClock()
        self.drill = Drill.start(load_plan(str(SHIPPED)), self.clock, log_path=str(folder / "d.jsonl"),
                                 facilitator="Sam")
        self.server = RoomServer(self.drill, Seats.new(), bind("127.0.0.1", 0), "127.0.0.1")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self.server.serve(),), daemon=True)
        self.thread.start()
        self.act(lambda: None)  # waits until the loop runs
        while not self.server.server.started:
            self.act(lambda: None)

    def act(self, action: Callable[[], Any]) -> Any:
        async def run() -> Any:
            return action()
        return asyncio.run_coroutine_threadsafe(run(), self.loop).result()

    def close(self) -> None:
        self.act(self.server.stop)
        self.thread.join()
        self.drill.close()


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Served]:
    served = Served(tmp_path)
    try:
        yield served
    finally:
        served.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    chromium = need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


def busy(room: Served) -> None:
    """Module 2 under way with its injects, a service down, four seats and a poll of four options revealed."""
    drill = room.drill
    drill.jump(5400 + 60)
    drill.fire_due()
    drill.set_service("exchange-online", "down") if "exchange-online" in drill.plan.services else None
    for n, name in enumerate(("Ann", "Bo", "Cy", "Dee")):
        drill.join(f"s{n}", name, "observer")
    drill.open_poll("Which do we brief first, now that inbound mail has stopped for the whole region?",
                    ["The executive team", "Customer support", "The largest partners", "Everyone at once"])
    for n, answer in enumerate(("Customer support", "Customer support", "The executive team", "Everyone at once")):
        drill.answer_poll("poll-1", f"s{n}", answer)
    drill.reveal_poll("poll-1")


def shots(folder: Path) -> Path:
    kept = os.environ.get("TABLETOP_SHOTS")
    return Path(kept) if kept else folder


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_projector_fills_the_screen_without_a_fold(room: Served, browser: Any, tmp_path: Path,
                                                       size: tuple[int, int]) -> None:
    room.act(lambda: busy(room))
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(room.server.links["projector"])
    wait_js(page, "document.querySelector('#poll-tally li') !== null")
    page.screenshot(path=str(shots(tmp_path) / f"projector-{size[0]}x{size[1]}.png"))
    layout = page.evaluate(LAYOUT)
    assert layout["scroll"] <= layout["inner"], layout  # nothing below the fold
    assert layout["cut"] == [], layout  # no panel cut short by the grid
    assert layout["used"] >= 0.9 * layout["width"], layout  # the whole width used
    assert {"current", "module", "poll", "services"} <= {c.split()[0] for c in layout["shown"]}, layout
    if size == (1920, 1080):
        assert layout["smallest"] >= 24, layout  # body text read from the back of the room
    assert page.locator("#poll-tally li").count() == 4
    assert serious(page) == []


def test_the_module_changes_at_its_time_and_the_end_reads_ended(room: Served, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    room.act(lambda: room.drill.jump(5400 - 3))  # three seconds before module 2 begins
    page.goto(room.server.links["projector"])
    first = page.locator("#module-heading").inner_text()
    room.clock.advance(4)  # the clock passes module 2's start; no event is written
    seq = room.act(lambda: room.drill.state.seq)
    wait_js(page, f"document.querySelector('#module-heading').innerText !== {first!r}")
    assert room.act(lambda: room.drill.state.seq) == seq
    assert page.locator("#module-heading").inner_text() == room.drill.plan.scenario.modules[1].title
    room.act(lambda: room.drill.end("finished"))
    wait_js(page, "document.querySelector('#clock-state').innerText === 'ended'")
    page.reload()
    wait_js(page, "window.tabletopRoom !== undefined")
    page.wait_for_timeout(600)  # the page's own clock redraws twice a second: it must still say ended
    assert page.locator("#clock-state").inner_text() == "ended"


def crowded(room: Served, free: bool) -> None:
    """The longest poll the drill takes, revealed: a question of 300 characters and 12 options of 120 (or a
    free-text poll with the 8 answers shown at 500 characters), each chosen by a seat."""
    drill = room.drill
    drill.jump(5400 + 60)
    drill.fire_due()
    question = ("Which do we brief first, now that inbound mail has stopped for the whole region? " * 4)[:300]
    options = [] if free else [(f"Option {n}: brief them by phone, then by the status page, then again " * 2)[:120]
                               for n in range(12)]
    for n in range(12):
        drill.join(f"s{n}", f"Seat {n}", "observer")
    drill.open_poll(question, options)
    for n in range(12):
        drill.answer_poll("poll-1", f"s{n}", options[n] if options else ("We should say it plainly. " * 20)[:500])
    drill.reveal_poll("poll-1")


@pytest.mark.parametrize("free", [False, True], ids=["12-options", "free-text"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_longest_poll_fits_the_projector(room: Served, browser: Any, size: tuple[int, int], free: bool) -> None:
    """Each long option wrapped over several lines: at 1280x720 two of twelve showed and the rest were cut."""
    room.act(lambda: crowded(room, free))
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(room.server.links["projector"])
    wait_js(page, "document.querySelector('#poll-tally li') !== null")
    layout = page.evaluate(LAYOUT)
    assert layout["scroll"] <= layout["inner"], layout
    assert layout["cut"] == [], layout
    rows = page.locator("#poll-tally li")
    assert rows.count() == (8 if free else 12)
    last = rows.nth(rows.count() - 1).bounding_box()
    poll = page.locator("section.poll").bounding_box()
    assert last is not None and poll is not None and last["y"] + last["height"] <= poll["y"] + poll["height"]
