"""The steps table keeps up (issue 21 item 8): after an event it recomputes only the rows of the steps the
event changed (and those at work, whose time moves with the clock), never every step's status; and what
it shows after every event of a drill is what a table built afresh from the fold shows."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text

from engine.drill.clock import FakeClock
from engine.drill.plan import Plan, PlanError
from engine.drill.session import Drill
from engine.drill.state import DrillState, EventError
from engine.plans import load_plan
from engine.tui.app import DrillApp
from engine.tui.screens.console import ConsoleScreen
from engine.tui.widgets import step_table
from engine.tui.widgets.step_table import StepTable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "robot"))
from robotdraw import drawn  # noqa: E402
from robotkit import SHIPPED, T0, Facilitator, drawn_project  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def chains(folder: Path, steps: int) -> Plan:
    """A runbook of `steps` steps in ten chains (each step needs the one ten before it), with checklists."""
    (folder / "runbooks").mkdir(parents=True)
    (folder / "scenarios").mkdir()
    lines = ["runbook: chains", "title: Chains", "roles:", "  lead: Leads", "services:", "  db: Database",
             "steps:"]
    for i in range(steps):
        lines += [f"  s{i}:", f"    title: Step {i}", "    owner: lead", "    target: 5m", "    do: [One, Two]"]
        if i >= 10:
            lines.append(f"    needs: [s{i - 10}]")
    (folder / "runbooks" / "chains.yaml").write_text("\n".join(lines) + "\n")
    (folder / "scenarios" / "chains.yaml").write_text(
        "scenario: chains\ntitle: Chains\nrunbooks: [chains]\ninjects:\n"
        "  - id: late\n    at: T+2h\n    say: Something happens.\n")
    return load_plan(str(folder / "scenarios" / "chains.yaml"))


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Count step status reads (DrillState.status) and rows weighed (step_table.spent) while inside."""
    calls = {"status": 0, "rows": 0}
    status, spent = DrillState.status, step_table.spent

    def counting_status(self: DrillState, key: str) -> Any:
        calls["status"] += 1
        return status(self, key)

    def counting_spent(state: DrillState, key: str, now_t: float) -> float | None:
        calls["rows"] += 1
        return spent(state, key, now_t)

    monkeypatch.setattr(DrillState, "status", counting_status)
    monkeypatch.setattr(step_table, "spent", counting_spent)
    yield calls
    monkeypatch.setattr(DrillState, "status", status)
    monkeypatch.setattr(step_table, "spent", spent)


def shown(table: StepTable) -> dict[str, tuple[Text, ...]]:
    """Every row as the table holds it now, by row key."""
    return {str(row.key.value): tuple(table.get_row(row.key)) for row in table.ordered_rows}


def afresh(table: StepTable, state: DrillState, now_t: float) -> dict[str, tuple[Text, ...]]:
    """Every row of a table of the same width built from the fold alone (reading every step)."""
    fresh = StepTable(table.plan)
    fresh._layout = table._layout
    fresh._watching(state).take()  # every step's status, read afresh
    return fresh._rows(state, now_t, None)


def assert_same(live: dict[str, tuple[Text, ...]], full: dict[str, tuple[Text, ...]], after: str) -> None:
    assert list(live) == list(full), after
    for key, cells in full.items():
        mine = live[key]
        assert [c.plain for c in mine] == [c.plain for c in cells], f"{key} after {after}"
        assert [str(c.style) for c in mine] == [str(c.style) for c in cells], f"{key} after {after}"
        assert [c.spans for c in mine] == [c.spans for c in cells], f"{key} after {after}"


