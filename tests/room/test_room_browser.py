"""The drill room in a real headless Chromium against the real console (in a pseudo-terminal):
injects reach the participant page, observations reach the log with their author, hostile text stays
literal, a SIGKILLed console resumed with --room lets an open page catch up once and in order, and
axe-core finds no serious or critical accessibility violation in either view."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from consolekit import GUARD, ROOT, SAFETY, Console, need_browser, wait_file

from engine.cli import main
from engine.drill.log import read_log

SCENARIO = "scenarios/m365-na-outage-2026-01-22.yaml"
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>[bold red]loud[/] {{ 7*7 }} &amp;"
SHOTS = os.environ.get("TABLETOP_ROOM_SHOTS")  # a folder: screenshots of each view for a person to look at


@pytest.fixture
def browser() -> Iterator[Any]:
    chromium = need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield Patient(browser)
        finally:
            browser.close()


class Patient:
    """The browser, its pages waiting up to SAFETY for what they wait on (Playwright's own limit is 30 s, which
    a loaded machine can pass): the tests wait on conditions, this only stops a hung page."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def new_context(self, **options: Any) -> Any:
        context = self.browser.new_context(**options)
        context.set_default_timeout(SAFETY * 1000)
        context.set_default_navigation_timeout(SAFETY * 1000)
        return context

    def new_page(self, **options: Any) -> Any:
        page = self.browser.new_page(**options)
        page.set_default_timeout(SAFETY * 1000)
        page.set_default_navigation_timeout(SAFETY * 1000)
        return page


def notes_by(log: Path) -> list[tuple[str, str]]:
    return [(e.data.get("by", ""), e.data.get("text", "")) for e in read_log(str(log)).events if e.type == "note"]


def wait_log(log: Path, test: Any, timeout: float = SAFETY) -> None:
    deadline = time.monotonic() + timeout
    while not test(read_log(str(log)).events):
        assert time.monotonic() < deadline, "the log never showed what was expected"
        time.sleep(0.05)


