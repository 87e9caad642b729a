"""Corrections from the console: each key opens its form, records exactly one correction event (the
original stays in the log), says what it will do first, and shows a refusal as a message, not a traceback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from conftest import goto, screen_text, settle, type_text
from test_console_snapshots import MAIL, _midway

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.state import StepStatus
from engine.tui.app import DrillApp
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.note_correction import NoteCorrectionScreen
from engine.tui.screens.reopen import ReopenScreen
from engine.tui.screens.revise import ReviseScreen
from engine.tui.screens.withdraw import WithdrawScreen
from engine.tui.widgets.step_detail import StepDetail

DECISION = f"{MAIL}/failover-decision"


def _app(plan: Plan, clock: FakeClock, log: Path) -> DrillApp:
    """The shipped drill 43 minutes in (failover-decision decided `hold`, a note, injects fired)."""
    drill = _midway(plan, clock, log).drill
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)


def _new_events(log: Path, before: int) -> list[ev.Event]:
    return [e for e in read_log(str(log)).events if e.seq > before]


def _run(test: Any, plan: Plan, clock: FakeClock, log: Path) -> None:
    asyncio.run(test(plan, clock, log))


async def _revise(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    drill = app.drill
    assert drill is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await goto(pilot, DECISION)
        before = drill.state.seq
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ReviseScreen)
        await pilot.press("2")  # `hold`: the decision now cannot be chosen again
        await settle(pilot)
        assert "`hold` is the decision now" in screen_text(app)
        await pilot.press("1")  # fail-over; the focus stays on the options
        await pilot.press("ctrl+s")  # refused: the reason is missing, and the focus goes there
        await settle(pilot)
        assert "A revision needs a reason" in screen_text(app)
        await type_text(pilot, "Provider says six more hours")
        await pilot.press("enter", "enter", "i")  # past the last field, and a stray letter: nothing fires
        await settle(pilot)
        assert isinstance(app.screen, ReviseScreen) and drill.state.seq == before
        by = app.screen.query_one("#by")
        assert by.value.endswith("i")  # type: ignore[attr-defined]  # the letter landed in the form
        by.value = "Dana"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "`hold` becomes `fail-over`" in text
        assert "marked" in text and "watch-queues" in text  # started on the old branch: stays
        assert "Steps that open: switch-mx, verify-relay, fail-back" in text
        assert "customer-escalation" in text and "relay-spool-alarm" in text
        assert drill.state.seq == before  # nothing recorded before the answer
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        detail = app.screen.query_one(StepDetail)  # the step pane (below the fold at 80x24)
        shown = "\n".join(str(detail.get_option_at_index(i).prompt) for i in range(detail.option_count))
        assert "Revised: `hold` → `fail-over` at T+0:43:05" in shown
        await pilot.press("4")
        await settle(pilot)
        feed = screen_text(app)
        assert "REVISED failover-decision: hold → fail-over by Dana: Provider says" in feed
        assert "DECIDED failover-decision → fail-over" not in feed  # the revision is not shown as a decision
    events = _new_events(log, before)
    assert [e.type for e in events] == [ev.DECISION_REVISED]
    assert events[0].data == {"step": DECISION, "option": "fail-over", "reason": "Provider says six more hours",
                              "by": "Dana"}
    assert read_log(str(log)).events[before].type != ev.DECISION_REVISED  # the decision made stays before it
    assert drill.state.status(f"{MAIL}/switch-mx") is not StepStatus.SKIPPED
    assert drill.state.steps[f"{MAIL}/watch-queues"].off_branch


def test_revise_a_decision_asks_then_records_one_event(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_revise, shipped_plan, clock, tmp_path / "d.jsonl")


async def _revise_cancelled(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    drill = app.drill
    assert drill is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await goto(pilot, f"{MAIL}/size-impact")
        before = drill.state.seq
        await pilot.press("D")  # not a decision: says why
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert "size-impact is not a decision" in [str(n.message) for n in app._notifications]
        await goto(pilot, DECISION)
        await pilot.press("D", "1", "enter")
        await type_text(pilot, "second thoughts")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # the confirmation: cancel
        await settle(pilot)
        assert isinstance(app.screen, ReviseScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
    assert _new_events(log, before) == [] and drill.state.decisions[DECISION].option == "hold"


def test_revise_refused_or_cancelled_records_nothing(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_revise_cancelled, shipped_plan, clock, tmp_path / "c.jsonl")


async def _reopen(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    drill = app.drill
    assert drill is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = drill.state.seq
        await goto(pilot, f"{MAIL}/switch-mx")  # skipped as a branch not taken
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        messages = [str(n.message) for n in app._notifications]
        assert "switch-mx was skipped as a branch not taken: revise the decision that left it out" in messages
        await goto(pilot, DECISION)
        await pilot.press("o")
        await settle(pilot)
        assert "failover-decision is a decision: press D to revise it" in [str(n.message) for n in app._notifications]
        await goto(pilot, f"{MAIL}/size-impact")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ReopenScreen)
        assert "Step done → active: size-impact." in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Reopening needs a reason." in screen_text(app)
        await type_text(pilot, "marked done by mistake")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
    events = _new_events(log, before)
    assert [(e.type, e.data) for e in events] == [
        (ev.STEP_REOPENED, {"step": f"{MAIL}/size-impact", "reason": "marked done by mistake", "by": "Sam"})]
    assert drill.state.status(f"{MAIL}/size-impact") is StepStatus.ACTIVE


def test_reopen_a_step_records_one_event(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_reopen, shipped_plan, clock, tmp_path / "r.jsonl")


async def _notes(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    drill = app.drill
    assert drill is not None
    note = drill.state.notes[0].seq
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = drill.state.seq
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, NoteCorrectionScreen)
        assert "Nobody owned the relay" in screen_text(app)
        await pilot.press("enter", "a", "enter")  # the newest note, amend, on to its text as it stands
        await settle(pilot)
        assert app.screen.query_one("#text").value == "Nobody owned the relay"  # type: ignore[attr-defined]
        await pilot.press("end", *" at first")
        await pilot.press("enter", "enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        mid = drill.state.seq
        await pilot.press("N", "enter", "w")
        await settle(pilot)
        assert app.screen.query_one("#text").value == ""  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Withdrawing needs a reason." in screen_text(app)
        await type_text(pilot, "said of the wrong team")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        await pilot.press("N")  # nothing left to correct
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert "every note is withdrawn" in [str(n.message) for n in app._notifications]
    events = _new_events(log, before)
    assert [(e.type, e.data) for e in events] == [
        (ev.NOTE_AMENDED, {"note": note, "text": "Nobody owned the relay at first", "by": "Sam"}),
        (ev.NOTE_WITHDRAWN, {"note": note, "reason": "said of the wrong team", "by": "Sam"})]
    assert events[1].seq == mid + 1
    assert drill.state.notes[0].text == "Nobody owned the relay"  # the original stays


def test_amend_then_withdraw_a_note(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_notes, shipped_plan, clock, tmp_path / "n.jsonl")


async def _withdraw(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    drill = app.drill
    assert drill is not None
    assert drill.state.services["admin-center"] == "down"  # console-dark took it down at T+0:25
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = drill.state.seq
        await pilot.press("3")  # the Injects pane, on the newest fired inject
        await settle(pilot)
        await pilot.press("down")  # console-dark
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WithdrawScreen)
        assert app.screen.chosen == "console-dark"
        await pilot.press("enter")  # keep it; on to the reason
        await type_text(pilot, "fired by a stray key")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        confirm = screen_text(app)
        assert "Service admin-center goes back from down to degraded." in confirm
        assert "Steps blocked → waiting: read-service-health, urgent-admin-change," in confirm
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        await pilot.press("2")  # the Services pane shows it undone
        await settle(pilot)
        services = screen_text(app)
        assert "admin-center" in services and "degraded" in services
        await pilot.press("3")
        await settle(pilot)
        assert "console-dark (withdrawn at T+0:43:05)" in screen_text(app)
        await pilot.press("enter")  # re-read it: the pop-up says it was withdrawn, and why
        await settle(pilot)
        assert "WITHDRAWN at T+0:43:05: fired by a stray" in screen_text(app)  # (wraps at 80 columns)
    events = _new_events(log, before)
    assert [(e.type, e.data) for e in events] == [
        (ev.INJECT_WITHDRAWN, {"inject": "console-dark", "reason": "fired by a stray key", "by": "Sam"})]
    assert drill.state.services["admin-center"] == "degraded"


def test_withdraw_an_inject_from_the_injects_pane(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_withdraw, shipped_plan, clock, tmp_path / "w.jsonl")


async def _refused_by_core(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    drill = app.drill
    assert drill is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = drill.state.seq
        await goto(pilot, f"{MAIL}/size-impact")
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#reason").value = "pasted \ud800 half a character"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReopenScreen)  # the form stays, saying why
        assert "not valid Unicode" in screen_text(app)
    assert _new_events(log, before) == []


def test_a_refusal_from_the_core_shows_in_the_form(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_refused_by_core, shipped_plan, clock, tmp_path / "x.jsonl")


async def _markup(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    drill = app.drill
    assert drill is not None
    drill.note("observation", "[bold]x[/bold] \x1b[31m[@click=app.quit]", None, "Sam")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]x[/bold] ␛[31m[@click=app.quit]" in text  # as typed, nothing interpreted


def test_note_text_shows_literally_in_the_correction_list(shipped_plan: Plan, clock: FakeClock,
                                                          tmp_path: Path) -> None:
    _run(_markup, shipped_plan, clock, tmp_path / "m.jsonl")


async def _hostile(plan: Plan, clock: FakeClock, log: Path) -> None:
    from engine.drill.session import Drill

    drill = Drill.start(plan, clock, log_path=str(log), facilitator="[b]Eve")
    drill.fire_due()
    drill.complete_step("hostile-markup/first")
    drill.decide("hostile-markup/choose", "left", "[@click=app.quit]why[/]", "[b]Eve")
    app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await goto(pilot, "hostile-markup/choose")
        before = drill.state.seq
        await pilot.press("D")
        await settle(pilot)
        form = screen_text(app)
        assert "[link=https://x]Right[/link]" in form and "[b]Left[/b] ␛[1m" in form
        assert "[@click=app.quit]why[/]" in form
        await pilot.press("2", "enter")
        await type_text(pilot, "[/] [@click=app.quit]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = screen_text(app)
        assert "Steps not started on the old branch are skipped as a branch not taken:" in confirm
        assert "left-step." in confirm  # on the next line at this width
        assert "Steps that open: right-step." in confirm
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)  # nothing acted on the text; still running
    assert [(e.type, e.data["reason"]) for e in _new_events(log, before)] == [
        (ev.DECISION_REVISED, "[/] [@click=app.quit]")]


def test_hostile_text_in_a_revision_shows_as_typed(hostile_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_hostile, hostile_plan, clock, tmp_path / "h.jsonl")


class _KeyTime:
    """The keyboard's clock for the key guard: stands still until the test lets time pass."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _after_the_end(plan: Plan, clock: FakeClock, log: Path) -> None:
    from engine.tui.screens.summary import SummaryScreen

    drill = _midway(plan, clock, log).drill
    assert drill is not None
    drill.end("time")
    keys = _KeyTime()
    app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_clock=keys)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")  # the hot wash: finish it, to the summary
        await settle(pilot)
        keys.now += 1
        await pilot.press("y")  # objectives left unrated: it asks first
        await settle(pilot)
        keys.now += 1
        assert isinstance(app.screen, SummaryScreen)
        before = drill.state.seq
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, NoteCorrectionScreen)
        await pilot.press("enter", "w", "enter")
        await type_text(pilot, "not what was said")
        await pilot.press("ctrl+s", "enter")  # records; the Enter typed after it does not close the console
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen) and app.is_running
        keys.now += 1
        await pilot.press("N")
        await settle(pilot)
        assert "no note to amend or withdraw" in [str(n.message) for n in app._notifications]
    assert [e.type for e in _new_events(log, before)] == [ev.NOTE_WITHDRAWN]


def test_a_note_can_be_withdrawn_after_the_drill_ended(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    _run(_after_the_end, shipped_plan, clock, tmp_path / "e.jsonl")
