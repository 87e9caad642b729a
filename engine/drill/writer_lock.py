"""One writer per drill log: an exclusive lock held for as long as the drill is open.

The lock is `flock` on the log file itself, so the kernel releases it when the
holder closes the log or dies, and a stale lock is impossible. Beside the log,
`<log>.lock` says who holds it (process id and host; its modification time
says since when), only so a refused second writer can name the holder; it is
removed on close, and a leftover one (from a holder that died) means nothing.
Readers (`log verify`, `report`) take no lock: the log is append-only and they
read only whole lines.
"""

from __future__ import annotations

import fcntl
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime


class LockHeld(Exception):
    """Another process writes to the log; the message names it (pid, host, since)."""


@dataclass
class WriterLock:
    path: str  # the log
    fd: int  # the log's descriptor, which holds the flock

    @classmethod
    def take(cls, path: str, fd: int) -> WriterLock:
        """Lock `fd` (an open descriptor of the log at `path`) without waiting. Raises LockHeld."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(f"{path}: another drill is writing to this log ({holder(path)}); "
                           "close it there first, or work on a copy") from None
        except OSError:
            pass  # a filesystem without flock: go on, as before locks existed
        lock = cls(path, fd)
        lock._say_who()
        return lock

    def _say_who(self) -> None:
        try:
            with open(_lock_file(self.path), "w", encoding="utf-8") as handle:
                handle.write(f"pid={os.getpid()} host={socket.gethostname()}\n")
        except OSError:
            pass  # only the message of a refused writer loses its detail

    def release(self) -> None:
        try:
            os.unlink(_lock_file(self.path))
        except OSError:
            pass
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        except OSError:
            pass


def holder(path: str) -> str:
    """Who holds the log's lock, as `<log>.lock` says: `pid 4711 on host ops-3 since 2026-01-22 19:33:05Z`."""
    lock_file = _lock_file(path)
    try:
        with open(lock_file, encoding="utf-8", errors="replace") as handle:
            text = handle.read(200)
        since = datetime.fromtimestamp(os.stat(lock_file).st_mtime, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    except OSError:
        return "a process that has not said who it is"
    fields = dict(part.partition("=")[::2] for part in text.split())
    pid, host = fields.get("pid", "?"), fields.get("host", "?")
    return f"pid {_plain(pid)} on host {_plain(host)} since {since}"


def _plain(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)[:64]


def _lock_file(path: str) -> str:
    return path + ".lock"
