"""`tabletop drill` on the command line: one-line errors with exit codes before any Textual import,
and the log path with the command to continue printed when the console closes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHIPPED, settle

from engine.cli import main
from engine.drill.clock import FakeClock
from engine.drill.session import Drill
from engine.plans import load_plan

_PROBE = (
    "import sys, json\n"
    "from engine.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps(sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'rich'))))\n"
    "sys.exit(code)\n"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _PROBE, "drill", *args], cwd=ROOT, capture_output=True, text=True)


def test_a_scenario_with_errors_exits_3_with_its_findings_and_no_ui_loaded(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: bad\ntitle: Bad\nrunbooks: [no-such-runbook]\ninjects:\n  - id: x\n    at: soon\n")
    out = _run(str(bad), "--runbooks", str(ROOT / "runbooks"))
    assert out.returncode == 3
    lines = out.stderr.splitlines()
    assert lines[0].startswith("tabletop: error: ") and "has errors" in lines[0]
    assert any(line.startswith(f"{bad}:") for line in lines[1:])
    assert json.loads(out.stdout) == []
    assert "Traceback" not in out.stderr


def test_a_log_that_cannot_be_resumed_exits_4(tmp_path: Path) -> None:
    missing = _run(str(SHIPPED), "--resume", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 4 and "no such log file" in missing.stderr
    assert len(missing.stderr.splitlines()) == 1 and json.loads(missing.stdout) == []
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text('{"seq": 0}\nnot json\n')
    broken = _run(str(SHIPPED), "--resume", str(garbage))
    assert broken.returncode == 4 and broken.stderr.startswith(f"tabletop: error: {garbage}:1:")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    taken = tmp_path / "taken.jsonl"
    taken.write_text("")
    assert main(["drill", str(tmp_path / "none.yaml")]) == 2
    assert main(["drill", str(SHIPPED), "--log", str(taken)]) == 2
    assert main(["drill", str(SHIPPED), "--log", str(tmp_path / "a.jsonl"), "--resume", str(taken)]) == 2
    assert taken.read_text() == ""  # never overwritten


def test_closing_the_console_prints_the_log_and_how_to_continue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Runs the real command with the console headless: start without names, quit, confirm."""
    from engine.tui.app import DrillApp

    original = DrillApp.run

    def headless_run(self: DrillApp) -> None:
        async def pilot_keys(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("escape")
            await settle(pilot)
            while type(pilot.app.screen).__name__ == "InjectScreen":
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("q")
            await settle(pilot)
            await pilot.press("y")

        self.key_guard = 0  # the pilot types faster than a person: no guard dropping its keys
        original(self, headless=True, size=(80, 24), auto_pilot=pilot_keys)

    monkeypatch.setattr(DrillApp, "run", headless_run)
    log = tmp_path / "cli.jsonl"
    assert main(["drill", str(SHIPPED), "--log", str(log), "--facilitator", "Sam"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-3] == f"Drill log: {log}" and out[-2].startswith("Log head:  ")
    assert out[-1] == f"Continue:  tabletop drill {SHIPPED} --resume {log}"
    resumed = Drill.resume(load_plan(str(SHIPPED)), str(log), FakeClock())
    assert resumed.state.facilitator == "Sam" and not resumed.state.running
    resumed.close()
