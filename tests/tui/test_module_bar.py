"""The module bar fits its width: the key hint goes first, then the titles' repeated "Module N:", then the
titles are cut after a whole word with an ellipsis; the numbers, the time in the module and the next start
always stay, and the current module's title keeps as much as it can."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.drill import modules
from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.tui.widgets.module_bar import bare_title, describe


def _view(plan: Plan, clock: FakeClock, tmp_path: Path) -> modules.ModuleView:
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "bar.jsonl"))
    drill.fire_due()
    view = modules.view(drill.state, 2530)
    drill.close()
    assert view is not None and view.current is not None
    return view


@pytest.mark.parametrize("width", [160, 120, 100, 80, 76, 64])
def test_the_line_fits_and_keeps_what_matters(shipped_plan: Plan, clock: FakeClock, tmp_path: Path,
                                             width: int) -> None:
    view = _view(shipped_plan, clock, tmp_path)
    line = describe(view, 2530, width).plain
    assert len(line) <= width, line
    assert line.startswith(" 1/3 ") and "42m 10s in" in line and line.endswith("at T+1:30" if width < 157 else
                                                                              "M: questions")
    assert "next" in line and "The mail" in line and "The long" in line
    if width < 157:
        assert "m: next module" not in line
    for word in line.replace("…", " ").split():  # a title is cut after a whole word, never inside one
        assert word in describe(view, 2530).plain.split() + ["2/3:"], (word, line)


def test_the_whole_line_when_there_is_room(shipped_plan: Plan, clock: FakeClock, tmp_path: Path) -> None:
    view = _view(shipped_plan, clock, tmp_path)
    assert describe(view, 2530, 200).plain == describe(view, 2530).plain == (
        " 1/3  Module 1: The mail stops and the console goes dark · 42m 10s in · next: Module 2: The long evening "
        "of rebalancing at T+1:30  m: next module, M: questions")
    assert describe(view, 2530, 100).plain == (
        " 1/3  The mail stops and the console goes dark · 42m 10s in · next 2/3: The long evening… at T+1:30")


def test_bare_title_drops_only_its_own_number() -> None:
    assert bare_title("Module 2: The long evening", 2) == "The long evening"
    assert bare_title("module 2 - The long evening", 2) == "The long evening"
    assert bare_title("Module 3: The long evening", 2) == "Module 3: The long evening"
    assert bare_title("Module 2:", 2) == "Module 2:"
    assert bare_title("Modules of the day", 2) == "Modules of the day"
