"""Seats in the drill room as events: seat.joined / seat.left checked by shape and by the state (a known role,
a seat not in twice, leaving only a seat that is in), folded into the attendance sheet, resumed, narrated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine import bounds
from engine.drill import events as ev
from engine.drill.clock import FakeClock, parse_wall
from engine.drill.events import DecodeError, EventError
from engine.drill.narrate import line
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>[bold]x[/]"


@pytest.fixture
def drill(tmp_path: Path):  # type: ignore[no-untyped-def]
    plan = load_plan(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(ROOT / "runbooks")])
    clock = FakeClock(parse_wall("2026-01-22T19:33:00Z"))
    running = Drill.start(plan, clock, log_path=str(tmp_path / "d.jsonl"))
    running.fake_clock = clock  # type: ignore[attr-defined]
    yield running
    running.close()


def test_the_roles_are_the_runbooks_and_observer(drill: Drill) -> None:
    roles = drill.plan.roles
    assert roles[-1] == "observer" and "incident-commander" in roles and len(roles) == len(set(roles))


def test_join_leave_rejoin_make_the_attendance_sheet_and_survive_resume(drill: Drill, tmp_path: Path) -> None:
    drill.join("s1", "Ann", "incident-commander")
    drill.fake_clock.advance(600)  # type: ignore[attr-defined]
    drill.join("s2", HOSTILE, "observer")
    drill.leave("s1")
    drill.fake_clock.advance(60)  # type: ignore[attr-defined]
    drill.join("s1", "Ann", "comms-lead")  # rejoins, in another role
    rows = [(a.seat, a.name, a.role, a.left_t is None) for a in drill.state.attendance]
    assert rows == [("s1", "Ann", "incident-commander", False), ("s2", HOSTILE, "observer", True),
                    ("s1", "Ann", "comms-lead", True)]
    assert drill.state.attendance[0].left_t == 600 and drill.state.attendance[2].joined_t == 660
    assert set(drill.state.seated) == {"s1", "s2"}
    drill.close()
    again = Drill.resume(drill.plan, str(tmp_path / "d.jsonl"), FakeClock(parse_wall("2026-01-22T20:00:00Z")))
    assert again.state.attendance == drill.state.attendance
    again.close()


def test_an_unknown_role_is_refused(drill: Drill) -> None:
    with pytest.raises(EventError, match="no role 'ceo' in the drill's runbooks"):
        drill.join("s1", "Ann", "ceo")
    assert drill.state.attendance == []


def test_leaving_a_seat_not_taken_is_refused(drill: Drill) -> None:
    with pytest.raises(EventError, match="seat s9 is not in the room"):
        drill.leave("s9")
    drill.join("s9", "Bo", "observer")
    drill.leave("s9")
    with pytest.raises(EventError, match="seat s9 is not in the room"):
        drill.leave("s9")


def test_a_seat_in_the_room_cannot_join_twice(drill: Drill) -> None:
    drill.join("s1", "Ann", "observer")
    with pytest.raises(EventError, match="already in the room"):
        drill.join("s1", "Ann", "observer")


@pytest.mark.parametrize("name, why", [("", "needs a name"), ("  ", "needs a name"),
                                       ("x" * (bounds.MAX_SEAT_NAME + 1), "at most"),
                                       ("Ann\nBo", "control"), ("Ann\x1b[2J", "control"),
                                       ("\u202eevil", "direction")])
def test_a_name_that_cannot_be_shown_safely_is_refused(drill: Drill, name: str, why: str) -> None:
    with pytest.raises(DecodeError, match=why):
        drill.join("s1", name, "observer")


@pytest.mark.parametrize("seat", ["", "a b", "../x", "x" * (bounds.MAX_SEAT_ID + 1), "<s>"])
def test_a_malformed_seat_id_is_refused(drill: Drill, seat: str) -> None:
    with pytest.raises(DecodeError, match="a seat id is"):
        drill.join(seat, "Ann", "observer")


def test_the_room_holds_at_most_max_seats(drill: Drill, monkeypatch: Any) -> None:
    monkeypatch.setattr(bounds, "MAX_SEATS", 2)
    drill.join("a", "A", "observer")
    drill.join("b", "B", "observer")
    with pytest.raises(EventError, match="the room is full: 2 seats"):
        drill.join("c", "C", "observer")


def test_a_seat_may_join_after_the_end_for_the_feedback_form(drill: Drill) -> None:
    drill.end("finished")
    assert drill.join("late", "Cy", "observer").type == ev.SEAT_JOINED


def test_the_log_line_names_the_seat_as_plain_text(drill: Drill) -> None:
    event = drill.join("s1", HOSTILE, "observer")
    assert line(event).endswith(f"{HOSTILE} joined as observer (seat s1)")  # `log show` prints plain text


def test_readiness_reads_the_attendance_even_from_the_log_alone(drill: Drill, tmp_path: Path) -> None:
    from engine.drill.log import read_log
    from engine.drill.log_plan import plan_from_log
    from engine.readiness.drills import summarize

    drill.join("s1", "Ann", "incident-commander")
    drill.fake_clock.advance(120)  # type: ignore[attr-defined]
    drill.leave("s1")
    drill.end("finished")
    drill.close()
    summary = summarize(str(tmp_path / "d.jsonl"))
    assert summary.problem is None
    assert summary.attendance == [{"name": "Ann", "role": "incident-commander", "joined": 0, "left": 120}]
    alone = plan_from_log(read_log(str(tmp_path / "d.jsonl")).events)  # the runbooks gone: the log's roles
    assert "incident-commander" in alone.roles


@pytest.mark.parametrize("entry, why", [
    ("join: {seat: a1, name: Ann, role: ceo}", "no role 'ceo' in the drill's runbooks"),
    ("join: {seat: a1, name: \"Ann\\u202e\", role: observer}", "no control characters"),
    ("join: {seat: 'a b', name: Ann, role: observer}", "seat"),
])
def test_a_team_file_join_is_checked_when_read(tmp_path: Path, capsys: Any, entry: str, why: str) -> None:
    from drillkit import SHIPPED, TEAM, tabletop

    team = tmp_path / "team.yaml"
    team.write_text(TEAM.read_text(encoding="utf-8") + f"\nactions:\n  - at: T+0:01\n    {entry}\n", encoding="utf-8")
    code, out, err = tabletop(capsys, "play", SHIPPED, "--team", team, "--log", tmp_path / "d.jsonl")
    assert code == 2 and f"{team}:" in err and why in err, err
    assert not (tmp_path / "d.jsonl").exists()
