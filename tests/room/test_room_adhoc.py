"""The drill room hears an ad-hoc inject like any other: its text and roles on the participant page and in
the live stream; a clock.gap is a clock event there (the room's clock moves when the time away counts)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "drill"))

from drillkit import start, write_plan  # noqa: E402
from test_step_semantics import RUNBOOK, SCENARIO  # noqa: E402

from engine.drill import events as ev  # noqa: E402
from engine.room import views  # noqa: E402


def test_the_room_hears_an_adhoc_inject_as_written(tmp_path: Path) -> None:
    drill, _ = start(write_plan(tmp_path, RUNBOOK, SCENARIO), tmp_path)
    event = drill.adhoc("<script>The CFO walks in</script>", ["incident-commander", "comms-lead"],
                        {"relay": "down"})
    page = views.participant(drill.state, 0.0)
    assert page["current"]["id"] == "adhoc-1"
    assert page["current"]["say"] == "<script>The CFO walks in</script>"  # the template escapes it
    assert page["current"]["to"] == "incident-commander, comms-lead"
    public = views.public_event(event, drill.state)
    assert public["kind"] == "inject" and public["inject"]["id"] == "adhoc-1"
    assert {"id": "relay", "health": "down"} in public["services"]
    assert views.evaluator(drill.state, 0.0)["injects"][0]["expect"] == ""
    drill.pause()
    gap = drill.record(ev.ClockGap(drill.state.wall or "", 120.0, True))
    assert views.public_event(gap, drill.state)["kind"] == "clock"
