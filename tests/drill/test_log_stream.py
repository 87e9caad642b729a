"""The log is read in one pass, event by event (engine.drill.log.open_log): `log verify` and `log show` hold
a block of lines, not the log. Each test here fails if the events are gathered in a list somewhere first."""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from drillkit import SHIPPED, start

from engine.cli import main
from engine.drill import log as log_module
from engine.drill.log import LogError, LogStream, open_log, read_log
from engine.drill.replay import replay_events
from engine.plans import load_plan


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of events are written here; an fsync each would only time the disk."""
    monkeypatch.setattr(log_module.os, "fsync", lambda fd: None)


def write_ticks(folder: Path, ticks: int, name: str = "drill.jsonl") -> Path:
    """A drill of the shipped scenario: started, then `ticks` ticks and unticks of one checklist item,
    and a service flap every 50 events: a state that does not grow with the log."""
    plan = load_plan(str(SHIPPED))
    drill, clock = start(plan, folder, name)
    drill.fire_due()
    key = next(k for k, s in plan.steps.items() if s.do)
    service = sorted(plan.services)[0]
    for i in range(ticks):
        clock.advance(1)
        drill.tick(key, 0, i % 2 == 0)
        if i % 50 == 49:
            drill.set_service(service, "down" if i % 100 == 49 else "up")
    drill.close()
    return folder / name


class CountingReader:
    """A file that counts the bytes read from it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.read_bytes = handle, 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.read_bytes += len(data)
        return data

    def close(self) -> None:
        self.handle.close()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[CountingReader]:
    """Every log opened from now on reads through a CountingReader (listed here)."""
    opened: list[CountingReader] = []
    real = log_module._open_regular

    def counting(path: str) -> tuple[CountingReader, int]:
        handle, size = real(path)
        opened.append(CountingReader(handle))
        return opened[-1], size

    monkeypatch.setattr(log_module, "_open_regular", counting)
    monkeypatch.setattr(log_module, "_BLOCK_BYTES", 4096)
    return opened


def test_the_first_event_comes_before_the_rest_of_the_file_is_read(tmp_path: Path,
                                                                   counted: list[CountingReader]) -> None:
    path = write_ticks(tmp_path, 2000)
    size = path.stat().st_size
    stream = open_log(str(path))
    events = iter(stream)
    assert isinstance(stream, LogStream) and isinstance(events, Iterator)
    first = next(events)
    assert first.seq == 0 and stream.count == 1
    assert counted[0].read_bytes <= 2 * 4096 < size // 10  # a block or two of a file over 80 blocks long
    rest = sum(1 for _ in events)
    assert stream.ok and stream.count == rest + 1 and counted[0].read_bytes == size


def test_a_bad_line_stops_the_reading_there(tmp_path: Path, counted: list[CountingReader]) -> None:
    path = write_ticks(tmp_path, 2000)
    lines = path.read_bytes().split(b"\n")
    assert b'.000Z"' in lines[40]
    lines[40] = lines[40].replace(b'.000Z"', b'.001Z"', 1)  # line 41 edited: still canonical, still chained
    path.write_bytes(b"\n".join(lines))
    stream = open_log(str(path))
    got = list(stream)
    assert stream.problem is not None and stream.problem.line == 42  # line 42 no longer follows line 41
    assert len(got) == 41 and stream.count == 41
    assert counted[0].read_bytes < path.stat().st_size // 10  # the rest of the file was never read


def test_the_stream_and_read_log_say_the_same(tmp_path: Path) -> None:
    path = write_ticks(tmp_path, 300)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 30])  # a torn last line
    whole = read_log(str(path))
    stream = open_log(str(path))
    assert list(stream) == whole.events
    assert (stream.problem, stream.torn, stream.good_bytes, stream.last_hash, stream.size) == \
        (whole.problem, whole.torn, whole.good_bytes, whole.last_hash, whole.size)
    assert stream.torn and stream.problem is not None and stream.problem.line == stream.count + 1


def test_open_log_refuses_what_read_log_refuses(tmp_path: Path) -> None:
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\x00\x01" * 100)
    for path, said in ((tmp_path / "missing.jsonl", "no such log file"), (tmp_path, "is a folder"),
                       (binary, "binary file")):
        with pytest.raises(LogError, match=said):
            open_log(str(path))
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    stream = open_log(str(empty))
    assert list(stream) == [] and stream.problem is not None and stream.problem.message == "the log is empty"


def test_the_fold_takes_an_event_only_after_applying_the_one_before(tmp_path: Path) -> None:
    path = write_ticks(tmp_path, 30)
    plan = load_plan(str(SHIPPED))
    good = read_log(str(path)).events
    bad = log_module.Event(len(good), good[-1].wall, good[-1].t, "step.done", {"step": "no-such/step"})
    taken: list[int] = []

    def events() -> Iterator[log_module.Event]:
        for event in [*good, bad, *good]:  # what follows the refused event must never be taken
            taken.append(event.seq)
            yield event

    with pytest.raises(LogError, match=rf"drill.jsonl:{len(good) + 1}: "):
        replay_events(plan, str(path), events())
    assert len(taken) == len(good) + 1


class Discard:
    """A stdout that keeps nothing."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def peak_of(run: object) -> int:
    tracemalloc.start()
    try:
        run()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_verify_and_show_hold_a_block_not_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_module, "_BLOCK_BYTES", 16384)
    small, big = write_ticks(tmp_path, 1000, "small.jsonl"), write_ticks(tmp_path, 8000, "big.jsonl")
    assert big.stat().st_size > 7 * small.stat().st_size
    # The same logs read whole: holding the events grows the peak by this much.
    whole = [peak_of(lambda path=path: read_log(str(path))) for path in (small, big)]
    for command in (["log", "verify", "--scenario", str(SHIPPED)], ["log", "show"]):
        peaks = []
        for path in (small, big):
            def run(path: Path = path, command: list[str] = command) -> None:
                with contextlib.redirect_stdout(Discard()):  # what show prints grows with the log; not kept
                    assert main([*command, str(path)]) == 0
            peaks.append(peak_of(run))
        # Eight times the events, and the peak grows by a small part of what holding them would take.
        assert peaks[1] - peaks[0] < (whole[1] - whole[0]) / 5, (command, peaks, whole)
    assert whole[1] > 4 * whole[0]


def test_a_line_longer_than_many_blocks_is_read_in_few_reads(tmp_path: Path, counted: list[CountingReader],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real_read = CountingReader.read

    def read(self: CountingReader, size: int = -1) -> bytes:
        nonlocal calls
        calls += 1
        return real_read(self, size)

    monkeypatch.setattr(CountingReader, "read", read)
    path = tmp_path / "one-line.jsonl"
    path.write_bytes(b'{"seq":0,"wall":"' + b"x" * (1 << 20) + b'"')  # 1 MB, no newline: 256 blocks of 4 KB
    stream = open_log(str(path))
    assert list(stream) == [] and stream.torn and stream.problem is not None and stream.problem.line == 1
    assert calls <= 12  # the reads double: about log2(256) of them, not one a block


def test_a_stream_is_read_once(tmp_path: Path) -> None:
    stream = open_log(str(write_ticks(tmp_path, 5)))
    assert len(list(stream)) == stream.count > 5
    with pytest.raises(RuntimeError, match="read once"):
        list(stream)
