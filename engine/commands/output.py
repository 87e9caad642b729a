"""Where a command's output goes: the one `-o` convention every command follows.

- `-o -` (or no `-o`, for commands whose default is standard output) writes to
  standard output;
- `-o PATH` writes the file whole (a temporary file beside it, then moved into
  place), and never over an existing file unless `--force` is given;
- a problem is an OutputError whose message the command prints with
  engine.commands.fail (one line, exit 2).

Commands decide with `target()` before doing any work, so an existing file is
refused before a long run, and write with `write_text()` / `write_binary()`.
"""

from __future__ import annotations

import os
import stat
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
    """The file to write, or None for standard output. Raises OutputError for an existing file without --force."""
    if path is None or is_stdout(path):
        return None
    where = Path(path)
    if where.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if where.exists() and not force and not is_special(where):
        raise OutputError(f"{path} exists already; pass --force to overwrite it")
    folder = where.parent if str(where.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    return where


def is_special(path: Path) -> bool:
    """Whether `path` is something other than a regular file: /dev/null, /dev/stdout, a FIFO, a terminal.

    Such a target is written into, like a shell redirection, never replaced: moving a temporary file
    over /dev/null (as root) would turn the device into a plain file for the whole machine.
    """
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # does not exist (yet): a new regular file


def _write_into(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_text(path: Path | None, text: str, *, force: bool, terminal_safe: bool = False) -> None:
    """`text` to the file (whole, never over an existing one without force) or to standard output; on a
    terminal, control and bidirectional characters are written as escapes so the text stays data, unless
    `terminal_safe` (the renderer escaped the user text itself and coloured the rest on purpose)."""
    if path is None:
        if sys.stdout.isatty() and not terminal_safe:
            from engine.terminal import escape_lines

            text = escape_lines(text)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    if is_special(path):
        _write_into(path, text.encode("utf-8"))
        return
    from engine.scaffold import ScaffoldError, write_file

    try:
        write_file(path, text, overwrite=force)
    except ScaffoldError as exc:
        raise OutputError(_pass_force(str(exc))) from None


def write_binary(path: Path | None, write: Callable[[Path], None], *, force: bool) -> None:
    """Let `write(temp_path)` make the file, then move it into place (or copy it to standard output).

    The file goes through engine.whole_file.write_through: whole or not at all, with the usual mode.
    """
    from engine.whole_file import FileExists, WriteError, write_through

    if path is not None and not is_special(path):
        try:
            write_through(path, write, overwrite=force)
        except FileExists:
            raise OutputError(f"{path} exists already; pass --force to overwrite it") from None
        except WriteError as exc:
            raise OutputError(str(exc)) from None
        return
    import tempfile  # here: it costs `tabletop validate` to stdout a few ms of start-up

    handle, temp = tempfile.mkstemp(prefix=".out.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temp))
        with open(temp, "rb") as data:
            if path is not None:  # a device or a FIFO: written into, never replaced
                _write_into(path, data.read())
                return
            sys.stdout.flush()
            sys.stdout.buffer.write(data.read())
            sys.stdout.buffer.flush()
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _pass_force(message: str) -> str:
    return message.replace("exists already; not overwriting it", "exists already; pass --force to overwrite it")
