"""The console's Room pane lists who is in the drill room (name, role, since when), names literal, and a link
per role; a participant joining over HTTP shows there, and leaving takes them off."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from roomkit import SHIPPED

from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan
from engine.room.server import prepare
from engine.tui.app import DrillApp
from engine.tui.screens.inject import InjectScreen
from engine.tui.widgets.pane_text import PaneText
from engine.tui.widgets.room_pane import RoomPane

NAME = "Ana [bold]Okafor[/] [@click=app.quit]x[/]"


def shown(widget: object) -> str:
    text = widget.query_one(PaneText)._shown  # type: ignore[attr-defined]
    return "" if text is None else text.plain


def test_the_room_pane_lists_who_is_in(tmp_path: Path) -> None:
    async def go() -> list[str]:
        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Sam")
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, room=prepare("127.0.0.1", 0, None),
                       key_guard=0)
        seen = []
        async with app.run_test(size=(160, 60)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            server = app.room_server
            assert server is not None
            while not server.server.started:
                await asyncio.sleep(0.01)

            async def pane_shows(text: str, present: bool = True) -> str:
                while (text in (room := shown(app.screen.query_one(RoomPane)))) != present:
                    await pilot.pause(0.05)  # waits on the redraw, not on a deadline
                return room

            seen.append(await pane_shows("nobody has joined yet"))
            async with httpx.AsyncClient() as client:
                joined = await client.post(server.links["participant"] + "/join",
                                           data={"name": NAME, "role": "comms-lead"}, headers={"origin": server.base})
                assert joined.status_code == 303
                seen.append(await pane_shows("In the room: 1"))
                left = await client.post(server.links["participant"] + "/leave", data={"leave": "yes"},
                                         headers={"origin": server.base})
                assert left.status_code == 303
                seen.append(await pane_shows("In the room: 0"))
        drill.close()
        return seen

    before, joined, left = asyncio.run(go())
    assert "In the room: 0" in before and "?role=incident-commander" in before.replace("\n", "")
    assert f"{NAME} · comms-lead · since T+0:00" in joined
    assert NAME not in left