def wait_js(page: Any, expression: str, timeout: float = SAFETY) -> None:
    """Poll a JavaScript expression until it is true (Playwright's wait_for_function compiles its predicate
    with eval, which the room's Content-Security-Policy rightly refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true in the page: {expression}"
        time.sleep(0.02)


def received(page: Any) -> list[int]:
    return list(page.evaluate("window.tabletopRoom ? window.tabletopRoom.received : []"))


def start_console(log: Path, *extra: str) -> tuple[Console, dict[str, str]]:
    console = Console(SCENARIO, "--log", str(log), "--facilitator", "Sam", "--room", *extra)
    since = console.mark()
    console.answer("Name the facilitator", "\x1b")  # Esc: start without more names
    room = log.with_name(log.stem + ".room.json")
    wait_file(room)
    console.answer(" INJECT ", "\x1b", since)  # close the T+0 inject's announcement once it is up
    return console, json.loads(room.read_text(encoding="utf-8"))


def test_room_end_to_end(browser: Any, tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "room.jsonl"
    console, links = start_console(log)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        context.on("page", lambda page: page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
        participant = context.new_page()
        participant.goto(links["participant"])
        wait_js(participant, "window.tabletopRoom !== undefined")
        participant.wait_for_selector("#live-state:has-text('Live')")

        # An inject fired in the console appears on the participant page (measured, not asserted: see bench/)
        before = len(read_log(str(log)).events)
        asked = console.press_until("i", "Fire now", first="\x1b")  # firing by hand asks first (issue 10) ...
        console.answer("Fire now", "y", asked)  # ... and takes the answer once the dialog has been up a moment
        fired_at, since = time.monotonic(), console.mark()
        wait_log(log, lambda events: len(events) > before and events[-1].type == "inject.fired")
        inject = read_log(str(log)).events[-1].data["inject"]
        wait_js(participant, f"window.tabletopRoom.received.includes({before})")
        shown_after = time.monotonic() - fired_at
        console.answer(" INJECT ", "\x1b", since)  # close its announcement
        say_first_line = participant.locator("#current .say").inner_text()
        assert say_first_line, "the fired inject is not shown"
        body = participant.locator("body").inner_text()
        assert "Expect" not in body and "expect" not in body
        print(f"inject {inject} shown on the participant page {shown_after:.3f}s after the key")

        # Two evaluators record observations; each lands in the log with its author
        for name, text in (("Ana Evaluator", "Deferrals confirmed from outside within 10 minutes."),
                           ("Ben Evaluator", HOSTILE)):
            evaluator = context.new_page()
            evaluator.goto(links["evaluator"])
            evaluator.get_by_label("Your name").fill(name)
            evaluator.get_by_label("What you observed").fill(text)
            evaluator.get_by_label("Area for improvement").check()
            evaluator.get_by_label("Corrective action").fill("Write the probe into the runbook")
            evaluator.get_by_role("button", name="Record").click()
            evaluator.wait_for_selector("text=Recorded in the drill log.")
            wait_log(log, lambda events, name=name: any(e.type == "note" and e.data.get("by") == name
                                                        for e in events))
            assert evaluator.get_by_label("Your name").input_value() == name  # given once, kept
            evaluator.close()
        assert ("Ana Evaluator", "Deferrals confirmed from outside within 10 minutes.") in notes_by(log)
        assert ("Ben Evaluator", HOSTILE) in notes_by(log)

        evaluator = context.new_page()
        evaluator.goto(links["evaluator"])
        assert evaluator.locator(".notes .text").first.inner_text() == HOSTILE
        assert evaluator.locator(".notes img").count() == 0 and evaluator.locator("#live script").count() == 0
        assert dialogs == []
        assert evaluator.locator(".injects .expect").count() >= 1  # the evaluator sees what was expected

        # Wrong token: 404, nothing revealed
        wrong = context.new_page()
        response = wrong.goto(links["participant"][:-4] + "AAAA")
        assert response is not None and response.status == 404 and wrong.locator("body").inner_text() == "Not Found"
        wrong.close()

        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            participant.screenshot(path=str(Path(SHOTS) / "participant.png"), full_page=True)
            evaluator.screenshot(path=str(Path(SHOTS) / "evaluator.png"), full_page=True)
            projector = context.new_page()
            projector.goto(links["projector"])
            projector.screenshot(path=str(Path(SHOTS) / "projector.png"))

        # SIGKILL mid-drill, resume with --room: the open participant page catches up, each event once, in order
        first_seq = int(participant.evaluate("parseInt(document.body.dataset.seq, 10)"))
        console.kill()
        resumed = Console(SCENARIO, "--resume", str(log), "--room")
        console = resumed
        count = len(read_log(str(log)).events)
        # killed with the clock running, it asks; the time away does not count (clock.gap)
        console.answer("Count that time on the exercise clock?", "n")
        wait_log(log, lambda events: len(events) > count)
        time.sleep(GUARD)  # keys typed as the question closes are dropped
        console.keys("p", pause=0)
        wait_log(log, lambda events: events[-1].type == "clock.resumed")
        asked = console.press_until("i", "Fire now", first="\x1b")
        console.answer("Fire now", "y", asked)
        since = console.mark()
        wait_log(log, lambda events: events[-1].type == "inject.fired" and events[-2].type == "clock.resumed")
        console.answer(" INJECT ", "\x1b", since)
        assert json.loads(log.with_name("room.room.json").read_text(encoding="utf-8")) == {
            **links, "port": json.loads(log.with_name("room.room.json").read_text(encoding="utf-8"))["port"]}
        last = read_log(str(log)).events[-1].seq
        wait_js(participant, f"window.tabletopRoom.received.includes({last})")
        got = received(participant)
        assert got == list(range(first_seq + 1, last + 1)), got  # none missed, none twice, in order
        assert participant.evaluate("window.tabletopRoom.gaps") == 0
        last_inject = read_log(str(log)).events[-1].data["inject"]
        assert participant.locator("#current .say").inner_text()
        assert participant.locator("#earlier li").count() >= 2
        print(f"after the restart the page caught up to seq {last} (inject {last_inject})")
    finally:
        console.quit()
    assert main(["log", "verify", str(log)]) == 0
    capsys.readouterr()
    assert str(ROOT)  # the console ran from the project's root


def test_both_views_pass_axe(browser: Any, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    log = tmp_path / "axe.jsonl"
    console, links = start_console(log)
    try:
        page = browser.new_page()
        found = {}
        for seat in ("participant", "projector", "evaluator"):
            page.goto(links[seat])
            results = Axe().run(page)
            found[seat] = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
                           if v["impact"] in ("serious", "critical")]
            assert results.response["passes"], "axe-core did not run"
        assert found == {"participant": [], "projector": [], "evaluator": []}
    finally:
        console.quit()
