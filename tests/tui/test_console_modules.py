"""A discussion-based exercise in the console: the module bar, moving on (asks first, its injects fire),
and the current module's questions. Scenarios without modules show no module bar."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import ROOT, screen_text, settle

from engine.drill import modules
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.module_questions import ModuleQuestionsScreen


def _app(plan: Plan, clock: FakeClock, log: Path) -> tuple[DrillApp, Drill]:
    drill = Drill.start(plan, clock, log_path=str(log))
    drill.fire_due()
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0), drill


async def _close_injects(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(12):
        if isinstance(pilot.app.screen, ConsoleScreen):
            return
        await pilot.press("escape")
        await settle(pilot)


async def _drive(plan: Plan, clock: FakeClock, log: Path) -> None:
    app, drill = _app(plan, clock, log)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _close_injects(pilot)
        text = screen_text(app)
        assert "1/3" in text and "The mail stops" in text and "next 2/3: The long evening" in text
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, ModuleQuestionsScreen)
        shown = screen_text(app)
        assert "who can still administer the tenant" in shown and "prompt:" in shown
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("m")  # asks first: n cancels and nothing is recorded
        await settle(pilot)
        before = drill.state.seq
        await pilot.press("n")
        await settle(pilot)
        assert drill.state.seq == before
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await _close_injects(pilot)
        assert drill.now_t() >= 5400  # the clock jumped to module 2's start
        assert "report-peak" in drill.state.fired  # its opening inject fired
        where = modules.view(drill.state, drill.now_t())
        assert where is not None and where.index == 1
        assert "2/3" in screen_text(app)
    # Resume is replay: the module under way is read off the log again.
    drill.close()
    resumed = Drill.resume(plan, str(log), FakeClock(clock.now()))
    again = modules.view(resumed.state, resumed.now_t())
    assert again is not None and again.index == 1
    resumed.close()


def test_the_console_moves_through_the_modules(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_drive(shipped_plan, clock, tmp_path / "m.jsonl"))


async def _no_modules(plan: Plan, clock: FakeClock, log: Path) -> None:
    app, drill = _app(plan, clock, log)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _close_injects(pilot)
        assert app.screen.query_one("#modules").display is False
        before = drill.state.seq
        await pilot.press("m")
        await settle(pilot)
        assert drill.state.seq == before
        assert any("no modules" in str(n.message) for n in app._notifications)


def test_a_scenario_without_modules_has_no_module_bar(clock: FakeClock, tmp_path: Path) -> None:
    plan = load_plan(str(ROOT / "scenarios" / "m365-network-provider-2026-01-21.yaml"))
    asyncio.run(_no_modules(plan, clock, tmp_path / "n.jsonl"))


async def _summarise(plan: Plan, clock: FakeClock, log: Path) -> None:
    from textual.widgets import Static

    from engine.drill.log import read_log
    from engine.tui.screens.discussion import DiscussionSummaryScreen

    app, drill = _app(plan, clock, log)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _close_injects(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, ModuleQuestionsScreen)
        await pilot.press("down", "enter")  # the second question of module 1
        await settle(pilot)
        assert isinstance(app.screen, DiscussionSummaryScreen)
        assert "who can still administer the tenant" in screen_text(app)
        await pilot.press("enter")  # an empty summary is not recorded: Enter only moves on, ctrl+s says why
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DiscussionSummaryScreen) and "needs text" in screen_text(app)
        assert drill.state.summaries == []  # and the focus is back on the summary
        await pilot.press(*"Two break-glass accounts")
        await pilot.press("enter")  # moves to "by" (the facilitator's name to start with)
        await pilot.press("ctrl+u", *"Rosa")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ModuleQuestionsScreen)  # back on the questions, the summary under its one
        assert "[1 recorded]" in screen_text(app)
        shown = str(app.screen.query_one("#module-text", Static).render())  # below the fold of its scroll
        assert "summary (Rosa): Two break-glass accounts" in shown
    drill.close()
    summaries = [e for e in read_log(str(log)).events if e.type == "discussion.summary"]
    assert [e.data for e in summaries] == [{"module": "mail-stops", "question": "who-can-administer",
                                            "text": "Two break-glass accounts", "by": "Rosa"}]


def test_the_console_records_a_discussion_summary(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_summarise(shipped_plan, clock, tmp_path / "s.jsonl"))


async def _correct(plan: Plan, clock: FakeClock, log: Path) -> None:
    from textual.widgets import Static

    from engine.tui.screens.discussion import DiscussionSummaryScreen

    app, drill = _app(plan, clock, log)
    first = drill.summarise("mail-stops", "when-fail-over", "At 30 minutes", "Rosa")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _close_injects(pilot)
        await pilot.press("M")
        await settle(pilot)
        await pilot.press("down", "a")  # the second question has no summary: nothing to amend
        await settle(pilot)
        assert isinstance(app.screen, ModuleQuestionsScreen)
        assert any("No summary is recorded" in str(n.message) for n in app._notifications)
        await pilot.press("up", "a")  # the first has one: the form opens with its text
        await settle(pilot)
        assert isinstance(app.screen, DiscussionSummaryScreen) and "Amend the summary" in screen_text(app)
        await pilot.press("ctrl+u", *"At 45 minutes, after the relay test")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ModuleQuestionsScreen)
        shown = str(app.screen.query_one("#module-text", Static).render())
        assert "summary (Rosa): At 45 minutes, after the relay test" in shown and "At 30 minutes" not in shown
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DiscussionSummaryScreen) and "Withdraw the summary" in screen_text(app)
        await pilot.press("ctrl+s")  # a withdrawal needs a reason
        await settle(pilot)
        assert isinstance(app.screen, DiscussionSummaryScreen) and "needs a reason" in screen_text(app)
        await pilot.press(*"recorded on the wrong question")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ModuleQuestionsScreen)
        shown = str(app.screen.query_one("#module-text", Static).render())
        assert "At 45 minutes" not in shown and "[1 recorded]" not in screen_text(app)
    drill.close()
    corrections = [(e.type, e.data) for e in read_log(str(log)).events if e.type.startswith("discussion.")][1:]
    assert corrections == [
        ("discussion.amended", {"summary": first.seq, "text": "At 45 minutes, after the relay test", "by": ""}),
        ("discussion.withdrawn", {"summary": first.seq, "reason": "recorded on the wrong question", "by": ""})]


def test_the_console_amends_and_withdraws_a_summary(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_correct(shipped_plan, clock, tmp_path / "c.jsonl"))


async def _page_through(plan: Plan, clock: FakeClock, log: Path, seen: list[str]) -> None:
    app, drill = _app(plan, clock, log)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _close_injects(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, ModuleQuestionsScreen)
        seen.append(screen_text(app))
        for _ in range(60):  # page down through the situation and every question's prompts
            await pilot.press("pagedown")
            await settle(pilot)
            seen.append(screen_text(app))
        assert isinstance(app.screen, ModuleQuestionsScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "questions"  # the list kept the keys


def test_m_at_80x24_scrolls_to_the_whole_situation_and_every_prompt(shipped_plan: Plan, clock: FakeClock,
                                                                    tmp_path: Path) -> None:
    seen: list[str] = []
    asyncio.run(_page_through(shipped_plan, clock, tmp_path / "d.jsonl", seen))
    module = shipped_plan.scenario.modules[0]
    last = module.questions[-1]
    shown = " ".join(" ".join(text.split()) for text in seen)
    assert "prompt: " + " ".join(last.prompts[-1].split())[:30] in shown  # the last prompt came on screen
    assert "look for: " + " ".join(last.expect[-1].split())[:30] in shown
