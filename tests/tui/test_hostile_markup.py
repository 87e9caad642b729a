"""User text is data: a drill full of markup, click actions, links and ANSI escapes shows them as typed.

The runbook and scenario in data/hostile put `[bold]`, `[/`, `[@click=app.quit]x`, `[link=...]` and
escape sequences in every text field; the names and notes typed here add more. If any of it were
parsed, the text would lose its brackets (or the app would quit on a click) and these checks fail.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle, type_text

from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import replay
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.hotwash import HotwashScreen
from engine.tui.screens.inject import InjectScreen
from engine.tui.widgets.step_detail import StepDetail

NAME = "[@click=app.quit]Mal[/]"
NOTE = "[bold]loud[/bold] [link=https://x]y[/link] [/ done"


async def _drive(plan: Plan, clock: FakeClock, log: Path) -> dict[str, str]:
    seen: dict[str, str] = {}
    app = DrillApp(plan, clock, log_path=str(log), blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(200, 50)) as pilot:
        await type_text(pilot, "[b]Eve")
        await pilot.press("enter")
        await type_text(pilot, NAME)
        await pilot.press("ctrl+s")  # starts the drill (Enter on the last name does not)
        await settle(pilot)
        assert isinstance(app.screen, InjectScreen)
        seen["inject"] = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        await goto(pilot, "hostile-markup/first")
        await pilot.press("s")
        seen["console"] = screen_text(app)
        # A click on the checklist item that reads [@click=app.quit] ticks it; nothing quits.
        detail = app.screen.query_one(StepDetail)
        item_row = detail._index_to_line[detail.get_option_index("item-0")]  # its row in the pane
        await pilot.click(StepDetail, offset=(6, item_row))
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        await pilot.press("c")
        await settle(pilot)
        if not isinstance(app.screen, ConsoleScreen):  # checklist items still open: it asks first
            await pilot.press("y")
            await settle(pilot)
        await goto(pilot, "hostile-markup/choose")
        await pilot.press("d")
        await settle(pilot)
        seen["decide"] = screen_text(app)
        await pilot.press("2", "enter")
        await type_text(pilot, "[/] why")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n", "o", "enter")
        await type_text(pilot, NOTE)
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen["after"] = screen_text(app)
        await pilot.press("e", "y")
        await settle(pilot)
        assert isinstance(app.screen, HotwashScreen)
        seen["hotwash"] = screen_text(app)
    return seen


def test_hostile_text_shows_literally_and_does_nothing(hostile_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    log = tmp_path / "hostile.jsonl"
    seen = asyncio.run(_drive(hostile_plan, clock, log))
    # The inject, with the escape character shown as ␛ rather than obeyed.
    assert "[bold]Say[/bold] [@click=app.quit]this[/] ␛[31mred␛[0m [link=https://x]y[/link]" in seen["inject"]
    assert "[italic]Expect[/italic] [/ ␛[2J" in seen["inject"]
    assert f"To: lead ({NAME})" in seen["inject"]
    # The console: scenario title, step title, owner name, checklist, service and runbook texts.
    console = seen["console"]
    assert "[bold red]Hostile[/] scenario [@click=app.quit]quit ␛[31mred" in console
    assert "[bold]First[/bold] [@click=app.quit]x" in console
    assert NAME in console
    assert "[ ] [@click=app.quit]tick me[/]" in console
    assert "[ ] ␛[31mred item␛[0m [/" in console
    assert "[link=https://x]y[/link] ␛[31mred" in console
    assert "\x1b" not in console
    # The decision form: question and labels.
    assert "[blink]Which?[/blink] [@click=app.quit]" in seen["decide"]
    assert "[b]Left[/b] ␛[1m" in seen["decide"] and "[link=https://x]Right[/link]" in seen["decide"]
    # The log pane: the decision and the typed note.
    after = " ".join(seen["after"].split())  # the note, wrapped in the log pane
    assert "OBSERVED [choose]" in after and "[bold]loud[/bold]" in after
    assert "[link=https://x]y[/link] [/ done" in seen["after"]
    assert "Chosen: right" in seen["after"] and "● right: [link=https://x]Right[/link]" in seen["after"]
    # The hot wash: the objective.
    assert "[bold]Objective[/bold] ␛[31mred␛[0m [@click=app.exit]gone" in seen["hotwash"]
    # And the log holds every string exactly as typed.
    state = replay(hostile_plan, read_log(str(log)))
    assert state.facilitator == "[b]Eve" and state.participants == {"lead": NAME}
    assert state.notes[0].text == NOTE
    assert state.steps["hostile-markup/first"].ticks == {0}
