"""No stray key fires anything: Enter walks every field and never records; only ctrl+s or the Record
button does; keys typed as a form closes are dropped; a dialog takes no answer typed as it opens;
firing by hand and ending the drill ask first."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle, type_text

from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.note import NoteScreen

MAIL = "inbound-mail-continuity"


class KeyTime:
    """The keyboard's clock for the key guard: stands still until a test lets time pass."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _app(plan: Plan, clock: FakeClock, log: Path, keys: KeyTime) -> tuple[DrillApp, Drill]:
    drill = Drill.start(plan, clock, log_path=str(log), facilitator="Sam")
    drill.fire_due()
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_clock=keys), drill


async def _note_with_plan(plan: Plan, clock: FakeClock, log: Path) -> tuple[int, list[dict[str, object]]]:
    keys = KeyTime()
    app, drill = _app(plan, clock, log, keys)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        step = f"{MAIL}/detect-deferrals"
        await goto(pilot, step)
        before = drill.state.seq
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("i", "enter")  # kind: area for improvement; on to the note
        await type_text(pilot, "Relay had no owner")
        await pilot.press("enter")
        await type_text(pilot, "Name a relay owner")
        await pilot.press("enter")  # to Element (a select), not past it
        assert app.screen.focused is app.screen.query_one("#element")
        await pilot.press("space")  # open the list ...
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # ... and choose the second element
        await settle(pilot)
        await pilot.press("enter")  # on to Owner
        await type_text(pilot, "Priya")
        await pilot.press("enter")
        await type_text(pilot, "2026-03-31")
        await pilot.press("enter", "enter")  # the last field, and one Enter too many: nothing recorded
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen) and drill.state.seq == before
        assert "ctrl+s" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.press(*"riPriya", "x", "s", "I", "e", "enter")  # typed on as the form closes
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)  # no confirmation, no picker, no form opened
        assert app.screen.query_one("#steps").current_key() == step  # `r` did not move the cursor
        after = drill.state.seq
    events = [e.to_dict() for e in read_log(str(log)).events]
    return after - before, events


def test_a_note_with_plan_typed_with_an_enter_too_many_records_exactly_the_note(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    log = tmp_path / "drill.jsonl"
    added, events = asyncio.run(_note_with_plan(shipped_plan, clock, log))
    assert added == 1
    last = events[-1]
    assert last["type"] == "note"
    assert last["data"] == {"kind": "improvement", "text": "Relay had no owner", "step": f"{MAIL}/detect-deferrals",
                            "by": "Sam", "action": "Name a relay owner", "element": "organization",
                            "owner": "Priya", "due": "2026-03-31"}
    assert [e["type"] for e in events[:-1]] == ["drill.started", "inject.fired", "inject.fired"]


async def _inert_under_dialogs(plan: Plan, clock: FakeClock, log: Path) -> None:
    keys = KeyTime()
    app, drill = _app(plan, clock, log, keys)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await goto(pilot, f"{MAIL}/detect-deferrals")
        before = drill.state.seq
        await pilot.press("f1")  # the help: the console's keys do nothing under it
        await settle(pilot)
        await pilot.press("s", "p", "i", "j")
        await pilot.press("escape")
        keys.now += 5  # a deliberate pause
        await settle(pilot)
        assert drill.state.seq == before and drill.state.running
        await pilot.press("i")  # the next inject: asks first, naming it and when it would come
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Fire inject gateway-backlog now?" in text and "fired by hand at T+0:00:00" in text
        await pilot.press("y", "enter")  # typed as it opened: no answer at all
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "gateway-backlog" not in drill.state.fired
        keys.now += 5
        await pilot.press("enter")  # Cancel has the focus
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen) and drill.state.seq == before
        keys.now += 5
        await pilot.press("e")
        await settle(pilot)
        text = screen_text(app)
        assert "The clock stops for good at T+0:00:00" in text and "inject(s) not fired will not fire" in text
        keys.now += 5
        await pilot.press("escape")
        await settle(pilot)
        assert not drill.state.ended and drill.state.seq == before


def test_console_keys_are_inert_under_dialogs_and_confirmations_ask(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_inert_under_dialogs(shipped_plan, clock, tmp_path / "d.jsonl"))
