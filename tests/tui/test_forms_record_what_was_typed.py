"""Every form records what was typed in the field its label names: choosing an option never moves the
focus, Enter goes on to the next field, and the event that lands in the log is checked field by field.

The first test is the facilitator's trial as it happened: `d`, `2`, Enter, the rationale, ctrl+s.
Before, `2` chose *and* moved to "Why", the Enter moved on to "Decided by", and the rationale was
recorded as the decider, over the incident commander's name.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from conftest import goto, screen_text, settle, type_text
from test_console_snapshots import MAIL

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.decide import DecideScreen
from engine.tui.screens.note import NoteScreen

DECISION = f"{MAIL}/failover-decision"
WHY = "Gateway keeps mail 4 days; relay untested"


def _ready(plan: Plan, clock: FakeClock, log: Path, participants: dict[str, str] | None = None) -> DrillApp:
    """The shipped drill with failover-decision ready to decide."""
    drill = Drill.start(plan, clock, log_path=str(log), facilitator="Sam",
                        participants={"incident-commander": "Dana", "messaging-lead": "Priya"}
                        if participants is None else participants)
    drill.fire_due()
    for step in ("detect-deferrals", "declare-incident", "check-gateway-queues", "size-impact"):
        drill.start_step(f"{MAIL}/{step}")
        clock.advance(120)
        drill.complete_step(f"{MAIL}/{step}")
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)


def _last(log: Path, wire: str) -> dict[str, object]:
    events = [e for e in read_log(str(log)).events if e.type == wire]
    assert events, f"no {wire} in the log"
    return events[-1].data


Keys = Callable[..., Awaitable[None]]


def _decide(plan: Plan, clock: FakeClock, log: Path, keys: Keys,
            participants: dict[str, str] | None = None) -> tuple[DrillApp, str]:
    """Open the decision form on failover-decision, run `keys(pilot)`; returns the app and the screen text
    as the keys left it."""
    app = _ready(plan, clock, log, participants)
    out = {"text": ""}

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await goto(pilot, DECISION)
            await pilot.press("d")
            await settle(pilot)
            assert isinstance(app.screen, DecideScreen)
            await keys(pilot)
            await settle(pilot)
            out["text"] = screen_text(app)

    asyncio.run(run())
    return app, out["text"]


def test_the_trial_as_it_happened_records_the_rationale_as_the_rationale(shipped_plan: Plan, clock: FakeClock,
                                                                          tmp_path: Path) -> None:
    async def keys(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("2", "enter")
        await type_text(pilot, WHY)
        await pilot.press("ctrl+s")

    _decide(shipped_plan, clock, tmp_path / "d.jsonl", keys)
    assert _last(tmp_path / "d.jsonl", ev.DECISION_MADE) == {
        "step": DECISION, "option": "hold", "rationale": WHY, "by": "Dana"}


def test_digits_and_arrows_choose_without_moving_the_focus(shipped_plan: Plan, clock: FakeClock,
                                                           tmp_path: Path) -> None:
    async def keys(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = pilot.app.screen
        await pilot.press("1")
        assert screen.chosen == "fail-over" and screen.focused.id == "options"
        await pilot.press("down")  # the mark follows the cursor
        assert screen.chosen == "hold" and screen.focused.id == "options"
        await pilot.press("up", "down", "enter")
        assert screen.focused.id == "rationale"
        await type_text(pilot, "Relay untested")
        await pilot.press("enter")
        assert screen.focused.id == "by"
        await pilot.press("shift+tab")  # back to Why: what is typed goes on after the rationale
        await type_text(pilot, " so far")
        await pilot.press("ctrl+s")

    _decide(shipped_plan, clock, tmp_path / "d.jsonl", keys)
    assert _last(tmp_path / "d.jsonl", ev.DECISION_MADE) == {
        "step": DECISION, "option": "hold", "rationale": "Relay untested so far", "by": "Dana"}


def test_tab_and_the_button_record_the_same(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    async def keys(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("1", "tab")
        await type_text(pilot, "Outage runs past noon")
        await pilot.press("tab")
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "Sam")
        await pilot.click("#record")

    _decide(shipped_plan, clock, tmp_path / "d.jsonl", keys)
    assert _last(tmp_path / "d.jsonl", ev.DECISION_MADE) == {
        "step": DECISION, "option": "fail-over", "rationale": "Outage runs past noon", "by": "Sam"}


def test_a_blank_rationale_or_decider_is_refused_with_the_reason(shipped_plan: Plan, clock: FakeClock,
                                                                 tmp_path: Path) -> None:
    seen: list[str] = []

    async def keys(pilot) -> None:  # type: ignore[no-untyped-def]
        from conftest import screen_text as text

        await pilot.press("1")
        await type_text(pilot, "The")  # typed on the options: refused with a word, never lost silently
        await settle(pilot)
        seen.append(text(pilot.app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen.append(text(pilot.app))
        assert pilot.app.screen.focused.id == "rationale"
        await type_text(pilot, "Relay untested")
        await pilot.press("enter", *["backspace"] * 4, "ctrl+s")
        await settle(pilot)
        seen.append(text(pilot.app))
        assert pilot.app.screen.focused.id == "by"

    _decide(shipped_plan, clock, tmp_path / "d.jsonl", keys)
    assert "'The' was not taken" in seen[0]
    assert "needs its rationale" in seen[1]
    assert "needs who decided" in seen[2]
    assert not [e for e in read_log(str(tmp_path / "d.jsonl")).events if e.type == ev.DECISION_MADE]


def test_enter_with_no_option_chosen_says_so(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    async def keys(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("enter")
        await settle(pilot)
        assert "Choose the option the team decided on" in screen_text(pilot.app)
        assert pilot.app.screen.focused.id == "options"
        await pilot.press("escape")

    _decide(shipped_plan, clock, tmp_path / "d.jsonl", keys)
    assert not [e for e in read_log(str(tmp_path / "d.jsonl")).events if e.type == ev.DECISION_MADE]


def test_the_decider_starts_as_the_owner_role_when_no_name_was_given(shipped_plan: Plan, clock: FakeClock,
                                                                     tmp_path: Path) -> None:
    async def keys(pilot) -> None:  # type: ignore[no-untyped-def]
        assert pilot.app.screen.query_one("#by").value == "incident-commander"
        await pilot.press("2", "enter")
        await type_text(pilot, WHY)
        await pilot.press("ctrl+s")

    _decide(shipped_plan, clock, tmp_path / "d.jsonl", keys, participants={})
    assert _last(tmp_path / "d.jsonl", ev.DECISION_MADE)["by"] == "incident-commander"


def test_note_kind_keys_choose_and_enter_goes_on_to_the_text(shipped_plan: Plan, clock: FakeClock,
                                                              tmp_path: Path) -> None:
    app = _ready(shipped_plan, clock, tmp_path / "n.jsonl")

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, NoteScreen)
            await pilot.press("s")  # strength; the focus stays on the kinds
            assert app.screen.focused.id == "kind"
            await pilot.press("i", "enter")  # area for improvement, then on to the note
            assert app.screen.focused.id == "text"
            await type_text(pilot, "Nobody owned the relay")
            await pilot.press("enter")
            await type_text(pilot, "Name a relay owner")
            await pilot.press("ctrl+s")
            await settle(pilot)

    asyncio.run(run())
    data = _last(tmp_path / "n.jsonl", ev.NOTE)
    assert (data["kind"], data["text"], data.get("action")) == ("improvement", "Nobody owned the relay",
                                                               "Name a relay owner")
