"""The drill log: append-only JSON Lines, each line fsynced before anyone is told it happened,
each line carrying the SHA-256 of the line before it (`prev`), so an edit or a lost line shows.

A crash can leave a torn last line (no newline, or not JSON). Reading stops at
the last good line and says so; resuming sets the torn bytes aside in a
`.torn` file beside the log (nothing is thrown away) and appends after the
last good line.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from engine.bounds import MAX_CLOCK_SECONDS, MAX_DURATION_SECONDS
from engine.drill import events as ev
from engine.drill.events import LOG_VERSION, Event, Payload
from engine.drill.writer_lock import LockHeld, WriterLock

GENESIS = "0" * 64  # `prev` of the first line
MAX_LOG_BYTES = 512 * 1024 * 1024


class LogError(Exception):
    """The log cannot be read or written; the message names the file and what to do."""


@dataclass
class LogProblem:
    """Why a log stops being trustworthy: the 1-based line it happens on and a one-line message."""

    line: int  # 1-based
    message: str


@dataclass
class LogRead:
    """What reading a log found: the good events, and the first problem if any."""

    path: str
    events: list[Event] = field(default_factory=list)
    problem: LogProblem | None = None
    torn: bool = False  # the problem is an incomplete last line (a crash mid-write)
    good_bytes: int = 0  # length of the good prefix of the file
    last_hash: str = GENESIS
    size: int = 0  # bytes in the file as read (reopening refuses a log that has changed since)

    @property
    def ok(self) -> bool:
        """True when every line read, parsed and chained (a torn last line is reported apart, in `torn`)."""
        return self.problem is None


def line_hash(line: bytes) -> str:
    """The SHA-256 of one log line as written (its bytes without the newline), as 64 hex digits: the next
    line's `prev`, and the log's head when it is the last line."""
    return hashlib.sha256(line).hexdigest()


def line_hash_at(path: str, line: int) -> str:
    """The line_hash of line `line` (1-based) of a log, GENESIS for line 0; read a line at a time, nothing
    parsed. Raises LogError when the file has fewer lines, OSError when it cannot be read."""
    if line < 1:
        return GENESIS
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == line:
                return line_hash(raw.removesuffix(b"\n"))
    raise LogError(f"{path}: has no line {line}")


def encode(event: Event, prev: str) -> bytes:
    """The bytes of one log line, without its newline. Keys in a fixed order; UTF-8."""
    record = {"seq": event.seq, "wall": event.wall, "t": event.t, "type": event.type, "data": event.data,
              "prev": prev}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def read_log(path: str) -> LogRead:
    """Read and check a whole log, its events in a list. Raises LogError only when the file cannot be read
    at all. Commands that only need to go through the events once use `open_log`, which holds one block."""
    stream = open_log(path)
    with collector_paused():
        events = list(stream)
    return LogRead(path=path, events=events, problem=stream.problem, torn=stream.torn,
                   good_bytes=stream.good_bytes, last_hash=stream.last_hash, size=stream.size)


def open_log(path: str) -> LogStream:
    """A log to read once, event by event (see LogStream). Raises LogError when the file cannot be read at
    all: no such file, a folder, a pipe or a device, over MAX_LOG_BYTES, or binary."""
    try:
        handle, size = _open_regular(path)
    except FileNotFoundError:
        raise LogError(f"{path}: no such log file") from None
    except IsADirectoryError:
        raise LogError(f"{path}: is a folder, not a log file") from None
    except OSError as exc:
        raise LogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        head = handle.read(4096)
    except OSError as exc:
        handle.close()
        raise LogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in head:
        handle.close()
        raise LogError(f"{path}: this is a binary file, not a drill log")
    return LogStream(path, handle, size, head)


def _open_regular(path: str) -> tuple[BinaryIO, int]:
    """The file open for reading, and its size, if it is a regular file within MAX_LOG_BYTES. Opened without
    blocking, so a FIFO named as a log cannot hang the reader; raises LogError for anything else, OSError
    when unreadable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise LogError(f"{path}: not a regular file (a pipe or a device), not a drill log")
        size = os.fstat(fd).st_size
        if size > MAX_LOG_BYTES:
            raise LogError(f"{path}: {size:,} bytes is too big for a drill log")
        return os.fdopen(os.dup(fd), "rb"), size
    finally:
        os.close(fd)


