"""Polls in a real headless Chromium, with the page's script and without it: three participants join with
their roles, the facilitator opens a poll on the ready decision, each seat answers from its page (one
changes its answer), the projector shows nothing of the tally until the facilitator reveals it and then
shows it live, a seat proposes an option with its reason, and the decision is recorded citing the poll.
The facilitator's actions are the Drill calls the console's forms make (v, s, c, d: tests/room/
test_room_polls_console.py drives those keys), run in the room's own event loop. axe-core finds no
serious or critical violation on a seat's page with the poll and the proposal form, nor on the projector."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from consolekit import need_browser
from test_room_browser import wait_js
from test_room_projector_browser import Served
from test_room_seats_browser import serious

from engine.drill import events as ev
from engine.drill.log import read_log
from engine.drill.state import StepStatus

DECISION = "inbound-mail-continuity/failover-decision"
HOSTILE = "<img src=x onerror=alert(1)>[bold]Cy[/]"
WORDS = {"fail-over": "Fail over to the secondary MX relay", "hold": "Keep routing as it is and watch the queues"}
SEATS = [("Ann", "incident-commander", "hold"), ("Bo", "messaging-lead", "fail-over"), (HOSTILE, "observer", "hold")]


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


def ready(room: Served) -> None:
    drill = room.drill
    for _ in range(20):
        if drill.state.status(DECISION) in (StepStatus.READY, StepStatus.ACTIVE):
            return
        for key in [k for k in drill.plan.steps if drill.state.status(k) is StepStatus.READY
                    and not drill.plan.steps[k].options and k.startswith("inbound-mail-continuity/")]:
            drill.complete_step(key)
    raise AssertionError("the decision never became ready")


def wait_until(test: Any) -> None:
    while not test():
        time.sleep(0.05)  # waits on the drill, not on a deadline: the test's own timeout ends a hang


def join(browser: Any, room: Served, name: str, role: str, script: bool, dialogs: list[str]) -> Any:
    page = browser.new_context(java_script_enabled=script).new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(room.server.links["participant"] + f"?role={role}")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.wait_for_selector(".seat-name")
    return page


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_three_seats_answer_the_projector_shows_the_tally_and_the_decision_cites_it(
        room: Served, browser: Any, script: bool) -> None:
    dialogs: list[str] = []
    room.act(lambda: ready(room))
    pages = [join(browser, room, name, role, script, dialogs) for name, role, _ in SEATS]
    projector = browser.new_context(java_script_enabled=script, viewport={"width": 1280, "height": 720}).new_page()
    projector.goto(room.server.links["projector"])
    if script:
        wait_js(projector, "window.tabletopRoom !== undefined")
    room.act(lambda: room.drill.open_poll("Fail over now, or hold?", step=DECISION, by="Sam"))

    for page, (_, _, answer) in zip(pages, SEATS, strict=True):
        if not script:
            page.reload()  # without the script a page shows the poll when loaded again
        page.wait_for_selector("#poll input[type=radio]")
        page.get_by_label(WORDS["fail-over" if answer == "hold" and page is pages[0] else answer], exact=True).check()
        page.get_by_role("button", name="Send my answer").click()
        page.wait_for_selector("text=Your answer is in.")
    pages[0].get_by_label(WORDS["hold"], exact=True).check()  # Ann changes her mind before the close
    pages[0].get_by_role("button", name="Change my answer").click()
    pages[0].wait_for_selector(f"text=you chose {WORDS['hold']}")
    wait_until(lambda: room.act(lambda: room.drill.state.polls["poll-1"].count()) == {"fail-over": 1, "hold": 2})
    if script:  # axe-core runs as a script in the page: the same HTML is checked once, with it
        assert serious(pages[2]) == []

    if script:
        wait_js(projector, "document.getElementById('poll-answered').innerText === '3'")
    else:
        projector.reload()
    assert projector.locator("#poll-tally").is_hidden()  # nothing of the tally before it is revealed
    room.act(lambda: room.drill.reveal_poll("poll-1", "Sam"))
    if script:
        wait_js(projector, "document.querySelectorAll('#poll-tally li').length === 2")
    else:
        projector.reload()
    rows = [projector.locator("#poll-tally li").nth(n).inner_text().rsplit(maxsplit=1) for n in range(2)]
    assert rows == [[WORDS["fail-over"], "1"], [WORDS["hold"], "2"]]  # the runbook's words, not the ids
    if script:
        assert serious(projector) == []

    pages[1].get_by_label("On what").select_option(f"d|{DECISION}|hold")
    pages[1].get_by_label("Your reason or your answer").fill("The gateway keeps mail for four days.")
    pages[1].get_by_role("button", name="Send to the facilitator").click()
    pages[1].wait_for_selector("text=Sent to the facilitator.")
    room.act(lambda: room.drill.close_poll("poll-1", "Sam"))
    room.act(lambda: room.drill.decide(DECISION, "hold", "Two seats of three, and the queue holds.", "Dana",
                                       poll="poll-1"))
    events = read_log(room.drill.path).events
    joined = [(e.data["name"], e.data["role"]) for e in events if e.type == ev.SEAT_JOINED]
    assert joined == [(name, role) for name, role, _ in SEATS]
    assert next(e for e in events if e.type == ev.POLL_CLOSED).data["tally"] == {"fail-over": 1, "hold": 2}
    assert next(e for e in events if e.type == ev.DECISION_MADE).data["poll"] == "poll-1"
    proposal = next(e for e in events if e.type == ev.PROPOSAL_MADE)
    assert (proposal.data["option"], proposal.data["text"]) == ("hold", "The gateway keeps mail for four days.")
    assert pages[2].locator(".seat-name").inner_text() == HOSTILE and dialogs == []
