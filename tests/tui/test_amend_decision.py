"""`a` on a decided step amends its rationale and who decided, without changing the option: the form starts
from the decision as it stands, the log gets one decision.amended with every field as typed, and the Log
pane names what a correction refers to in the facilitator's words (a note's text, never its number)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle, type_text
from test_console_snapshots import MAIL

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.amend_decision import AmendDecisionScreen
from engine.tui.screens.console import ConsoleScreen

DECISION = f"{MAIL}/failover-decision"
MISFILED = "Gateway keeps mail 4 days; relay untested"


def _misfiled(plan: Plan, clock: FakeClock, log: Path) -> DrillApp:
    """The trial's drill: failover-decision recorded with the rationale as the decider, then a note."""
    drill = Drill.start(plan, clock, log_path=str(log), facilitator="Sam",
                        participants={"incident-commander": "Dana", "messaging-lead": "Priya"})
    drill.fire_due()
    for step in ("detect-deferrals", "declare-incident", "check-gateway-queues", "size-impact"):
        drill.start_step(f"{MAIL}/{step}")
        clock.advance(120)
        drill.complete_step(f"{MAIL}/{step}")
    drill.decide(DECISION, "hold", "", MISFILED)
    note = drill.note("observation", "Nobody knew who owned the relay until the call ended", DECISION, "Sam")
    drill.amend_note(note.seq, "Nobody knew who owned the relay", "Sam")
    clock.advance(60)
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)


async def _amend(app: DrillApp, seen: dict[str, str]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await goto(pilot, DECISION)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AmendDecisionScreen)
        screen = app.screen
        assert screen.query_one("#rationale").value == ""  # type: ignore[attr-defined]  # as it stands
        assert screen.query_one("#decided-by").value == MISFILED  # type: ignore[attr-defined]
        await type_text(pilot, MISFILED)  # the rationale, where it belongs
        await pilot.press("enter", *["backspace"] * len(MISFILED))
        await type_text(pilot, "Dana")
        await pilot.press("enter", "ctrl+s")  # no reason yet: refused, saying so
        await settle(pilot)
        seen["refused"] = screen_text(app)
        await type_text(pilot, "the rationale was typed as the decider")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        await pilot.press("4")  # the Log pane
        await settle(pilot)
        seen["log"] = screen_text(app)




def test_a_amends_the_rationale_and_decider_keeping_the_option(shipped_plan: Plan, clock: FakeClock,
                                                              tmp_path: Path) -> None:
    log = tmp_path / "a.jsonl"
    app = _misfiled(shipped_plan, clock, log)
    seen: dict[str, str] = {}
    asyncio.run(_amend(app, seen))
    assert "An amendment needs a reason" in seen["refused"]
    [amended] = [e for e in read_log(str(log)).events if e.type == ev.DECISION_AMENDED]
    assert amended.data == {"step": DECISION, "rationale": MISFILED, "decided_by": "Dana",
                            "reason": "the rationale was typed as the decider", "by": "Sam"}
    [made] = [e for e in read_log(str(log)).events if e.type == ev.DECISION_MADE]
    assert made.data["by"] == MISFILED  # the log keeps the decision as first recorded
    assert app.drill is not None and app.drill.state.decisions[DECISION].option == "hold"
    assert "AMENDED failover-decision: now Gateway keeps mail" in seen["log"]
    assert "AMENDED note “Nobody knew who owned the relay until t…”: now" in seen["log"]  # its text, cut
    assert "note.amended" not in seen["log"] and "note of" not in seen["log"]


def test_a_rationale_of_two_lines_is_amended_from_all_of_it(shipped_plan: Plan, clock: FakeClock,
                                                             tmp_path: Path) -> None:
    """A rationale written on two lines (a participant's proposal taken, a team file) fills the one-line Why
    field whole: it showed the first line only and recorded the second unseen with any amendment."""
    drill = Drill.start(shipped_plan, clock, log_path=str(tmp_path / "a.jsonl"), facilitator="Sam")
    drill.fire_due()
    for step in ("detect-deferrals", "declare-incident", "check-gateway-queues", "size-impact"):
        drill.complete_step(f"{MAIL}/{step}")
    drill.decide(DECISION, "hold", "The gateway keeps mail\nfor four days.", "Dana")
    app = DrillApp(shipped_plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    seen: dict[str, str] = {}

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await goto(pilot, DECISION)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, AmendDecisionScreen)
            seen["why"] = app.screen.query_one("#rationale").value  # type: ignore[attr-defined]
            await pilot.press("enter", "enter")
            await type_text(pilot, "nothing to change")
            await pilot.press("ctrl+s")
            await settle(pilot)
            seen["screen"] = screen_text(app)

    asyncio.run(go())
    assert seen["why"] == "The gateway keeps mail for four days."
    assert "read as they stand" in seen["screen"]  # saved as it stands: refused, nothing written
    assert not [e for e in read_log(str(tmp_path / "a.jsonl")).events if e.type == ev.DECISION_AMENDED]