class LogStream:
    """A log read in one pass: iterating it yields its good events in order, each checked before it is
    yielded (the hash chain, the canonical form, the typed payload of engine.drill.events and the bounds
    of engine.bounds), reading a block of lines (_BLOCK_BYTES) at a time; no more than a block of events is
    held. Iteration stops at the first problem.

    While iterating, `count`, `last_hash` and `good_bytes` describe the good lines up to the event just
    yielded. Once iteration has stopped, `problem` names the first bad line (None: every line read, parsed
    and chained), `torn` says whether it is an incomplete last line (a crash mid-write), and `size` is the
    bytes in the file when it was opened (nothing appended later is read). Iterable once; the file is
    closed when iteration ends.
    """

    def __init__(self, path: str, handle: BinaryIO, size: int, head: bytes) -> None:
        self.path = path
        self.size = size
        self.count = 0  # events yielded
        self.last_hash = GENESIS
        self.good_bytes = 0
        self.problem: LogProblem | None = None if size else LogProblem(1, "the log is empty")
        self.torn = False
        self._handle = handle
        self._head = head
        self._version: int | None = None  # the log format version drill.started states (shapes depend on it)
        self._taken = False
        self._last: Event | None = None  # the event just yielded, and the payload its check decoded
        self._last_payload: Payload | None = None
        # Called after each block of lines with (bytes read and checked, bytes in the file, events so far):
        # a command's progress line on a long log. None: nothing is called.
        self.progress: Callable[[int, int, int], None] | None = None

    @property
    def ok(self) -> bool:
        """True when every line read so far parsed and chained (a torn last line is reported in `torn`)."""
        return self.problem is None

    def payload_of(self, event: Event, version: int) -> Payload | None:
        """The typed payload this stream decoded when it checked `event`, if `event` is the one it has just
        yielded and the log's version is `version` (a fold passes its own); else None (decode it). A fold
        reading the stream as it goes (engine.drill.replay's `decoded`) so decodes each event once."""
        if event is self._last and version == self._version:
            return self._last_payload
        return None

    def __iter__(self) -> Iterator[Event]:
        if self._taken:
            raise RuntimeError(f"{self.path}: a LogStream is read once; open the log again (open_log)")
        self._taken = True
        try:
            yield from self._events()
        finally:
            self._handle.close()

    def _events(self) -> Iterator[Event]:
        offset = 0  # bytes of the file before `pending`
        pending = self._head
        left = self.size - len(pending)
        while self.size:
            if left > 0:  # a line longer than a block: read as much again, so a huge line costs linear time
                more = self._handle.read(min(max(_BLOCK_BYTES, len(pending)), left))
                if not more:  # the file shrank while being read: what is there is all there is
                    left = 0
                left -= len(more)
                pending += more
            cut = pending.rfind(b"\n") + 1
            if not cut and left > 0:
                continue
            block, pending = pending[:cut], pending[cut:]
            checked, problem = self._check_block(block, offset, at_end=left <= 0 and not pending)
            for event, line_hash_, end, payload in checked:
                self.count += 1
                self.last_hash, self.good_bytes = line_hash_, end
                self._last, self._last_payload = event, payload
                yield event
            if problem is not None:
                self.problem, self.torn = problem
                return
            offset += len(block)
            if self.progress is not None:
                self.progress(offset, self.size, self.count)
            if left <= 0:
                break
        if pending:  # no newline at the end of the file: the last line was cut short
            self.problem = LogProblem(self.count + 1, "the last line is incomplete (the drill stopped mid-write)")
            self.torn = True

    def _check_block(self, block: bytes, offset: int, at_end: bool
                     ) -> tuple[list[tuple[Event, str, int, Payload]], tuple[LogProblem, bool] | None]:
        """The good events of a block of whole lines starting at file offset `offset`, each with its line's
        hash, the offset after it and its typed payload, and the first problem, with whether it is a torn
        tail, if any."""
        lines = _quick_block(block, self.last_hash, self.count, offset)
        if lines is not None:
            return self._shaped(lines, None)
        prev, number, start = self.last_hash, self.count, offset
        lines = []
        for raw in block.split(b"\n")[:-1]:
            number += 1
            checked = _check_line(raw, number, prev)
            if isinstance(checked, str):
                last = at_end and start + len(raw) + 1 == offset + len(block)
                return self._shaped(lines, (LogProblem(number, checked), last and _looks_torn(raw)))
            prev = line_hash(raw)
            start += len(raw) + 1
            lines.append((checked, prev, start))
        return self._shaped(lines, None)

    def _shaped(self, lines: list[tuple[Event, str, int]], problem: tuple[LogProblem, bool] | None
                ) -> tuple[list[tuple[Event, str, int, Payload]], tuple[LogProblem, bool] | None]:
        """`lines` up to the first event whose fields are wrong (shape_problem), each with its typed payload,
        and the first problem: that event's, or else `problem` (a line after them)."""
        if self._version is None and lines:  # the first line of the log: drill.started, if it is a drill log
            raw_version = lines[0][0].data.get("version")
            self._version = raw_version if type(raw_version) is int else LOG_VERSION
        version = LOG_VERSION if self._version is None else self._version
        out: list[tuple[Event, str, int, Payload]] = []
        for event, digest, end in lines:
            shaped = _shape(event, version)
            if isinstance(shaped, str):
                return out, (LogProblem(self.count + len(out) + 1, shaped), False)
            out.append((event, digest, end, shaped))
        return out, problem


