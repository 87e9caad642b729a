"""Where a command's output goes: the one `-o` convention every command follows.

- `-o -` (or no `-o`, for commands whose default is standard output) writes to
  standard output;
- `-o PATH` writes through engine.whole_file: a regular file whole (a temporary
  file beside it, then moved into place), never over an existing one unless
  `--force` is given; a device or a FIFO into, as a stream; a symbolic link or a
  folder never (refused even with --force). The writers return what they did,
  for the command's "wrote ..." line (engine.whole_file.said);
- a problem is an OutputError whose message the command prints with
  engine.commands.fail (one line, exit 2).

Commands decide with `target()` before doing any work, so an existing file is
refused before a long run, and write with `write_text()` / `write_binary()`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

STDOUT = "-"


class OutputError(Exception):
    """The output cannot go where it was asked to (exists already, no such folder, unwritable)."""


def is_stdout(path: str | None) -> bool:
    """Whether `-o` asks for standard output (`-o -`)."""
    return path == STDOUT


def target(path: str | None, *, force: bool) -> Path | None:
    """The file to write, or None for standard output. Raises OutputError for an existing file without --force,
    a folder, a symbolic link (not to a device) or a missing folder (engine.whole_file.check)."""
    if path is None or is_stdout(path):
        return None
    from engine.whole_file import FileExists, WriteError, check

    where = Path(path)
    try:
        check(where, overwrite=force)
    except FileExists:
        raise OutputError(f"{path} exists already; pass --force to overwrite it") from None
    except WriteError as exc:
        raise OutputError(str(exc)) from None
    folder = where.parent if str(where.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    return where


def write_text(path: Path | None, text: str, *, force: bool, terminal_safe: bool = False) -> str | None:
    """`text` (UTF-8) to the file or to standard output; returns what the write did (engine.whole_file), None
    for standard output. On a terminal, control and bidirectional characters are written as escapes so the
    text stays data, unless `terminal_safe` (the renderer escaped the user text itself and coloured the rest
    on purpose). Raises OutputError."""
    if path is None:
        if sys.stdout.isatty() and not terminal_safe:
            from engine.terminal import escape_lines

            text = escape_lines(text)
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    from engine.whole_file import write_whole  # here: tempfile costs `tabletop validate` to stdout start-up

    return _to_file(path, lambda: write_whole(path, text, overwrite=force))


def _to_file(path: Path, write: Callable[[], str]) -> str:
    from engine.whole_file import FileExists, WriteError

    try:
        return write()
    except FileExists:
        raise OutputError(f"{path} exists already; pass --force to overwrite it") from None
    except WriteError as exc:
        raise OutputError(str(exc)) from None


def write_binary(path: Path | None, write: Callable[[Path], None], *, force: bool) -> str | None:
    """Let `write(temp_path)` make the file, then put it at `path` (or copy it to standard output).

    Through engine.whole_file.write_through: whole or not at all, with the usual mode; a device or FIFO is
    written into, a symbolic link or a folder refused. Returns NEW, REPLACED or STREAMED (None: stdout).
    Raises OutputError.
    """
    from engine.whole_file import write_through

    if path is not None:
        return _to_file(path, lambda: write_through(path, write, overwrite=force))
    import tempfile  # here: it costs `tabletop validate` to stdout a few ms of start-up

    handle, temp = tempfile.mkstemp(prefix=".out.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temp))
        with open(temp, "rb") as data:
            sys.stdout.flush()
            sys.stdout.buffer.write(data.read())
            sys.stdout.buffer.flush()
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return None
