"""A dialog shows the console dimmed behind it, tinted once per change of the console (issue 21's key
latency: Textual tinted the whole console again on each of a dialog's three or four repaints as it
opened), and still shows the console as it is when the console changes underneath."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from conftest import goto, screen_text, settle
from textual._context import visible_screen_stack
from textual.widget import Widget

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens import dialog
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.console import ConsoleScreen
from engine.tui.screens.note import NoteScreen

MAIL = "inbound-mail-continuity"


def _app(plan: Plan, clock: FakeClock, log: Path) -> DrillApp:
    drill = Drill.start(plan, clock, log_path=str(log))
    drill.fire_due()
    return DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)


class _Tints:
    """Counts the times a dialog tints the screen below it (engine.tui.screens.dialog.tinted, which draws what
    Textual's BackgroundScreen draws)."""

    def __init__(self) -> None:
        self.count = 0
        self._original = dialog.tinted

    def __enter__(self) -> _Tints:
        original = self._original

        def counted(*args: Any) -> Any:
            self.count += 1
            return original(*args)

        dialog.tinted = counted  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        dialog.tinted = self._original  # type: ignore[assignment]


async def _open_and_change(plan: Plan, clock: FakeClock, log: Path, size: tuple[int, int]) -> None:
    app = _app(plan, clock, log)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await goto(pilot, f"{MAIL}/detect-deferrals")
        await pilot.press("s")
        await settle(pilot)
        console = app.screen
        assert isinstance(console, ConsoleScreen)
        with _Tints() as tints:
            await pilot.press("c")  # checklist items open: it asks first
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert tints.count == 1  # the console, tinted once, however often the dialog repainted
            assert "T+0:00:00" in screen_text(app).splitlines()[0]  # the console shows through, dimmed
            await pilot.press("tab", "tab")  # the dialog repaints; the console below has not changed
            await settle(pilot)
            assert tints.count == 1
            clock.advance(125)
            console.refresh_view(full=False)  # the console changes underneath (as the clock's tick does)
            await settle(pilot)
            changed = tints.count
            assert changed > 1  # tinted again (once per repaint of the console that reached the dialog)
            assert "T+0:02:05" in screen_text(app).splitlines()[0]  # and the dialog shows it as it is now
            await pilot.resize_terminal(size[0] - 10, size[1] - 2)
            await settle(pilot)
            assert tints.count > changed  # a new size is a new picture
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is console


def test_a_dialog_tints_the_console_once_per_change_200x50(shipped_plan: Plan, clock: FakeClock,
                                                           tmp_path: Path) -> None:
    asyncio.run(_open_and_change(shipped_plan, clock, tmp_path / "a.jsonl", (200, 50)))


def test_a_dialog_tints_the_console_once_per_change_80x24(shipped_plan: Plan, clock: FakeClock,
                                                          tmp_path: Path) -> None:
    asyncio.run(_open_and_change(shipped_plan, clock, tmp_path / "a.jsonl", (80, 24)))


async def _resize_under_a_dialog(plan: Plan, clock: FakeClock, log: Path) -> None:
    app = _app(plan, clock, log)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        console = app.screen
        assert isinstance(console, ConsoleScreen)
        await pilot.press("n")  # a form over the console
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.resize_terminal(130, 34)
        await settle(pilot)
        under = screen_text(app).splitlines()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is console
        after = screen_text(app).splitlines()
        assert len(under) == len(after) == 34
        assert under[0] == after[0]  # the clock bar, not covered: laid out for the new width under the dialog too
        assert under[-1] == after[-1]  # the key bar, at the new bottom row


def test_the_console_under_a_dialog_is_laid_out_again_when_the_terminal_is_resized(
        shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    asyncio.run(_resize_under_a_dialog(shipped_plan, clock, tmp_path / "a.jsonl"))


async def _as_textual_draws_it(plan: Plan, clock: FakeClock, log: Path, size: tuple[int, int]) -> None:
    app = _app(plan, clock, log)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await goto(pilot, f"{MAIL}/detect-deferrals")
        await pilot.press("s", "3")  # a step at work, and another pane: colours, bold, links in the lines below
        await settle(pilot)
        console = app.screen
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NoteScreen)
        visible_screen_stack.set([console])
        Widget._render_content(form)  # Textual's own way: Screen.render's BackgroundScreen, through Rich
        theirs = form._render_cache.lines
        visible_screen_stack.set([console])
        assert form._tint_below()
        ours = form._render_cache.lines
        assert len(ours) == len(theirs) == size[1]
        assert [list(line) for line in ours] == [list(line) for line in theirs]  # segment for segment, style too
        assert any(segment.style and segment.style.bgcolor for line in ours for segment in line)


def test_the_tint_draws_what_textual_draws(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    for size in ((80, 24), (200, 50)):
        asyncio.run(_as_textual_draws_it(shipped_plan, clock, tmp_path / f"{size[0]}.jsonl", size))
