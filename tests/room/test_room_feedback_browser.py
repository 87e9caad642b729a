"""The participant feedback form in a real headless Chromium against the real console (in a pseudo-terminal):
the page waits while the form is closed and shows it, live, when the facilitator presses F; a participant
joins, rates and answers, the answers reach the log as feedback.submitted with hostile text kept literal; the
same seat cannot send twice; axe-core finds no serious or critical violation on the form."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from consolekit import GUARD, SAFETY, Console
from test_room_browser import HOSTILE, browser, start_console, wait_js, wait_log  # noqa: F401 (a fixture)

from engine.cli import main
from engine.drill.log import read_log

SHOTS = os.environ.get("TABLETOP_ROOM_SHOTS")


def submitted(log: Path) -> list[dict[str, Any]]:
    return [e.data for e in read_log(str(log)).events if e.type == "feedback.submitted"]


def press_feedback(console: Console, log: Path, wanted: str, every: float = 5.0) -> None:
    """Press F until the log says `wanted` (a key typed the moment a dialog closes is dropped on purpose, and a
    loaded machine can keep the T+0 announcement up a moment longer): F again every `every` seconds of nothing
    new, after Esc for an announcement still up. Only SAFETY, a hung console, ends the trying."""
    deadline = time.monotonic() + SAFETY
    while time.monotonic() < deadline:
        console.keys("F", pause=0)
        retry = time.monotonic() + every
        while time.monotonic() < retry:
            if read_log(str(log)).events[-1].type == wanted:
                return
            time.sleep(0.1)
        console.keys("\x1b", pause=GUARD)  # an announcement still up: close it, then try again
    raise AssertionError(f"F never recorded {wanted}")


def join(page: Any, url: str, name: str = "Ana") -> None:
    """Take a seat on the participant page (the form takes one answer per seat)."""
    page.goto(url)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your role").select_option("observer")
    page.get_by_role("button", name="Join").click()
    page.wait_for_selector(".seat-name")


def test_a_participant_sends_the_feedback_form(browser: Any, tmp_path: Path, capsys: Any) -> None:  # noqa: F811
    log = tmp_path / "feedback.jsonl"
    console: Console
    console, links = start_console(log)
    try:
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        dialogs: list[str] = []
        context.on("page", lambda page: page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
        page = context.new_page()
        page.goto(links["participant"] + "/feedback")
        assert "Join the exercise first" in page.locator("main").inner_text()  # no seat, no form
        join(page, links["participant"])
        page.goto(links["participant"] + "/feedback")
        assert "The feedback form is closed" in page.locator("main").inner_text()
        wait_js(page, "window.tabletopRoom !== undefined")
        page.wait_for_selector("#live-state:has-text('Live')")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / "feedback-closed.png"), full_page=True)

        press_feedback(console, log, "feedback.opened")  # the facilitator opens it; the waiting page shows it
        page.wait_for_selector("form button:has-text('Send feedback')")

        page.get_by_label("Name (optional)").fill("Ana <b>Participant</b>")
        page.get_by_label("Role in the exercise").fill("Mail admin")
        page.locator("fieldset.scale").nth(0).get_by_label("4 agree").check()
        page.locator("fieldset.scale").nth(1).get_by_label("5 strongly agree").check()
        page.get_by_label("What went well?").fill(HOSTILE)
        page.get_by_label("How could this exercise be better next time?").fill("Shorter modules,\nmore coffee")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / "feedback-form.png"), full_page=True)
        page.get_by_role("button", name="Send feedback").click()
        page.wait_for_selector("#thanks")
        wait_log(log, lambda events: any(e.type == "feedback.submitted" for e in events))
        [sent] = submitted(log)
        assert sent["name"] == "Ana <b>Participant</b>" and sent["role"] == "Mail admin"
        assert sent["ratings"] == {"organised": 4, "realistic": 5}
        assert sent["answers"] == {"strengths": HOSTILE, "next-time": "Shorter modules,\nmore coffee"}
        assert dialogs == [] and page.locator("main img").count() == 0
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / "feedback-thanks.png"), full_page=True)

        # the same browser again: thanks, no second form
        page.goto(links["participant"] + "/feedback")
        assert page.locator("form").count() == 0 and "your feedback is recorded" in page.locator("main").inner_text()

        # the participant page links to the open form
        participant = context.new_page()
        participant.goto(links["participant"])
        assert participant.locator("#feedback-link").is_visible()
        participant.locator("#feedback-link a").click()
        participant.wait_for_selector("#thanks")
        participant.goto(links["participant"])
        wait_js(participant, "window.tabletopRoom !== undefined")
        participant.wait_for_selector("#live-state:has-text('Live')")
        if SHOTS:
            participant.screenshot(path=str(Path(SHOTS) / "participant-feedback-link.png"), full_page=True)

        # the facilitator closes it: the link goes away live
        press_feedback(console, log, "feedback.closed")
        wait_js(participant, "document.getElementById('feedback-link').hidden === true")
    finally:
        console.quit()
    assert main(["log", "verify", str(log)]) == 0
    assert main(["log", "show", str(log)]) == 0
    shown = capsys.readouterr().out
    assert "participant feedback form opened (by Sam)" in shown and "from Ana <b>Participant</b>, Mail admin" in shown


def test_the_feedback_form_passes_axe(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    log = tmp_path / "axe.jsonl"
    console, links = start_console(log)
    try:
        press_feedback(console, log, "feedback.opened")
        page = browser.new_page()
        join(page, links["participant"])
        found = {}
        for name, url in (("form", links["participant"] + "/feedback"), ("participant", links["participant"])):
            page.goto(url)
            results = Axe().run(page)
            found[name] = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
                           if v["impact"] in ("serious", "critical")]
            assert results.response["passes"], "axe-core did not run"
        assert found == {"form": [], "participant": []}
    finally:
        console.quit()
