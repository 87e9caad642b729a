"""`tabletop drill` imports, before its first frame, only what that frame needs (issue 16: start fast).

The start screen shows the scenario's title, its counts and a name field per
role: it needs the plan (so the validator, which accepts files that fit their
model without pydantic) and Textual, not the drill's state machine, its log,
the console's panes, the report or the room. Those load behind the start
screen, while names are typed. The console's own modules
are listed whole; a change that makes the first frame import more fails here
(if it is needed, add it to the list and say why in the commit).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"

# Runs the real command, headless at 80x24, and lists the modules loaded when the first frame is drawn,
# then (once the app has taken the collector back and its preloading thread is done) the modules by then.
_PROBE = """
import gc, json, sys, threading
import engine.tui.app as tui_app
seen = {}
display, run = tui_app.DrillApp._display, tui_app.DrillApp.run
def later(app):
    if not gc.isenabled() or any(t.name == tui_app.PRELOAD for t in threading.enumerate()):
        app.set_timer(0.05, lambda: later(app))
        return
    seen.update(later=sorted(sys.modules), collecting=gc.isenabled(), frozen=gc.get_freeze_count())
    app.exit()
def first_frame(app, screen, renderable):
    if renderable is not None and not seen:
        seen.update(screen=type(screen).__name__, modules=sorted(sys.modules))
        app.set_timer(0.2, lambda: later(app))
    display(app, screen, renderable)
tui_app.DrillApp._display = first_frame
tui_app.DrillApp.run = lambda app, **kw: run(app, headless=True, size=(80, 24))
from engine.cli import main
code = main(["drill", *sys.argv[1:]])
print(json.dumps({"code": code, **seen}))
"""

CONSOLE = ["engine.tui", "engine.tui.app", "engine.tui.key_guard", "engine.tui.literal", "engine.tui.screens",
           "engine.tui.screens.dialog", "engine.tui.screens.form", "engine.tui.screens.start"]
DRILL = ["engine.drill", "engine.drill.clock", "engine.drill.plan"]  # the plan; no state, events, log or session
NEVER = ["engine.report", "engine.room", "engine.handbook", "engine.readiness", "engine.coverage", "engine.msel",
         "engine.cacao", "engine.improvement", "networkx", "jinja2", "docx", "weasyprint", "segno"]  # without --room
# pydantic checks only a file the quick check (engine.quick_check) is not sure of: the shipped ones pass it
NOT_YET = [*NEVER, "pydantic", "engine.model", "engine.scenario_model", "textual.widgets._data_table",
           "textual.widgets._text_area"]


def _unneeded(modules: list[str], names: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in names or m in names or m.startswith(tuple(f"{n}." for n in names))]


def _run(*args: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-c", _PROBE, str(SHIPPED), *args], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120)
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_the_start_screen_s_first_frame_loads_no_drill_machinery(tmp_path: Path) -> None:
    seen = _run("--log", str(tmp_path / "drill.jsonl"))
    assert seen["code"] == 0 and seen["screen"] == "StartScreen"
    modules = seen["modules"]
    assert [m for m in modules if m.startswith("engine.tui")] == CONSOLE
    assert [m for m in modules if m.startswith("engine.drill")] == DRILL
    assert _unneeded(modules, NOT_YET) == []
    assert not (tmp_path / "drill.jsonl").exists()  # nothing is written before the drill starts


def test_behind_the_start_screen_the_console_is_loaded_before_the_drill_starts(tmp_path: Path) -> None:
    seen = _run("--log", str(tmp_path / "drill.jsonl"))
    assert not {"engine.drill.session", "engine.tui.screens.console"} & set(seen["modules"])
    assert {"engine.drill.session", "engine.tui.screens.console", "engine.tui.screens.inject"} <= set(seen["later"])
    assert _unneeded(seen["later"], NEVER) == []
    assert not (tmp_path / "drill.jsonl").exists()  # loaded, not started: still nothing written
    # the collector, held off through start-up, runs again, with start-up's survivors frozen out of it
    assert seen["collecting"] and seen["frozen"] > 0


def test_a_resumed_console_s_first_frame_loads_no_report_room_or_qr_code(tmp_path: Path) -> None:
    from engine.drill.clock import SystemClock
    from engine.drill.session import Drill
    from engine.plans import load_plan

    log = tmp_path / "drill.jsonl"
    drill = Drill.start(load_plan(str(SHIPPED)), SystemClock(), log_path=str(log))
    drill.fire_due()  # the T+0 injects: shown when fired, so the resumed console opens on itself
    drill.pause()  # as on quitting: no time away to ask about
    drill.close()
    seen = _run("--resume", str(log))
    assert seen["code"] == 0 and seen["screen"] == "ConsoleScreen"
    assert _unneeded(seen["modules"], NEVER) == []


def test_a_drill_that_cannot_start_leaves_the_collector_on(tmp_path: Path) -> None:
    import gc

    from engine.cli import main

    broken = tmp_path / "broken.yaml"
    broken.write_text("scenario: [unclosed\n")
    assert gc.isenabled()
    assert main(["drill", str(tmp_path / "missing.yaml")]) == 2
    assert gc.isenabled()
    assert main(["drill", str(broken)]) == 3
    assert gc.isenabled()
