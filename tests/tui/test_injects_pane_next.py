"""The Injects pane never shows a later inject where the next one belongs (issue 21 item 4).

At 80x24 the pane is some ten lines tall; the newest fired inject is highlighted and scrolled into view,
which scrolled the top of the "Next" list out of sight: the pane's first line then read
`○ T+1:30:00 report-peak  in 35:00` while the header said leadership-pressure (T+1:00) came next. The
pane now starts at its top or below the whole "Next" list, never inside it, however it is scrolled; and
the next inject it lists is the header's.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from conftest import settle

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.widgets.inject_timeline import NEXT_SHOWN, InjectTimeline

UPCOMING = re.compile(r"^(?:○ T\+\S+ |! due now )(\S+)")


def pane_lines(timeline: InjectTimeline) -> list[str]:
    return [timeline.render_line(y).text.rstrip() for y in range(timeline.size.height)]


def header_next(app: DrillApp) -> str | None:
    top = "\n".join(s.text for s in app.screen._compositor.render_strips()).splitlines()[0]
    found = re.search(r"(?:next inject in \S+: |inject due: )(\S+)", top)
    return found.group(1) if found else None


def check(app: DrillApp, seen: list[str]) -> None:
    """The pane's first inject line under "Next", when it shows one, is the header's next inject; no line of
    the "Next" list shows at the top of the pane without the heading above it."""
    screen = app.screen
    assert isinstance(screen, ConsoleScreen)
    timeline = screen.query_one(InjectTimeline)
    lines = pane_lines(timeline)
    seen.append("\n".join(lines))
    top = UPCOMING.match(lines[0])
    listed = [inject.id for _, inject in screen.drill.state.upcoming()[:NEXT_SHOWN]]
    assert not (top and top.group(1) in listed), f"the pane starts inside the Next list:\n{seen[-1]}"
    if "Next" in lines:
        first = UPCOMING.match(lines[lines.index("Next") + 1])
        assert first is not None and header_next(app) == first.group(1), seen[-1]


def test_the_injects_pane_starts_at_next_or_below_it(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    drill = Drill.start(shipped_plan, clock, log_path=str(tmp_path / "d.jsonl"))
    app = DrillApp(shipped_plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    seen: list[str] = []

    async def calm(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        while not isinstance(app.screen, ConsoleScreen):
            await pilot.press("escape")
            await settle(pilot)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await calm(pilot)
            await pilot.press("3")  # the Injects pane, the keyboard on its newest fired inject
            await calm(pilot)
            check(app, seen)
            for minutes in (20, 15, 20, 4, 1):  # T+0:20, 0:35, 0:55, 0:59, 1:00: injects fire as the clock runs
                clock.advance(minutes * 60)
                app.tick()
                await calm(pilot)
                check(app, seen)
            for key in ("down", "down", "up", "up", "up", "pageup", "pagedown", "home", "end"):
                await pilot.press(key)
                await settle(pilot)
                check(app, seen)
            app.perform(lambda: drill.fire("freeze-exception", manual=True))  # one fired out of order
            await calm(pilot)
            await pilot.press("3")
            await settle(pilot)
            check(app, seen)
            timeline = app.screen.query_one(InjectTimeline)
            for y in range(0, int(timeline.max_scroll_y) + 1):  # the wheel, a line at a time, down then up
                timeline.scroll_to(y=y, animate=False)
                await settle(pilot)
                check(app, seen)
            for y in range(int(timeline.max_scroll_y), -1, -1):
                timeline.scroll_to(y=y, animate=False)
                await settle(pilot)
                check(app, seen)

    asyncio.run(run())
    drill.close()
