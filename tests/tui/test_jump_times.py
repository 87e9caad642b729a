"""The jump dialog reads every way the console prints a time; the report says short jumps in minutes."""

from __future__ import annotations

import pytest

from engine.duration import DurationError
from engine.report.timeline import _hours
from engine.tui import display
from engine.tui.screens.jump import jump_target, read_time


@pytest.mark.parametrize(("text", "now", "to"), [
    ("T+0:35", 0, 2100), ("1:30", 0, 5400), ("T+0:12:05", 0, 725), ("T+4h", 0, 14400), ("4h", 0, 14400),
    ("1h05", 0, 3900), ("+30m", 600, 2400), ("+2:26", 100, 246), ("+1:02:26", 0, 3746), (" t+1:30 ", 0, 5400),
])
def test_jump_reads_the_clock_formats(text: str, now: float, to: float) -> None:
    assert jump_target(text, now) == to


@pytest.mark.parametrize("seconds", [0, 59, 61, 725, 3599, 3600, 3661, 86399])
def test_what_the_console_prints_reads_back(seconds: int) -> None:
    assert read_time(display.clock(seconds)) == ("absolute", seconds)
    assert read_time("+" + display.countdown(seconds))[1] == seconds


@pytest.mark.parametrize("text", ["", "soon", "1:75", "T-0:30", "1:2:3:4", "[bold]1h", "\x1b[2J"])
def test_what_does_not_read_is_refused_with_the_formats(text: str) -> None:
    with pytest.raises(DurationError):
        jump_target(text, 0)


def test_the_clock_only_jumps_forward() -> None:
    with pytest.raises(DurationError, match="only jumps forward"):
        jump_target("T+0:10", 900)


@pytest.mark.parametrize(("seconds", "said"), [(60, "1m"), (45, "45s"), (1800, "30m"), (6600, "1h50m")])
def test_a_jump_under_an_hour_reads_in_minutes(seconds: float, said: str) -> None:
    assert _hours(seconds) == said
