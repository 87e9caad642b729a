"""Ad-hoc injects (inject.adhoc): written during the drill, delivered at once, withdrawable like any inject.
One test per rule in docs/format.md ("Injects written during the drill"), through the Drill API on a fake clock
with a real log; the last ones read the log back (replay, log show, log verify, resume)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drillkit import minutes, start, tabletop, write_plan
from test_step_semantics import RUNBOOK, SCENARIO, decide, status

from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.session import Drill, replay
from engine.drill.state import EventError, StepStatus


@pytest.fixture
def run(tmp_path: Path) -> tuple[Drill, FakeClock]:
    return start(write_plan(tmp_path, RUNBOOK, SCENARIO), tmp_path)


def test_an_adhoc_inject_is_fired_by_hand_under_the_next_free_id(run: tuple[Drill, FakeClock]) -> None:
    drill, clock = run
    minutes(clock, 12)
    event = drill.adhoc("The CFO walks in asking for an ETA.", ["incident-commander"], by="Priya")
    assert event.type == ev.INJECT_ADHOC
    assert event.data == {"inject": "adhoc-1", "text": "The CFO walks in asking for an ETA.",
                          "to": ["incident-commander"], "by": "Priya"}
    fired = drill.state.fired["adhoc-1"]
    assert (fired.t, fired.manual) == (720.0, True)
    assert drill.state.adhoc["adhoc-1"].text == "The CFO walks in asking for an ETA."
    assert drill.adhoc("A second one.").data["inject"] == "adhoc-2"
    assert drill.state.planned_fired() == 0  # the scenario's injects have not fired


def test_an_adhoc_inject_sets_services_and_blocks_like_a_scenario_inject(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    decide(drill, "fail-over")
    drill.adhoc("The relay's disk fills up.", services={"relay": "down"})
    assert drill.state.services["relay"] == "down"
    assert status(drill, "switch") is StepStatus.BLOCKED
    assert status(drill, "forward-by-hand") is StepStatus.READY  # its fallback opens


def test_an_adhoc_inject_carrying_an_event_opens_its_on_steps(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    assert status(drill, "answer-press") is StepStatus.DORMANT
    drill.adhoc("A journalist phones the switchboard.", ["comms-lead"], event="press-call")
    assert status(drill, "answer-press") is StepStatus.READY
    assert drill.state.arrived["press-call"] == 0.0


def test_withdrawing_an_adhoc_inject_undoes_its_services_and_its_event(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    drill.adhoc("Relay down, and the press calls.", services={"relay": "down"}, event="press-call")
    drill.withdraw("adhoc-1", "wrong room", "facilitator")
    assert drill.state.services["relay"] == "up"
    assert status(drill, "answer-press") is StepStatus.DORMANT
    assert "press-call" not in drill.state.arrived
    assert "adhoc-1" in drill.state.withdrawn and "adhoc-1" in drill.state.fired
    assert drill.adhoc("Next").data["inject"] == "adhoc-2"  # a withdrawn id is never given again


def test_withdrawing_an_adhoc_inject_keeps_an_event_a_scenario_inject_brought(run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    drill.fire("press", manual=True)
    drill.adhoc("The same reporter again.", event="press-call")
    drill.withdraw("adhoc-1", "duplicate")
    assert status(drill, "answer-press") is StepStatus.READY


def test_an_adhoc_inject_is_refused_for_a_scenario_id_an_unknown_service_or_blank_text(
        run: tuple[Drill, FakeClock]) -> None:
    drill, _ = run
    with pytest.raises(EventError, match="an inject of the scenario"):
        drill.record(ev.InjectAdhoc("press", "text"))
    with pytest.raises(EventError, match="no service 'dns'"):
        drill.adhoc("DNS fails", services={"dns": "down"})
    with pytest.raises(ev.DecodeError, match="needs its text"):
        drill.adhoc("   ")
    with pytest.raises(ev.DecodeError, match="up, degraded or down"):
        drill.adhoc("bad", services={"relay": "on fire"})
    drill.adhoc("ok")
    with pytest.raises(EventError, match="already fired"):
        drill.record(ev.InjectAdhoc("adhoc-1", "again"))
    drill.end()
    with pytest.raises(EventError, match="has ended"):
        drill.adhoc("too late")


@pytest.mark.parametrize("data, field", [
    ({"inject": "", "text": "t"}, "inject"), ({"inject": "a", "text": 3}, "text"),
    ({"inject": "a", "text": "t", "to": "lead"}, "to"), ({"inject": "a", "text": "t", "to": [""]}, "to"),
    ({"inject": "a", "text": "t", "services": ["relay"]}, "services"),
    ({"inject": "a", "text": "t", "event": 1}, "event"),
])
def test_a_malformed_adhoc_inject_names_its_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ev.DecodeError) as caught:
        ev.decode(ev.INJECT_ADHOC, data)
    assert caught.value.field == field


def test_an_adhoc_payload_round_trips_through_its_wire_form() -> None:
    for payload in (ev.InjectAdhoc("adhoc-1", "text"), ev.InjectAdhoc("adhoc-2", "t", ("a", "b"), {"relay": "down"},
                                                                       "press-call", "Priya")):
        assert ev.decode(payload.WIRE, payload.encode()) == payload


def test_a_log_with_adhoc_injects_replays_shows_and_verifies(run: tuple[Drill, FakeClock], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    drill, clock = run
    minutes(clock, 5)
    drill.adhoc("Relay down\x1b[2J!", ["messaging-lead", "comms-lead"], {"relay": "down"}, "press-call", "Priya")
    drill.withdraw("adhoc-1", "stray")
    drill.adhoc("The CFO calls.")
    drill.close()
    read = read_log(drill.path)
    folded = replay(drill.plan, read)
    assert folded.adhoc == drill.state.adhoc and folded.services == drill.state.services
    assert folded.statuses() == drill.state.statuses()
    code, out, _ = tabletop(capsys, "log", "show", drill.path)
    assert code == 0
    assert ("adhoc-1 (ad hoc, written by Priya) to messaging-lead, comms-lead: Relay down\\x1b[2J!; "
            "event press-call; relay down") in out
    assert "adhoc-2 (ad hoc) to the room: The CFO calls." in out
    code, out, _ = tabletop(capsys, "log", "verify", drill.path, "--scenario", str(tmp_path / "scenarios" / "sc.yaml"),
                            "--runbooks", str(tmp_path / "runbooks"))
    assert code == 0, out
    resumed = Drill.resume(drill.plan, drill.path, clock)
    try:
        assert resumed.state.adhoc == drill.state.adhoc
        assert resumed.next_adhoc_id() == "adhoc-3"
    finally:
        resumed.close()
    assert json.loads(Path(drill.path).read_text().splitlines()[1])["data"]["to"] == ["messaging-lead", "comms-lead"]


def test_the_console_foresees_what_withdrawing_an_adhoc_inject_undoes(run: tuple[Drill, FakeClock]) -> None:
    from engine.drill.foresight import foresee

    drill, _ = run
    drill.adhoc("Relay and tracker down.", services={"relay": "down", "tracker": "down"})
    drill.set_service("tracker", "degraded")
    effects = foresee(drill.state, ev.InjectWithdrawn("adhoc-1", "stray"), drill.now_t())
    assert effects.services == (("relay", "down", "up"),)
    assert effects.kept == (("tracker", "degraded"),)  # set by hand since: it stands