def shape_problem(event: Event, version: int = LOG_VERSION) -> str | None:
    """What is wrong with an event's fields (checked through engine.drill.events.decode, scenario times
    bounded by engine.bounds), or None. A hash chain is easy to recompute, so any shape can arrive."""
    shaped = _shape(event, version)
    return shaped if isinstance(shaped, str) else None


_LATEST = MAX_CLOCK_SECONDS + MAX_DURATION_SECONDS


def _shape(event: Event, version: int) -> Payload | str:
    """The event's typed payload (decoded by `version`), or what shape_problem says is wrong with it."""
    if not isinstance(event.wall, str):
        return "its `wall` time is not text"
    if not 0 <= event.t <= _LATEST:  # NaN fails this too
        return f"its scenario time {event.t!r:.40} is out of range"
    try:
        payload = ev.decode(event.type, event.data, version)
    except ev.DecodeError as exc:
        return f"{event.type}: {exc}"
    to = event.data.get("to") if event.type == ev.CLOCK_JUMPED else None
    if isinstance(to, (int, float)) and not 0 <= to <= _LATEST:
        return "clock.jumped: the clock jumps beyond any exercise's range"
    return payload


_KEYS = ("seq", "wall", "t", "type", "data", "prev")
_BLOCK_BYTES = 1 << 20  # bytes of lines read at a time


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run without Python's cycle collector: reading a log builds a few hundred thousand objects and no
    cycles, and the collector's passes over the growing heap (the list of events, or the state a fold
    builds) would add a quarter or more to the time. Memory is still freed as references go."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _quick_block(block: bytes, prev: str, first: int, offset: int) -> list[tuple[Event, str, int]] | None:
    """The events of a block of whole lines with nothing wrong in it, each with its line's hash and the
    file offset after it (the block starting at `offset`); None at the first doubt.

    Resuming folds the whole log, so reading it must be quick (see
    bench/drill_bench.py). Parsing and re-encoding each line with orjson takes
    less than half the time the standard json module takes. It accepts only
    blocks the line-by-line check accepts, with the same events, and leaves
    every other block to it, so a problem is still found and named at its line.

    Each line is parsed on its own: a block joined into one JSON array (a
    comma for each newline) can be canonical with a record for each line
    while a record runs over two lines.
    """
    out = []
    end = offset
    number = first
    sha256 = hashlib.sha256
    loads, dumps = orjson.loads, orjson.dumps
    for line in block.split(b"\n")[:-1]:
        # One object, byte for byte what `encode` would write (its keys in `encode`'s order, below). orjson
        # writes what the standard encoder writes but for the floats _same_float refuses, checked below, and
        # integers past 64 bits, which it reads as floats and so cannot write back as they were.
        try:
            record = loads(line)  # refuses what is not UTF-8, NaN, lone surrogates, nesting past 1,024
            if dumps(record) != line:
                return None
        except (orjson.JSONDecodeError, orjson.JSONEncodeError):  # encode: nested past the 254 levels it writes
            return None
        if type(record) is not dict or tuple(record) != _KEYS:
            return None
        seq, t, kind, data = record["seq"], record["t"], record["type"], record["data"]
        if (record["prev"] != prev or seq != number or not isinstance(t, (int, float))
                or not isinstance(kind, str) or not isinstance(data, dict)
                or not _same_floats(record)):  # every field: `wall` is checked to be text only later
            return None
        number += 1
        prev = sha256(line).hexdigest()
        end += len(line) + 1
        out.append((Event(seq, record["wall"], t, kind, data), prev, end))
    return out


