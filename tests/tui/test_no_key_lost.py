"""No keystroke is lost: an inject that comes due while a form is open waits for the form (and for a pause
in the typing), the keys typed meanwhile land in the form, and what the key guard drops on purpose it says
it dropped, naming the keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import settle, type_text

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.inject import InjectScreen
from engine.tui.screens.note import NoteScreen


class KeyTime:
    """The keyboard's clock: stands still until the test lets time pass."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _app(plan: Plan, clock: FakeClock, log: Path, keys: KeyTime) -> tuple[DrillApp, Drill]:
    drill = Drill.start(plan, clock, log_path=str(log), facilitator="Sam")
    drill.fire_due()  # the T+0 injects, read already
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_clock=keys), drill


def _notices(app: DrillApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_an_inject_due_while_a_note_is_typed_waits_and_no_letter_is_lost(shipped_plan: Plan, clock: FakeClock,
                                                                        tmp_path: Path) -> None:
    keys = KeyTime()
    log = tmp_path / "d.jsonl"
    app, drill = _app(shipped_plan, clock, log, keys)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            keys.now += 5
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("enter")  # observation; on to the note
            await type_text(pilot, "The ")
            clock.advance(15 * 60)  # gateway-backlog comes due mid-word
            app.tick()
            await settle(pilot)
            assert "gateway-backlog" in drill.state.fired
            assert isinstance(app.screen, NoteScreen)  # the inject waits for the form
            await type_text(pilot, "relay had no owner")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ConsoleScreen)  # typing just stopped: still waiting
            keys.now += 5  # a pause
            app.tick()
            await settle(pilot)
            assert isinstance(app.screen, InjectScreen) and app.screen.current == "gateway-backlog"

    asyncio.run(run())
    [note] = [e for e in read_log(str(log)).events if e.type == ev.NOTE]
    assert note.data["text"] == "The relay had no owner"


def test_keys_dropped_as_a_form_closes_are_named(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    keys = KeyTime()
    app, drill = _app(shipped_plan, clock, tmp_path / "d.jsonl", keys)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            keys.now += 5
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            before = app.screen.query_one("#steps").cursor_row
            await pilot.press("up", "up", "up", "up")  # typed as the form closed
            await settle(pilot)
            assert app.screen.query_one("#steps").cursor_row == before
            notices = [n for n in _notices(app) if n.startswith("Not taken")]
            assert notices == ["Not taken, typed as a form closed: ↑ ↑ ↑ ↑. Type again what was meant."]

    asyncio.run(run())


def test_a_space_typed_as_an_inject_pops_up_does_not_close_it(shipped_plan: Plan, clock: FakeClock,
                                                               tmp_path: Path) -> None:
    keys = KeyTime()
    app, drill = _app(shipped_plan, clock, tmp_path / "d.jsonl", keys)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            keys.now += 5
            clock.advance(15 * 60)
            app.tick()
            await settle(pilot)
            assert isinstance(app.screen, InjectScreen)
            await pilot.press("space")  # typed for the console as the pop-up came
            await settle(pilot)
            assert isinstance(app.screen, InjectScreen)
            assert any("typed as the inject popped up: Enter/space" in n for n in _notices(app))
            keys.now += 5
            await pilot.press("enter")  # read out: now it closes
            await settle(pilot)
            assert isinstance(app.screen, ConsoleScreen)

    asyncio.run(run())
