"""The console and the room's polls: v opens a poll on a question typed now, seats answer over HTTP, the tally
shows live on the Room pane and in the poll dialog, s shows it on the projector, c closes it with its result
recorded; a participant's proposal shows under g and, taken, fills the decision form, which cites the poll
on the decision. Answers and names stay literal (never markup)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from roomkit import SHIPPED

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.plans import load_plan
from engine.room.server import prepare
from engine.tui.app import DrillApp
from engine.tui.screens.decide import DecideScreen
from engine.tui.screens.inject import InjectScreen
from engine.tui.screens.poll import OpenPollScreen, PollScreen
from engine.tui.screens.proposals import ProposalsScreen
from engine.tui.widgets.pane_text import PaneText
from engine.tui.widgets.room_pane import RoomPane

OPTION = "[bold]Vendor[/] [@click=app.quit]x[/]"
DECISION = "inbound-mail-continuity/failover-decision"


def shown(widget: object) -> str:
    text = widget.query_one(PaneText)._shown  # type: ignore[attr-defined]
    return "" if text is None else text.plain


def test_open_a_poll_watch_the_tally_show_and_close_it(tmp_path: Path) -> None:
    async def go() -> tuple[str, str, list[ev.Event]]:
        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Sam")
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, room=prepare("127.0.0.1", 0, None),
                       key_guard=0)
        async with app.run_test(size=(160, 60)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            server = app.room_server
            assert server is not None
            while not server.server.started:
                await asyncio.sleep(0.01)
            await pilot.press("v")
            while not isinstance(app.screen, OpenPollScreen):
                await pilot.pause(0.05)
            await pilot.press("down", "up")  # marks the first: a question typed now, options typed now
            await pilot.click("#ask")
            await pilot.press(*"Who calls the vendor?")
            await pilot.click("#options")
            await pilot.press(*"Ann | ", *OPTION)
            await pilot.press("ctrl+s")
            while isinstance(app.screen, OpenPollScreen):
                await pilot.pause(0.05)
            assert drill.state.polls["poll-1"].options == ("Ann", OPTION)
            async with httpx.AsyncClient() as client:
                for name, answer in (("Bo", OPTION), ("Cy", OPTION), ("Di", "Ann")):
                    async with httpx.AsyncClient(base_url=server.base) as seat:
                        joined = await seat.post(server.links["participant"] + "/join",
                                                 data={"name": name, "role": "observer"},
                                                 headers={"origin": server.base})
                        assert joined.status_code == 303
                        sent = await seat.post(server.links["participant"] + "/poll",
                                               data={"poll": "poll-1", "answer": answer},
                                               headers={"origin": server.base})
                        assert sent.status_code == 303, sent.text
                await client.aclose()
            await pilot.press("5")
            while "3 answered" not in (pane := shown(app.screen.query_one(RoomPane))):
                await pilot.pause(0.05)  # the room's answers redraw the pane: wait on it, not on a deadline
            await pilot.press("v")
            while not isinstance(app.screen, PollScreen):
                await pilot.pause(0.05)
            dialog = str(app.screen.query_one("#tally").render())
            await pilot.press("s")
            while drill.state.polls["poll-1"].revealed_t is None:
                await pilot.pause(0.05)
            await pilot.press("c")
            while isinstance(app.screen, PollScreen):
                await pilot.pause(0.05)
        drill.close()
        return pane, dialog, read_log(drill.path).events

    pane, dialog, events = asyncio.run(go())
    assert "Poll poll-1 (open): Who calls the vendor?" in pane and "3 answered" in pane
    rows = [line.strip() for line in pane.split("Poll poll-1", 1)[1].splitlines() if "█" in line]
    assert rows == [f"Ann{' ' * (len(OPTION) - 3)}  {'█' * 10} 1", f"{OPTION}  {'█' * 20} 2"]  # literal, not markup
    assert OPTION in dialog and "3 answered" in dialog
    closed = next(e for e in events if e.type == ev.POLL_CLOSED)
    assert closed.data == {"poll": "poll-1", "tally": {"Ann": 1, OPTION: 2}, "answered": 3, "by": "Sam"}
    assert any(e.type == ev.POLL_REVEALED for e in events)


def test_a_proposal_taken_fills_the_decision_form_which_cites_the_poll(tmp_path: Path) -> None:
    async def go() -> list[ev.Event]:
        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Sam")
        for _ in range(20):
            if drill.state.status(DECISION) is StepStatus.READY:
                break
            for key in [k for k in plan.steps if drill.state.status(k) is StepStatus.READY
                        and not plan.steps[k].options and k.startswith("inbound-mail-continuity/")]:
                drill.complete_step(key)
        drill.join("s1", "Bo [red]", "messaging-lead")
        drill.open_poll("Fail over?", step=DECISION)
        drill.answer_poll("poll-1", "s1", "hold")
        drill.close_poll("poll-1")
        drill.propose("s1", "The gateway queues\nfor four days.", step=DECISION, option="hold")  # two lines
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, room=prepare("127.0.0.1", 0, None),
                       key_guard=0)
        async with app.run_test(size=(160, 60)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("g")
            while not isinstance(app.screen, ProposalsScreen):
                await pilot.pause(0.05)
            await pilot.press("enter")
            while not isinstance(app.screen, DecideScreen):
                await pilot.pause(0.05)
            assert app.screen.chosen == "hold"
            tally = str(app.screen.query_one("#poll-tally").render())
            assert f"{plan.steps[DECISION].labels['hold']}  {'█' * 20} 1" in tally  # the runbook's words, as the room
            await pilot.click("#by")
            await pilot.press("ctrl+s")
            while isinstance(app.screen, DecideScreen):
                await pilot.pause(0.05)
        drill.close()
        return read_log(drill.path).events

    events = asyncio.run(go())
    taken = next(e for e in events if e.type == ev.PROPOSAL_TAKEN)
    decided = next(e for e in events if e.type == ev.DECISION_MADE)
    assert taken.seq < decided.seq
    assert decided.data["option"] == "hold" and decided.data["poll"] == "poll-1"
    # the one-line field showed only "The gateway queues" and recorded the second line unseen: now all of it,
    # on one line, is what the facilitator sees and records (as the summary form already did)
    assert decided.data["rationale"] == "The gateway queues for four days."


def test_a_written_answer_taken_fills_the_discussion_summary(tmp_path: Path) -> None:
    async def go() -> list[ev.Event]:
        from engine.tui.screens.discussion import DiscussionSummaryScreen

        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Sam")
        module = plan.scenario.modules[0]
        drill.join("s1", "Cy", "observer")
        drill.propose("s1", "Tell partners first, [bold]by phone[/].", module=module.id,
                      question=module.questions[0].id)
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, room=prepare("127.0.0.1", 0, None),
                       key_guard=0)
        async with app.run_test(size=(160, 60)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("g")
            while not isinstance(app.screen, ProposalsScreen):
                await pilot.pause(0.05)
            await pilot.press("enter")
            while not isinstance(app.screen, DiscussionSummaryScreen):
                await pilot.pause(0.05)
            await pilot.press("ctrl+s")
            while isinstance(app.screen, DiscussionSummaryScreen):
                await pilot.pause(0.05)
        drill.close()
        return read_log(drill.path).events

    events = asyncio.run(go())
    summary = next(e for e in events if e.type == ev.DISCUSSION_SUMMARY)
    assert summary.data["text"] == "Tell partners first, [bold]by phone[/]." and summary.data["by"] == "Sam"
    assert any(e.type == ev.PROPOSAL_TAKEN for e in events)


def test_the_poll_dialog_keeps_its_buttons_on_a_small_screen(tmp_path: Path) -> None:
    """Six answers of 500 characters (or twelve options of 120) each take one row of the tally, cut with an
    ellipsis: at 80x24 the dialog's Close button stays on the screen (they pushed it off, with any refusal)."""
    async def go() -> tuple[float, float, str]:
        plan = load_plan(str(SHIPPED))
        clock = FakeClock()
        drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"), facilitator="Sam")
        for n in range(6):
            drill.join(f"s{n}", f"Seat {n}", "observer")
        drill.open_poll("What do we tell the staff?")
        for n in range(6):
            drill.answer_poll("poll-1", f"s{n}", f"{n} " + "We say it plainly and often. " * 17)
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, room=prepare("127.0.0.1", 0, None),
                       key_guard=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            while isinstance(app.screen, InjectScreen):
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("v")
            while not isinstance(app.screen, PollScreen):
                await pilot.pause(0.05)
            await pilot.pause()
            button = app.screen.query_one("#close").region
            tally = str(app.screen.query_one("#tally").render())
        drill.close()
        return button.bottom, 24, tally

    bottom, height, tally = asyncio.run(go())
    assert bottom <= height, (bottom, height)
    assert "…" in tally and "0 We say it plainly" in tally


def test_the_console_tally_words_a_decision_s_options_as_the_room_and_the_report_do() -> None:
    """The poll dialog, the Room pane and the decision form read a decision poll's options in the runbook's
    words, through the one reading (Plan.worded) the room's page and the report use; they showed the bare ids."""
    from engine.drill.records import PollRecord
    from engine.tui.poll_actions import tally_lines

    plan = load_plan(str(SHIPPED))
    step = plan.steps[DECISION]
    poll = PollRecord("poll-1", "Fail over?", tuple(step.options or {}), DECISION, "", "", "Sam", 0.0, 1,
                      {"seat-a": "hold"})
    text = "\n".join(line.plain for line in tally_lines(poll, plan))
    for option in step.options or {}:
        assert step.labels[option] != option and step.labels[option][:40] in text
    assert plan.worded(DECISION, "hold") == step.labels["hold"] and plan.worded("", "hold") == "hold"