def _same_float(value: float) -> bool:
    """Whether orjson writes this float as the standard encoder does (repr): zero, and magnitudes from 1e-4 up
    to 1e16, where neither writes an exponent (tests/drill/test_log_whole_read.py holds it to that)."""
    return value == 0.0 or 1e-4 <= abs(value) < 1e16


def _same_floats(container: Any) -> bool:
    """Whether every float in a parsed JSON object or array is one orjson writes as the standard encoder does."""
    value: Any
    for value in container.values() if type(container) is dict else container:
        kind = type(value)
        if kind is float:
            if not (value == 0.0 or 1e-4 <= abs(value) < 1e16):
                return False
        elif (kind is dict or kind is list) and not _same_floats(value):
            return False
    return True


def _looks_torn(line: bytes) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return True
    return False


def _check_line(line: bytes, number: int, prev: str) -> Event | str:
    """The event on a line, or what is wrong with it."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError; RecursionError: nested too deep
        return "not a JSON object (broken or cut short)"
    if not isinstance(record, dict):
        return "not a JSON object"
    if record.get("prev") != prev:
        return "does not follow the line before it (its `prev` hash differs): the log was edited or a line is missing"
    try:
        event = Event(seq=record["seq"], wall=record["wall"], t=record["t"], type=record["type"],
                      data=record["data"])
    except KeyError as exc:
        return f"has no {exc.args[0]!r}"
    if event.seq != number - 1:
        return f"is numbered {event.seq!r}, expected {number - 1}"
    if not isinstance(event.t, (int, float)) or not isinstance(event.type, str) or not isinstance(event.data, dict):
        return "has a field of the wrong type"
    try:
        canonical = encode(event, prev)
    except (ValueError, RecursionError):  # NaN or Infinity (which `encode` refuses), or nested too deep
        return "is not in canonical form (edited by hand?)"
    if canonical != line:
        return "is not in canonical form (edited by hand?)"
    return event


class DrillLog:
    """An open log to append to, held under an exclusive lock until closed (one writer at a time).

    Every append is written and fsynced before it returns; an append that fails
    is rolled back to the last good line (the file truncated) before anything
    else happens, so a full disk never leaves half a line for the next event to
    follow. See engine.drill.writer_lock for the lock.
    """

    def __init__(self, path: str, fd: int, next_seq: int, last_hash: str, size: int) -> None:
        self.path = path
        self._fd = fd
        self.next_seq = next_seq
        self.last_hash = last_hash
        self._size = size  # bytes of good lines in the file
        self._lock: WriterLock | None = None

    @classmethod
    def create(cls, path: str) -> DrillLog:
        """A new, empty log, locked for writing; never replaces an existing file. Raises LogError."""
        folder = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:  # a part of the folder's path is a file; not "the log exists"
            raise LogError(f"{path}: cannot create the log: {folder} is not a folder") from None
        except OSError as exc:
            raise LogError(f"{path}: cannot create the log folder: {exc.strerror or exc}") from None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        except FileExistsError:
            raise LogError(f"{path}: a file is already there; tabletop never overwrites a log") from None
        except OSError as exc:
            raise LogError(f"{path}: cannot create the log: {exc.strerror or exc}") from None
        log = cls(path, fd, 0, GENESIS, 0)
        log._take_lock()
        _fsync_folder(folder)
        return log

    @classmethod
    def reopen(cls, read: LogRead) -> DrillLog:
        """Continue a log after its last good line, locked for writing. A torn tail is moved to `<log>.torn`.

        Raises LogError when another drill holds the log, or when the log has
        changed since `read` was taken (another writer appended meanwhile).
        """
        path = read.path
        if read.problem and not read.torn:
            raise LogError(f"{path}:{read.problem.line}: {read.problem.message}; it cannot be resumed "
                           "(`tabletop log verify` shows the details)")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise LogError(f"{path}: cannot reopen the log: {exc.strerror or exc}") from None
        log = cls(path, fd, len(read.events), read.last_hash, read.good_bytes)
        log._take_lock()
        try:
            if os.fstat(fd).st_size != read.size:
                raise LogError(f"{path}: the log changed while it was being read (another drill wrote to it); "
                               "run the command again")
            if read.torn:
                _set_aside_tail(path, read.good_bytes)
        except OSError as exc:
            log.close()
            raise LogError(f"{path}: cannot reopen the log: {exc.strerror or exc}") from None
        except LogError:
            log.close()
            raise
        return log

    def _take_lock(self) -> None:
        try:
            self._lock = WriterLock.take(self.path, self._fd)
        except LockHeld as exc:
            os.close(self._fd)
            self._fd = -1
            raise LogError(str(exc)) from None

    def append(self, event: Event) -> None:
        """Write one event durably. Its seq must be the next one.

        Raises LogError when it cannot: the file is then as it was before the call
        (the event is not recorded), or, if even that cannot be restored, the log
        refuses every later append and says so.
        """
        if event.seq != self.next_seq:
            raise LogError(f"{self.path}: event {event.seq} out of order (next is {self.next_seq})")
        if self._fd < 0:
            raise LogError(f"{self.path}: the log is closed; the event was not recorded")
        line = encode(event, self.last_hash) + b"\n"
        try:
            self._rollback()  # a failed append that could not be undone then: try again first
            written = os.write(self._fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, f"short write ({written} of {len(line)} bytes)")
            os.fsync(self._fd)
        except OSError as exc:
            reason = _reason(exc)
            try:
                self._rollback()
            except OSError:
                raise LogError(f"{self.path}: the event was not recorded: {reason}; the log now ends in a "
                               "partial line that could not be removed (tabletop removes it before the next "
                               "event, or `--resume` sets it aside)") from None
            raise LogError(f"{self.path}: the event was not recorded: {reason}; the log is as it was "
                           "before it (free the space and try again)") from None
        self._size += len(line)
        self.last_hash = line_hash(line[:-1])
        self.next_seq += 1

    def append_all(self, events: list[Event]) -> None:
        """Write many events durably with one write and one fsync (a fork's repeated events); seqs must run
        on from the next one. Raises LogError as append does; the file is then as it was before the call."""
        if events and events[0].seq != self.next_seq:
            raise LogError(f"{self.path}: event {events[0].seq} out of order (next is {self.next_seq})")
        lines, prev = [], self.last_hash
        for event in events:
            line = encode(event, prev)
            prev = line_hash(line)
            lines.append(line + b"\n")
        blob = b"".join(lines)
        try:
            written = os.write(self._fd, blob)
            if written != len(blob):
                raise OSError(errno.ENOSPC, f"short write ({written} of {len(blob)} bytes)")
            os.fsync(self._fd)
        except OSError as exc:
            self._rollback()
            raise LogError(f"{self.path}: the events were not recorded: {_reason(exc)}") from None
        self._size += len(blob)
        self.last_hash = prev
        self.next_seq += len(events)

    def _rollback(self) -> None:
        """Cut the file back to its last good line, if anything follows it."""
        if os.fstat(self._fd).st_size != self._size:
            os.ftruncate(self._fd, self._size)
            os.fsync(self._fd)

    def close(self) -> None:
        """Release the lock and the file (a process that dies releases both too)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "the device is read-only"
    return f"cannot write the log: {exc.strerror or exc}"


def _set_aside_tail(path: str, good_bytes: int) -> None:
    with open(path, "rb") as handle:
        handle.seek(good_bytes)
        tail = handle.read()
    aside = Path(path + ".torn")
    n = 1
    while aside.exists():
        n += 1
        aside = Path(f"{path}.torn{n}")
    with open(aside, "xb") as handle:
        handle.write(tail)
        handle.flush()
        os.fsync(handle.fileno())
    with open(path, "r+b") as handle:
        handle.truncate(good_bytes)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def default_log_path(folder: str, scenario_id: str, started: str) -> str:
    """exports/drills/<scenario>-<20260122T193300Z>.jsonl, with -2, -3 ... if taken."""
    stamp = started.replace("-", "").replace(":", "").split(".")[0] + "Z"
    base = os.path.join(folder, f"{scenario_id}-{stamp}")
    candidate = base + ".jsonl"
    n = 1
    while os.path.exists(candidate):
        n += 1
        candidate = f"{base}-{n}.jsonl"
    return candidate
