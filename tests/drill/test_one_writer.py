"""One writer per log, and a failed append leaves no trace: the log verifies whatever the disk does."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from drillkit import ROOT, SHIPPED, T0, TEAM, start, tabletop

from engine.drill import log as drill_log
from engine.drill.clock import FakeClock
from engine.drill.log import LogError, read_log
from engine.drill.session import Drill
from engine.plans import load_plan


def _plan():  # type: ignore[no-untyped-def]
    return load_plan(str(SHIPPED), [str(ROOT / "runbooks")])


def _play(*args: str, delay: str = "0") -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TABLETOP_PLAY_DELAY": delay, "TABLETOP_PLAY_TRACE": "1"}
    return subprocess.Popen([sys.executable, "-m", "engine", "play", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_writer_is_refused_naming_the_holder(tmp_path: Path, capsys: Any) -> None:
    drill = Drill.start(_plan(), FakeClock(T0), log_path=str(tmp_path / "drill.jsonl"), mode="headless")
    drill.note("observation", "the first writer holds the log")
    code, _, err = tabletop(capsys, "play", SHIPPED, "--resume", drill.path)
    assert code == 4
    assert f"another drill is writing to this log (pid {os.getpid()} on host {socket.gethostname()} since " in err
    assert err.count("\n") == 1
    with pytest.raises(LogError, match="another drill is writing"):
        Drill.resume(_plan(), drill.path, drill.clock)
    drill.note("observation", "still the only writer")
    drill.close()
    assert not Path(drill.path + ".lock").exists()
    assert read_log(drill.path).ok
    resumed = Drill.resume(_plan(), drill.path, drill.clock)  # free once closed
    resumed.close()


SAFETY = 600  # seconds: only a hung play reaches it; the test waits on the processes, not on the clock


def _cut_short(log: Path) -> None:
    """A drill killed after its first event: a log to resume."""
    first = _play(str(SHIPPED), "--team", str(TEAM), "--log", str(log), delay="0.002")
    assert first.stdout is not None
    assert first.stdout.readline().startswith("written 0 ")
    first.kill()
    first.communicate(timeout=SAFETY)


def _refused(err: str) -> bool:
    return "another drill is writing to this log" in err or "the log changed while it was being read" in err


def test_concurrent_resumes_leave_a_log_that_verifies(tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    _cut_short(log)
    resumes = [_play("--resume", str(log), "--team", str(TEAM), delay="0.002") for _ in range(3)]
    results = [(p.returncode, err) for p in resumes for _, err in [p.communicate(timeout=SAFETY)]]
    # how they overlap is up to the machine: one or more finish, the others are refused, none writes over another
    assert any(code in (0, 1) for code, _ in results), results
    assert all(code in (0, 1) or (code == 4 and _refused(err)) for code, err in results), results
    code, out, _ = tabletop(capsys, "log", "verify", log)
    assert code == 0, out


def _holding(tmp_path: Path) -> tuple[Path, subprocess.Popen[str]]:
    """A resumed drill stopped (SIGSTOP) while it holds its log: a slower pace each time one had finished
    before it could be stopped, so the test waits on that, not on the machine's speed."""
    for attempt, delay in enumerate(("0.002", "0.02", "0.2", "2")):
        log = tmp_path / f"drill-{attempt}.jsonl"
        _cut_short(log)
        holder = _play("--resume", str(log), "--team", str(TEAM), delay=delay)
        assert holder.stdout is not None
        assert holder.stdout.readline().startswith("written ")  # it holds the log and has written to it
        os.kill(holder.pid, signal.SIGSTOP)
        if holder.poll() is None:
            return log, holder
        holder.communicate(timeout=SAFETY)
    raise AssertionError("every resume finished before it could be stopped")