def test_an_event_recomputes_only_the_rows_it_touched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = chains(tmp_path / "project", 300)
    clock = FakeClock(T0)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))
    app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
    seen: dict[str, dict[str, int]] = {}

    async def run() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            screen = app.console_screen
            assert isinstance(screen, ConsoleScreen)
            table = screen.query_one(StepTable)
            for name, act in (("start", lambda: drill.start_step("chains/s3")),
                              ("tick", lambda: drill.tick("chains/s3", 0)),
                              ("done", lambda: drill.complete_step("chains/s3"))):
                clock.advance(60)
                with counted(monkeypatch) as calls:
                    act()
                    table.refresh_rows(drill.state, drill.now_t())
                seen[name] = dict(calls)
            assert_same(shown(table), afresh(table, drill.state, drill.now_t()), "done")
            assert shown(table)["chains/s13"][0].plain.strip() == "○ ready"  # the step that needed it opens

    asyncio.run(run())
    drill.close()
    # Before: every event read all 300 statuses and weighed all 300 rows. Now: the step, the steps its change
    # reaches (s13, which needed it), and the steps at work.
    for name, calls in seen.items():
        assert calls["status"] <= 8, (name, calls)
        assert calls["rows"] <= 3, (name, calls)


def test_an_event_of_every_step_still_redraws_right(tmp_path: Path) -> None:
    """An event whose type reaches every step (a decision revised, a step reopened) looks at every row."""
    plan = chains(tmp_path / "project", 40)
    clock = FakeClock(T0)
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))

    async def run() -> None:
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.screen.query_one(StepTable) if isinstance(app.screen, ConsoleScreen) else None
            assert table is not None
            drill.start_step("chains/s0")
            drill.complete_step("chains/s0")
            clock.advance(600)
            drill.reopen("chains/s0", "done too soon", "Sam")
            table.refresh_rows(drill.state, drill.now_t())
            assert_same(shown(table), afresh(table, drill.state, drill.now_t()), "reopen")
            assert shown(table)["chains/s10"][0].plain.strip() == "… waiting"

    asyncio.run(run())
    drill.close()


PLANS: dict[str, Plan] = {}


def _plan(which: str, case: Any, folder: Path) -> Plan | None:
    if which != "drawn":
        if which not in PLANS:
            PLANS[which] = load_plan(str(ROOT / "scenarios" / which))
        return PLANS[which]
    project = drawn_project(folder, case)
    try:
        return load_plan(str(project / "scenarios" / "sc.yaml"), [str(project / "runbooks")])
    except PlanError:  # a drawn runbook the validator rejects: not a drill anyone can run
        return None


EXAMPLES = int(os.environ.get("TABLETOP_TABLE_EXAMPLES", "8"))  # more for a longer run


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_table_after_every_event_is_a_table_built_afresh(data: st.DataObject,
                                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    """A facilitator robot (tests/robot) drives a drill of a shipped or drawn scenario through the Drill API
    under the console; after every action the table, refreshed as the console refreshes it, holds exactly
    the rows a table built from the fold holds."""
    folder = tmp_path_factory.mktemp("table")
    which = data.draw(st.sampled_from(["drawn", "drawn", *SHIPPED]), label="scenario")
    plan = _plan(which, data.draw(drawn(), label="drawn") if which == "drawn" else None, folder / "project")
    if plan is None:
        return
    clock = FakeClock(T0)
    drill = Drill.start(plan, clock, log_path=str(folder / "d.jsonl"), facilitator="Sam",
                        participants={"lead": "Lee"})
    hands = Facilitator(drill, clock)
    width = data.draw(st.sampled_from([80, 200]), label="width")

    async def run() -> None:
        app = DrillApp(plan, clock, drill, blink=False, tick_seconds=3600, key_guard=0)
        async with app.run_test(size=(width, 40)) as pilot:
            await pilot.pause()
            screen = app.console_screen
            assert screen is not None
            table = screen.query_one(StepTable)
            for _ in range(data.draw(st.integers(5, 40), label="actions")):
                if drill.state.ended:
                    break
                valid = dict(hands.valid())
                name = data.draw(st.sampled_from(sorted(valid)), label="action")
                try:
                    valid[name](data)
                except EventError:
                    pass
                if drill.state.ended:
                    break
                screen.refresh_view(full=data.draw(st.booleans(), label="full"))  # an event, or a clock tick
                assert_same(shown(table), afresh(table, drill.state, drill.now_t()), name)
                assert table._watch is not None and table._watch.status == drill.state.statuses(), name

    asyncio.run(run())
    drill.close()
