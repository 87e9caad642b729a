"""Times and numbers are bounded wherever they are accepted: a clear one-line error, never an overflow."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "drill"))
from drillkit import ROOT, SHIPPED, start, tabletop  # noqa: E402

from engine.bounds import MAX_CLOCK_SECONDS, MAX_DURATION_SECONDS  # noqa: E402
from engine.drill.state import EventError  # noqa: E402
from engine.duration import DurationError, parse_duration, parse_offset  # noqa: E402
from engine.plans import load_plan  # noqa: E402

NINES = "9" * 400


@pytest.mark.parametrize("text", ["367d", "8785h", f"{NINES}s", "99999999999999999999d", "366d1s"])
def test_durations_beyond_a_year_are_refused(text: str) -> None:
    with pytest.raises(DurationError, match="366d"):
        parse_duration(text)


def test_the_longest_duration_is_accepted() -> None:
    assert parse_duration("366d") == MAX_DURATION_SECONDS
    assert parse_offset("+0000000000366d") == ("relative", MAX_DURATION_SECONDS)


@pytest.mark.parametrize("text", [f"T+{NINES}s", f"+{NINES}m", "T+400d"])
def test_the_console_jump_dialog_refuses_absurd_targets(text: str) -> None:
    from engine.tui.screens.jump import jump_target  # the dialog's own parsing (imports textual)

    with pytest.raises(DurationError):
        jump_target(text, 60.0)
    with pytest.raises(DurationError, match="at most"):
        jump_target("+366d", MAX_CLOCK_SECONDS - 10.0)


@pytest.mark.parametrize("to", [1e11, MAX_CLOCK_SECONDS + 1.0, float("inf"), float("nan"), 10.0 ** 300])
def test_a_drill_refuses_a_jump_beyond_the_clock_s_range(tmp_path: Path, to: float) -> None:
    drill, _ = start(load_plan(str(SHIPPED), [str(ROOT / "runbooks")]), tmp_path)
    with pytest.raises(EventError, match="beyond"):
        drill.jump(to)
    assert drill.log.next_seq == 1  # nothing written
    drill.jump(MAX_CLOCK_SECONDS)
    drill.close()


@pytest.mark.parametrize("start_at", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1899-12-31T23:59:59Z"])
def test_play_start_out_of_range_is_a_usage_error(capsys, tmp_path: Path, start_at: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = tabletop(capsys, "play", SHIPPED, "--start", start_at, "--log", tmp_path / "x.jsonl")
    assert code == 2
    assert err.count("\n") == 1 and "outside the years 1900 to 2999" in err
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("body, says", [
    ("max-file-bytes = 99999999999999999999", "max-file-bytes must be a whole number from 1"),
    ("max-file-bytes = " + "9" * 5000, "a value cannot be read"),
    ("exclude = " + "[" * 5000 + "]" * 5000, "nest too deeply"),
    ("[a]\n" + "b = " + "{c = " * 5000 + "1" + "}" * 5000, "nest too deeply"),
])
def test_hostile_settings_are_a_usage_error(capsys, tmp_path: Path, monkeypatch, body: str, says: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "tabletop.toml").write_text(body + "\n", encoding="utf-8")
    (tmp_path / "rb.yaml").write_text("runbook: rb\ntitle: t\nsteps:\n  a:\n    title: A\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (["validate", "."], ["explore", str(SHIPPED)], ["coverage"]):
        code, _, err = tabletop(capsys, *command)
        assert code == 2, (command, err)
        assert says in err and err.count("\n") == 1, (command, err)


@pytest.mark.parametrize("edit", [
    ("detect-deferrals: 25m", "detect-deferrals: " + NINES + "m"),
    ("size-impact: 30m", "size-impact: 400d"),
    ("    at: T+1h30m", "    at: T+" + NINES + "s"),
])
def test_team_file_durations_are_bounded(capsys, tmp_path: Path, edit: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    team = (ROOT / "teams" / "m365-na-outage.team.yaml").read_text(encoding="utf-8")
    assert edit[0] in team
    path = tmp_path / "team.yaml"
    path.write_text(team.replace(*edit), encoding="utf-8")
    code, _, err = tabletop(capsys, "play", SHIPPED, "--team", path, "--log", tmp_path / "x.jsonl")
    assert code == 2, err
    assert err.startswith(f"tabletop: error: {path}:") and "366d" in err and err.count("\n") == 1
