"""Joining the drill room in a real headless Chromium against the real console: the participant link asks for
a name and a role, the seat lands in the log as seat.joined with the name literal, an inject to that role is
marked "for you", Leave writes seat.left; axe-core finds no serious or critical violation on the join form
nor on a seat's page. Skipped without Chromium, like the other browser tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from consolekit import need_browser
from test_room_browser import start_console

from engine.drill.log import read_log

NAME = "<img src=x onerror=alert(1)>[bold]Ann[/] {{ 7*7 }}"


@pytest.fixture
def browser() -> Iterator[Any]:
    chromium = need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def wait_for_event(log: Path, kind: str) -> dict[str, Any]:
    while not (found := [e for e in read_log(str(log)).events if e.type == kind]):
        time.sleep(0.05)  # waits on the log, not on a deadline: the test's own timeout ends a hang
    return found[-1].data


def serious(page: Any) -> list[tuple[str, str]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.response["passes"], "axe-core did not run"
    return [(v["id"], v["help"]) for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_a_participant_joins_is_marked_for_their_role_and_leaves(browser: Any, tmp_path: Path) -> None:
    log = tmp_path / "seats.jsonl"
    console, links = start_console(log)
    try:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(links["participant"] + "?role=incident-commander")
        assert serious(page) == []
        assert page.get_by_label("Your role").input_value() == "incident-commander"
        page.get_by_label("Your name").fill(NAME)
        page.get_by_role("button", name="Join").click()
        page.wait_for_selector(".seat-name")
        joined = wait_for_event(log, "seat.joined")
        assert (joined["name"], joined["role"]) == (NAME, "incident-commander")
        assert page.locator(".seat-name").inner_text() == NAME and page.locator(".seat img").count() == 0
        assert serious(page) == []
        if page.locator("#current .to").count() and "incident-commander" in page.locator("#current .to").inner_text():
            assert page.locator("#current .for-you").count() == 1
        page.get_by_role("button", name="Leave").click()
        page.wait_for_selector("#join-name")
        assert wait_for_event(log, "seat.left") == {"seat": joined["seat"]}
        assert dialogs == []
    finally:
        console.quit()
