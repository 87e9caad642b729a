"""Logs written before the typed event contract (log version 1) read, verify, resume and report as they did.

The logs and what tabletop printed for them at the time are in tests/drill/data/v1 (see its README).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.drill import events as ev
from engine.drill.log import read_log

V1 = Path(__file__).parent / "data" / "v1"
LOGS = ("play", "console", "hostile", "console-live")


@pytest.fixture()
def v1(tmp_path: Path) -> Path:
    """A copy of the v1 folder (resume writes into it); commands run in its files/ folder."""
    shutil.copytree(V1, tmp_path / "v1")
    return tmp_path / "v1"


def tabletop(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=folder / "files", capture_output=True,
                          text=True, check=False)


def expected(name: str) -> str:
    return (V1 / "expected" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("log", LOGS)
def test_every_v1_event_decodes_and_encodes_back_to_the_same_data(log: str) -> None:
    read = read_log(str(V1 / f"{log}.jsonl"))
    assert read.ok and read.events
    for event in read.events:
        payload = ev.decode(event.type, event.data)
        assert type(payload).WIRE == event.type
        assert payload.encode() == event.data, (log, event.seq)


@pytest.mark.parametrize("log", LOGS)
def test_v1_log_verifies_and_shows_as_before(v1: Path, log: str) -> None:
    for action in ("verify", "show"):
        done = tabletop(v1, "log", action, f"../{log}.jsonl")
        assert done.stdout + done.stderr + f"rc={done.returncode}\n" == expected(f"{log}.{action}.txt")


@pytest.mark.parametrize("log", LOGS)
def test_v1_log_reports_as_before(v1: Path, log: str) -> None:
    for fmt in ("json", "md"):
        done = tabletop(v1, "report", f"../{log}.jsonl", "--format", fmt, "-o", "-")
        assert done.returncode == 0, done.stderr
        assert done.stdout == expected(f"{log}.report.{fmt}")


def test_torn_v1_log_resumes_as_before(v1: Path) -> None:
    done = tabletop(v1, "log", "verify", "../play-partial.jsonl")
    assert done.stdout + done.stderr + f"rc={done.returncode}\n" == expected("play-partial.verify.txt")
    done = tabletop(v1, "play", "--resume", "../play-partial.jsonl")
    # `log head:` was added to play's summary after these logs were written (the anchored head, on purpose).
    printed = "".join(line for line in done.stdout.splitlines(keepends=True) if not line.startswith("log head: "))
    assert printed + done.stderr + f"rc={done.returncode}\n" == expected("play-resume.stdout")
    assert (v1 / "play-partial.jsonl").read_bytes() == (V1 / "expected" / "play-resumed.jsonl").read_bytes()
    torn = (v1 / "play-partial.jsonl.torn").read_bytes()
    assert torn == (V1 / "expected" / "play-resumed.jsonl.torn").read_bytes()


def test_unended_v1_console_log_resumes_where_it_stood(v1: Path) -> None:
    from datetime import UTC, datetime

    from engine.drill.clock import FakeClock
    from engine.drill.session import Drill
    from engine.plans import load_plan

    files = v1 / "files"
    plan = load_plan(str(files / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(files / "runbooks")])
    log = v1 / "console-live.jsonl"
    before = log.read_bytes()
    drill = Drill.resume(plan, str(log), FakeClock(datetime(2026, 1, 23, 8, 0, tzinfo=UTC)))
    drill.close()
    after = log.read_bytes()
    assert after.startswith(before)
    line = after[len(before):].decode("utf-8")
    assert line.startswith('{"seq":19,"wall":"2026-01-23T08:00:00.000Z","t":2260.0,"type":"clock.paused",'
                           '"data":{"reason":"resumed from the log"},"prev":"1735b443')
    state = drill.state
    got = {"seq": state.seq, "t": state.t, "running": state.running, "ended": state.ended,
           "services": state.services, "statuses": {k: str(v) for k, v in state.statuses().items()},
           "fired": sorted(state.fired),
           "notes": [[n.kind, n.text, n.step, n.by, n.t, n.seq, n.action, n.element, n.owner, n.due]
                     for n in state.notes],
           "ticks": {k: sorted(r.ticks) for k, r in state.steps.items() if r.ticks},
           "facilitator": state.facilitator, "participants": state.participants,
           "due": [i.id for i in state.due(state.t)]}
    assert got == json.loads(expected("console-live.resumed-state.json"))
