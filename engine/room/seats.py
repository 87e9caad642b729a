"""The room's seats: a participant link and an evaluator link, each with its own secret token.

Tokens are 24 random bytes (192 bits) from `secrets`, written only to
`<log stem>.room.json` beside the drill log, readable by its owner alone
(mode 0600), so `--resume LOG --room` serves the same links again. They
never go into the drill log or a report.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

SEATS = ("participant", "evaluator")
TOKEN_BYTES = 24  # 192 bits: a link short enough for a QR code that fits a side pane


class RoomFileError(Exception):
    """The room file beside a log cannot be read or written; the message names it and what to do."""


@dataclass(frozen=True)
class Seats:
    """The secret token of each seat, and where the room last listened (for the same links on resume)."""

    participant: str
    evaluator: str
    port: int | None = None

    @classmethod
    def new(cls) -> Seats:
        return cls(secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES))

    def seat(self, token: str) -> str | None:
        """Which seat a token opens ("participant" or "evaluator"), or None. Compared in constant time."""
        found = None
        for name in SEATS:
            if secrets.compare_digest(token.encode("utf-8", "replace"), getattr(self, name).encode()):
                found = name
        return found

    def links(self, base: str) -> dict[str, str]:
        """{"participant": URL, "projector": URL, "evaluator": URL} under `base` (http://host:port)."""
        return {
            "participant": f"{base}/p/{self.participant}",
            "projector": f"{base}/p/{self.participant}?projector=1",
            "evaluator": f"{base}/e/{self.evaluator}",
        }


def room_file(log_path: str) -> Path:
    """`exports/drills/x.jsonl` -> `exports/drills/x.room.json`."""
    path = Path(log_path)
    return path.with_name(path.stem + ".room.json")


def load(path: Path) -> Seats | None:
    """The seats saved beside a log, or None when there is no room file. Raises RoomFileError."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise RoomFileError(f"{path}: cannot be read ({exc}); move it aside to get new links") from None
    tokens = raw.get("tokens") if isinstance(raw, dict) else None
    if not isinstance(tokens, dict) or not all(isinstance(tokens.get(n), str) and tokens[n] for n in SEATS):
        raise RoomFileError(f"{path}: holds no tokens for the seats; move it aside to get new links")
    port = raw.get("port")
    return Seats(tokens["participant"], tokens["evaluator"], port if isinstance(port, int) else None)


def save(path: Path, seats: Seats, base: str, port: int) -> None:
    """Write the room file, readable and writable by the owner only. Raises RoomFileError."""
    record = {**seats.links(base), "port": port,
              "tokens": {name: getattr(seats, name) for name in SEATS}}
    data = (json.dumps(record, indent=2) + "\n").encode("utf-8")
    try:
        # Never through a symbolic link (the tokens would land in the file it names), never into a FIFO
        # (O_NONBLOCK: no waiting for a reader) or a device: a regular file or nothing.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise RoomFileError(f"{path}: not a regular file; move it aside to get new links")
            os.ftruncate(fd, 0)
            os.fchmod(fd, 0o600)  # an older file keeps its mode through O_CREAT: tighten it
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO):  # a symbolic link; a FIFO nobody reads
            raise RoomFileError(f"{path}: not a regular file; move it aside to get new links") from None
        raise RoomFileError(f"{path}: cannot be written ({exc.strerror or exc})") from None
