"""The room inside the console: an evaluator's note, posted over HTTP to the room the console serves in its
own loop, shows at once in the console's Log pane, signed and literal; the Room pane shows the links."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from roomkit import SAFETY, SHIPPED

from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.room.server import prepare
from engine.tui.app import DrillApp
from engine.tui.screens.inject import InjectScreen
from engine.tui.widgets.drill_feed import DrillFeed
from engine.tui.widgets.pane_text import PaneText
from engine.tui.widgets.room_pane import RoomPane, qr_lines

NAME = "Ana [bold]Okafor[/] \x1b[31m"
TEXT = "[@click=app.quit]quit[/] <b>not bold</b> \x1b]0;title\x07"


async def until(pilot: Any, test: Callable[[], bool]) -> None:
    """Let the console run until `test()` holds (it redraws once per burst of room notes, when it gets to it);
    SAFETY only stops a console that never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SAFETY
    await pilot.pause()
    while not test():
        assert loop.time() < deadline, "the console never showed it"
        await asyncio.sleep(0.05)
        await pilot.pause()


def shown(widget: object) -> str:
    text = widget.query_one(PaneText)._shown  # type: ignore[attr-defined]
    assert text is not None
    return text.plain


def test_evaluator_note_reaches_the_console_log_pane_signed_and_literal(tmp_path: Path) -> None:
    async def go() -> tuple[str, str, dict[str, str]]:
        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Sam")
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, room=prepare("127.0.0.1", 0, None),
                       key_guard=0)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            server = app.room_server
            assert server is not None
            while not server.server.started:
                await asyncio.sleep(0.01)
            async with httpx.AsyncClient() as client:
                response = await client.post(server.links["evaluator"] + "/observations",
                                             data={"name": NAME, "kind": "observation", "text": TEXT},
                                             headers={"origin": server.base})
                assert response.status_code == 303
            await until(pilot, lambda: "by Ana" in shown(app.screen.query_one(DrillFeed)))
            feed = shown(app.screen.query_one(DrillFeed))
            room = shown(app.screen.query_one(RoomPane))
            links = dict(server.links)
        drill.close()
        return feed, room, links

    feed, room, links = asyncio.run(go())
    assert "by Ana [bold]Okafor[/] ␛[31m: [@click=app.quit]quit[/] <b>not bold</b> ␛]0;title␇" in feed
    assert "\x1b" not in feed
    assert "Open on this computer only (127.0.0.1:" in room
    assert links["participant"] in room.replace("\n", "") and links["evaluator"] in room.replace("\n", "")
    assert qr_lines(links["participant"])[3] in room


def test_qr_code_reads_back_as_the_link() -> None:
    """The half-block drawing keeps every module: two rows a line, dark as drawn."""
    import segno

    link = "http://192.168.1.20:8123/p/" + "A" * 32
    lines = qr_lines(link)
    matrix = segno.make(link, error="l").matrix
    size = len(matrix)
    assert len(lines[0]) == size + 4 and len(lines) == (size + 4 + 1) // 2
    for y in range(size):
        for x in range(size):
            char = lines[(y + 2) // 2][x + 2]
            top = (y + 2) % 2 == 0
            dark = char == "█" or (char == "▀" and top) or (char == "▄" and not top)
            assert dark == bool(matrix[y][x]), (x, y)


def test_f_opens_and_closes_the_feedback_form_and_the_room_pane_counts_forms(tmp_path: Path) -> None:
    async def go() -> list[str]:
        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Sam")
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, room=prepare("127.0.0.1", 0, None),
                       key_guard=0)
        seen = []
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            server = app.room_server
            assert server is not None
            while not server.server.started:
                await asyncio.sleep(0.01)
            seen.append(shown(app.screen.query_one(RoomPane)))
            await pilot.press("F")
            await pilot.pause()
            assert drill.state.feedback_open and read_log(drill.path).events[-1].type == "feedback.opened"
            async with httpx.AsyncClient() as client:
                joined = await client.post(server.links["participant"] + "/join",  # a form takes a seat's answer
                                           data={"name": "Ann", "role": "observer"}, headers={"origin": server.base})
                assert joined.status_code == 303
                response = await client.post(server.links["participant"] + "/feedback",
                                             data={"rate-organised": "5"}, headers={"origin": server.base})
                assert response.status_code == 303
            await until(pilot, lambda: "1 received" in shown(app.screen.query_one(RoomPane)))
            seen.append(shown(app.screen.query_one(RoomPane)))
            await pilot.press("F")
            await pilot.pause()
            assert not drill.state.feedback_open
            seen.append(shown(app.screen.query_one(RoomPane)))
        drill.close()
        return seen

    before, opened, closed = asyncio.run(go())
    assert "Feedback form: closed, opens when the drill ends · none received yet (F opens it)" in before
    assert "Feedback form: open · 1 received (F closes it)" in opened
    assert "Feedback form: closed · 1 received (F opens it)" in closed


def test_f_without_the_room_says_why_and_records_nothing(tmp_path: Path) -> None:
    async def go() -> tuple[int, int, list[str]]:
        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            before = drill.state.seq
            await pilot.press("F")
            await pilot.pause()
            messages = [str(n.message) for n in app._notifications]
            after = drill.state.seq
        drill.close()
        return before, after, messages

    before, after, messages = asyncio.run(go())
    assert before == after
    assert any("drill room, which is not open" in m for m in messages)
