"""The crash test: kill `tabletop play` with SIGKILL at random moments and prove nothing reported is lost.

Each trial starts play in a subprocess with a fresh log, made slow enough to
be killed mid-run (TABLETOP_PLAY_DELAY sleeps after each event) and made to
report each event once it is fsynced (TABLETOP_PLAY_TRACE=1 prints
"written SEQ HASH"). After the kill the log must verify, or have nothing
wrong but a torn last line; `tabletop play --resume` must finish it; the
final log must verify; and every event reported written must be in it,
byte for byte (same line hash at the same seq).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from drillkit import ROOT, SHIPPED, TEAM, tabletop

from engine.drill.log import line_hash, read_log

TRIALS = 50
DELAY = "0.005"  # seconds after each event: ~100 events make a run of at least half a second
KILL_WITHIN = 0.4  # seconds after the first event is reported


def _start(log: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TABLETOP_PLAY_DELAY": DELAY, "TABLETOP_PLAY_TRACE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "engine", "play", str(SHIPPED), "--team", str(TEAM), "--log", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _reported(lines: list[str]) -> dict[int, str]:
    out = {}
    for text in lines:
        if text.startswith("written "):
            _, seq, digest = text.split()
            out[int(seq)] = digest
    return out


def _trial(log: Path, wait: float) -> tuple[dict[int, str], bool]:
    """Run play, kill it `wait` seconds after its first event is on disk; what it reported, and if it was cut."""
    process = _start(log)
    assert process.stdout is not None
    first = process.stdout.readline()  # blocks until drill.started is fsynced: the log exists
    assert first.startswith("written 0 "), first + (process.stderr.read() if process.stderr else "")
    time.sleep(wait)
    process.send_signal(signal.SIGKILL)
    rest, _ = process.communicate(timeout=60)
    return _reported([first, *rest.splitlines()]), process.returncode == -signal.SIGKILL


def test_play_killed_at_random_moments_loses_nothing_it_reported(tmp_path: Path, capsys: Any) -> None:
    rng = random.Random(20260122)
    logs = [tmp_path / f"trial-{trial:02d}.jsonl" for trial in range(TRIALS)]
    waits = [rng.uniform(0, KILL_WITHIN) for _ in logs]
    # The kills run a few at a time (each trial has its own log); the checks run here, one by one.
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_trial, logs, waits))
    cut_short = 0
    for trial, (log, (reported, killed)) in enumerate(zip(logs, results, strict=True)):
        after_kill = read_log(str(log))
        assert after_kill.ok or after_kill.torn, f"trial {trial}: {after_kill.problem}"
        ended = any(e.type == "drill.ended" for e in after_kill.events)
        cut_short += killed and not ended

        code, _, err = tabletop(capsys, "play", "--resume", log, "--team", TEAM)
        assert code == 0, f"trial {trial}: {err}"
        code, _, err = tabletop(capsys, "log", "verify", log)
        assert code == 0, f"trial {trial}: {err}"

        final = log.read_bytes().split(b"\n")
        for seq, digest in reported.items():
            assert line_hash(final[seq]) == digest, f"trial {trial}: event {seq} was reported written, then lost"
        assert read_log(str(log)).events[-1].type == "hotwash.answer"
    # The kills land within 0.4 s of the first event and a run sleeps at least 0.5 s after it, so most
    # trials cut play short (the others prove that resuming a finished log is harmless).
    assert cut_short >= TRIALS // 2, cut_short
