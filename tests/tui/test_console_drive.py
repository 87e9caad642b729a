"""A whole drill of the shipped scenario, driven by keys through the console, then read back from its log."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import goto, screen_text, settle, type_text

from engine.cli import main as cli_main
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import replay
from engine.drill.state import StepStatus
from engine.tui.app import DrillApp
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.hotwash import QUESTIONS, HotwashScreen
from engine.tui.screens.inject import InjectScreen
from engine.tui.screens.summary import SummaryScreen

MAIL = "inbound-mail-continuity"


async def _close_injects(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """Read out every announced inject with Enter; returns their ids."""
    seen = []
    while isinstance(pilot.app.screen, InjectScreen):
        screen = pilot.app.screen
        seen.append(screen.current)
        await pilot.press("enter")
        await settle(pilot)
    return seen


async def _do_step(pilot, key: str, ticks: int = 0) -> None:  # type: ignore[no-untyped-def]
    await goto(pilot, key)
    await pilot.press("s", *("x" * ticks), "c")
    await settle(pilot)
    if isinstance(pilot.app.screen, ConfirmScreen):  # items still open: it names them and asks first
        await pilot.press("y")
        await settle(pilot)


async def _drive(plan: Plan, clock: FakeClock, log: Path) -> DrillApp:
    """Facilitate the drill at 80x24 with keys only; returns the app after it has closed."""
    app = DrillApp(plan, clock, log_path=str(log), scenario_path="scenario.yaml", blink=False, tick_seconds=3600,
                   key_guard=0)  # the stray-key guard has tests of its own (test_stray_keys.py)
    async with app.run_test(size=(80, 24)) as pilot:
        # The start screen: the facilitator and two roles; Enter walks the fields, ctrl+s starts.
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await type_text(pilot, "Dana")
        await pilot.press("enter")
        await type_text(pilot, "Priya")
        await pilot.press("enter")  # the last name: says how to start, starts nothing
        assert app.drill is None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.drill is not None
        assert await _close_injects(pilot) == ["first-deferrals", "admin-timeouts"]
        assert isinstance(app.screen, ConsoleScreen)
        assert "T+0:00:00" in screen_text(app) and "RUNNING" in screen_text(app)

        # Work the mail runbook: ticks, starts, completions.
        await _do_step(pilot, f"{MAIL}/detect-deferrals", ticks=2)
        clock.advance(600)
        await _do_step(pilot, f"{MAIL}/declare-incident")
        await _do_step(pilot, f"{MAIL}/check-gateway-queues", ticks=1)
        await _do_step(pilot, f"{MAIL}/size-impact")
        state = app.drill.state
        assert state.steps[f"{MAIL}/detect-deferrals"].ticks == {0, 1}
        assert state.status(f"{MAIL}/size-impact") is StepStatus.DONE

        # A refused action says why and records nothing.
        before = state.seq
        await goto(pilot, f"{MAIL}/switch-mx")
        await pilot.press("s")
        assert state.seq == before
        assert any("nothing has opened" in str(n.message) for n in app._notifications)

        # The decision: option 2 (hold), a rationale, who decided (pre-filled with the owner's name).
        await goto(pilot, f"{MAIL}/failover-decision")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("2", "enter")  # choose hold; Enter goes on to "Why"
        await type_text(pilot, "Short outage expected")
        await pilot.press("enter")
        assert app.screen.query_one("#by").value == "Dana"
        await pilot.press("enter")  # the last field: Enter records nothing ...
        await settle(pilot)
        assert "ctrl+s" in screen_text(app) and f"{MAIL}/failover-decision" not in state.decisions
        await pilot.press("ctrl+s")  # ... ctrl+s does
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert state.decisions[f"{MAIL}/failover-decision"].option == "hold"

        # A note: an area for improvement with its plan columns.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("i", "enter")
        await type_text(pilot, "Nobody owned the relay")
        await pilot.press("enter")
        await type_text(pilot, "Name a relay owner")
        await pilot.press("enter", "enter", "enter", "enter")  # element, owner, due, and once too many
        await settle(pilot)
        assert not state.notes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [n.kind for n in state.notes] == ["improvement"]

        # Pause: the clock stands still; resume: it runs again.
        await pilot.press("p")
        paused_at = app.drill.now_t()
        clock.advance(300)
        app.tick()
        assert app.drill.now_t() == paused_at and "PAUSED" in screen_text(app)
        await pilot.press("p")
        assert state.running

        # Jump forward: the injects on the way fire and are announced.
        due_by_then = [i.id for t, i in state.upcoming() if t <= 3600]
        assert "customer-escalation" in due_by_then  # armed by choosing hold
        await pilot.press("j")
        await settle(pilot)
        await type_text(pilot, "T+1:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await _close_injects(pilot) == due_by_then
        assert app.drill.now_t() == 3600

        # Fire the next inject early, then any inject by hand from the picker.
        await pilot.press("i")
        await settle(pilot)
        assert "Fire inject report-peak now?" in screen_text(app)
        await pilot.press("enter")  # Cancel has the focus: Enter fires nothing
        await settle(pilot)
        assert "report-peak" not in state.fired
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert await _close_injects(pilot) == ["report-peak"]
        await pilot.press("I")
        await settle(pilot)
        await pilot.press("enter")  # the soonest left: collab-trouble
        await settle(pilot)
        assert "Fire inject collab-trouble now?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert await _close_injects(pilot) == ["collab-trouble"]
        assert state.fired["collab-trouble"].manual

        # Skip a step, with its required reason.
        await goto(pilot, f"{MAIL}/staff-notice")
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert "needs a reason" in screen_text(app)
        await type_text(pilot, "Comms out of scope")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert state.status(f"{MAIL}/staff-notice") is StepStatus.SKIPPED

        # End, confirmed, and the hot wash.
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HotwashScreen)
        await pilot.press("s", "enter")  # S, then on to the comment
        await type_text(pilot, "Probe took 12 minutes")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "enter")  # a comment without a rating is refused ...
        assert "Choose P, S, M or U" in screen_text(app)
        await pilot.press("p", "enter", "enter")  # ... which goes back to the ratings: P, no comment
        await settle(pilot)
        for _ in range(len(plan.objectives) - 2):
            await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Clear decision")
        await pilot.press("enter")
        await type_text(pilot, "Fast detection")
        await pilot.press("enter", "enter")
        await type_text(pilot, "Relay ownership")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert "objectives are not rated" in screen_text(app)  # the rest were left unrated: it asks first
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "tabletop log verify" in screen_text(app)
        await pilot.press("q")
    return app


def test_a_whole_drill_by_keys_lands_in_the_log(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    log = tmp_path / "drill.jsonl"
    app = asyncio.run(_drive(shipped_plan, clock, log))
    read = read_log(str(log))
    assert read.ok
    final = replay(shipped_plan, read)
    assert final.ended
    assert final.facilitator == "Sam"
    assert final.participants == {"incident-commander": "Dana", "messaging-lead": "Priya"}
    decision = final.decisions[f"{MAIL}/failover-decision"]
    assert (decision.option, decision.rationale, decision.by) == ("hold", "Short outage expected", "Dana")
    note = final.notes[0]
    assert (note.kind, note.text, note.step, note.action, note.by) == (
        "improvement", "Nobody owned the relay", f"{MAIL}/failover-decision", "Name a relay owner", "Sam")
    ratings = {k: (r.rating, r.comment) for k, r in final.ratings.items()}
    assert ratings == {f"{MAIL}/detect-externally": ("S", "Probe took 12 minutes"), f"{MAIL}/route-decision": ("P", "")}
    assert final.hotwash == [(QUESTIONS[0], "Clear decision", final.t), (QUESTIONS[0], "Fast detection", final.t),
                             (QUESTIONS[1], "Relay ownership", final.t)]
    assert final.steps[f"{MAIL}/staff-notice"].skip_reason == "Comms out of scope"
    assert final.fired["report-peak"].manual and not final.fired["gateway-backlog"].manual
    assert cli_main(["log", "verify", str(log)]) == 0
    lines = app.exit_lines()
    assert lines[1].startswith("Log head:  ") and f"Check it:  tabletop log verify {log} --head " in lines[2]