def test_a_resume_while_another_holds_the_log_is_refused(tmp_path: Path, capsys: Any) -> None:
    log, holder = _holding(tmp_path)  # held, whatever the machine's load: the others try while it holds
    try:
        others = [_play("--resume", str(log), "--team", str(TEAM)) for _ in range(2)]
        results = [(p.returncode, err) for p in others for _, err in [p.communicate(timeout=SAFETY)]]
    finally:
        os.kill(holder.pid, signal.SIGCONT)
    assert all(code == 4 and "another drill is writing to this log" in err for code, err in results), results
    _, err = holder.communicate(timeout=SAFETY)  # read as it writes: a full pipe would stop it
    assert holder.returncode in (0, 1), err
    code, out, _ = tabletop(capsys, "log", "verify", log)
    assert code == 0, out


def _failing_write(fail_after: int, partial: bool) -> Any:
    """os.write that writes `fail_after` calls normally, then half a line (partial) or nothing, then ENOSPC."""
    real = os.write
    calls = {"n": 0, "armed": True}

    def write(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["armed"] and calls["n"] > fail_after:
            if partial:
                real(fd, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    write.calls = calls  # type: ignore[attr-defined]
    return write


@pytest.mark.parametrize("partial", [True, False])
def test_a_failed_append_is_rolled_back_and_the_next_one_follows_the_last_good_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, partial: bool) -> None:
    drill, _ = start(_plan(), tmp_path)
    before = Path(drill.path).read_bytes()
    write = _failing_write(0, partial)
    monkeypatch.setattr(drill_log.os, "write", write)
    with pytest.raises(LogError, match="the event was not recorded: no space left on the device; the log is as it"):
        drill.note("observation", "lost to a full disk")
    assert Path(drill.path).read_bytes() == before  # no half line
    assert drill.state.seq == 0 and not drill.state.notes
    write.calls["armed"] = False  # space freed
    drill.note("observation", "recorded after the space was freed")
    drill.close()
    code, out, _ = tabletop(capsys, "log", "verify", drill.path)
    assert code == 0, out
    assert [e.type for e in read_log(drill.path).events] == ["drill.started", "note"]


def test_a_log_that_cannot_even_be_cut_back_is_repaired_before_the_next_append(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    drill, _ = start(_plan(), tmp_path)
    write = _failing_write(0, True)
    monkeypatch.setattr(drill_log.os, "write", write)

    def no_truncate(fd: int, size: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(drill_log.os, "ftruncate", no_truncate)
    with pytest.raises(LogError, match="partial line that could not be removed"):
        drill.note("observation", "lost")
    monkeypatch.undo()
    drill.note("observation", "recorded once the device recovers")
    drill.close()
    code, out, _ = tabletop(capsys, "log", "verify", drill.path)
    assert code == 0, out


def _mount_tiny_tmpfs(folder: Path) -> bool:
    folder.mkdir()
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_a_drill_on_a_really_full_disk_leaves_a_log_that_verifies_once_space_is_freed(
        tmp_path: Path, capsys: Any) -> None:
    disk = tmp_path / "tiny"
    if not _mount_tiny_tmpfs(disk):
        pytest.skip("needs root to mount a 64 KiB tmpfs")
    drill = None
    try:
        drill, _ = start(_plan(), disk)
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # fill the disk to the last byte
            while os.write(fd, b"x" * 512):
                pass
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)
        before = Path(drill.path).read_bytes()
        failures = 0
        for n in range(20):
            try:
                drill.note("observation", f"note {n} " + "y" * 3000)
            except LogError as exc:
                assert "not recorded" in str(exc)
                failures += 1
        assert failures
        assert Path(drill.path).read_bytes().startswith(before)
        assert read_log(drill.path).ok  # nothing half-written
        filler.unlink()
        drill.note("observation", "after the space was freed")
        drill.close()
        code, out, _ = tabletop(capsys, "log", "verify", drill.path)
        assert code == 0, out
        assert read_log(drill.path).events[-1].data["text"] == "after the space was freed"
    finally:
        if drill is not None:
            drill.close()
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
