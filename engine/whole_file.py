"""Writing an output file whole or not at all: the one writer every command of tabletop uses.

What the target is decides what happens, the same for every command:

- nothing there yet: the bytes go to a temporary file in the target's folder, are
  fsynced, and the temporary file is hard-linked (or moved) to the name;
- a regular file: the same, then moved over it (os.replace), only when
  `overwrite`; a reader never sees half a file, and a full or read-only disk
  leaves the earlier file as it was;
- a character device or a FIFO (/dev/null, /dev/stdout, a named pipe), also
  through a symbolic link: written into as a stream, like a shell redirection,
  never replaced (moving a file over /dev/null as root would break the machine);
- a symbolic link to anything else, a folder, a socket, a block device (a
  disk): refused (Refused, a WriteError), never replaced nor written onto.

The file gets the usual mode (0666 less the umask, so 0644 with the common umask
022), as a file made by `open` does. Each writer returns what it did (NEW,
REPLACED or STREAMED) and `said` words it for the "wrote ..." line.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

NEW, REPLACED, STREAMED = "new", "replaced", "streamed"  # what a write did
_TEMP_NAME_ROOM = 200  # characters of the target's name kept in its temporary file's (names stop at 255 bytes)


class WriteError(Exception):
    """The file could not be written; the message names it and the reason (one line)."""


class FileExists(WriteError):
    """The target exists and overwrite=False."""


class Refused(WriteError):
    """The target is a symbolic link (not to a device), a folder, a socket or a disk: tabletop writes none."""


def write_whole(path: str | os.PathLike[str], data: bytes | str, *, overwrite: bool = True) -> str:
    """Write `data` (str: as UTF-8) to `path` (see the module doc); returns NEW, REPLACED or STREAMED.

    Raises FileExists, Refused or WriteError, never OSError.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data

    def write(handle: int, _temp: Path) -> None:
        _write_all(handle, raw)

    return _write(Path(path), write, overwrite)


def write_through(path: str | os.PathLike[str], make: Callable[[Path], None], *, overwrite: bool = True) -> str:
    """Let `make(temp_path)` write the file (a library that wants a path), then put it at `path`.

    Returns NEW, REPLACED or STREAMED. Raises FileExists, Refused or WriteError; an OSError from `make`
    becomes WriteError.
    """
    return _write(Path(path), lambda _handle, temp: make(temp), overwrite)


def check(path: str | os.PathLike[str], *, overwrite: bool) -> str:
    """What writing `path` would do (NEW, REPLACED or STREAMED), before any work is done.

    Raises FileExists (a regular file and not `overwrite`), Refused or WriteError (the name cannot be looked at).
    """
    target = Path(path)
    kind = _kind(target)
    if kind == "regular" and not overwrite:
        raise FileExists(f"{target} exists already")
    return {"missing": NEW, "regular": REPLACED, "stream": STREAMED}[kind]


def said(path: str | os.PathLike[str], done: str, noun: str = "file") -> str:
    """The line a command prints after a write, the path escaped for the terminal.

    `wrote PATH`, `wrote PATH (replaced the previous NOUN)` or `wrote into PATH (not a regular file: ...)`.
    """
    from engine.terminal import escape

    shown = escape(os.fspath(path))
    if done == STREAMED:
        return f"wrote into {shown} (not a regular file: written as a stream, not replaced)"
    return f"wrote {shown}" + (f" (replaced the previous {noun})" if done == REPLACED else "")


def _kind(target: Path) -> str:
    """missing, regular or stream; raises Refused for a symbolic link, a folder or a socket."""
    try:
        link = os.lstat(target)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:  # a name too long, a loop of links, a folder on the way that is a file
        raise WriteError(f"cannot write {target}: {_reason(exc)}") from None
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = link.st_mode  # a link that leads nowhere
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "stream"  # /dev/stdout is a link to one: written into all the same
    if stat.S_ISBLK(mode):
        raise Refused(f"{target} is a block device (a disk); tabletop does not write onto one")
    if stat.S_ISLNK(link.st_mode):
        raise Refused(f"{target} is a symbolic link; tabletop does not replace one (give the file it names)")
    if stat.S_ISDIR(mode):
        raise Refused(f"{target} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise Refused(f"{target} is not a regular file; tabletop does not replace it")
    return "regular"


def _write(target: Path, write: Callable[[int, Path], None], overwrite: bool) -> str:
    kind = _kind(target)
    if kind == "stream":
        _stream(target, write)
        return STREAMED
    if kind == "regular" and not overwrite:
        raise FileExists(f"{target} exists already")
    _through_temp(target, write, overwrite)
    return REPLACED if kind == "regular" else NEW


def _stream(target: Path, write: Callable[[int, Path], None]) -> None:
    """Make the bytes in a temporary file elsewhere (never beside a device), then copy them into `target`."""
    try:
        handle, temp = tempfile.mkstemp(prefix=".tabletop.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot write {target}: no temporary file ({_reason(exc)})") from None
    try:
        try:
            write(handle, Path(temp))
        finally:
            os.close(handle)
        sink = os.open(target, os.O_WRONLY | os.O_NOCTTY)  # no O_CREAT: a device or a FIFO, never a new file
        with open(temp, "rb") as source, open(sink, "wb", closefd=True) as out:
            shutil.copyfileobj(source, out)
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {_reason(exc)}") from None
    finally:
        os.unlink(temp)


def _write_all(handle: int, raw: bytes) -> None:
    view = memoryview(raw)
    while view:
        view = view[os.write(handle, view):]


def _through_temp(target: Path, write: Callable[[int, Path], None], overwrite: bool) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:_TEMP_NAME_ROOM]}.", suffix=".tmp")
    except FileNotFoundError:
        raise WriteError(f"cannot write {target}: {folder} is not a folder") from None
    except OSError as exc:
        raise WriteError(f"cannot write in {folder}: {_reason(exc)}") from None
    try:
        try:
            os.fchmod(handle, 0o666 & ~_umask())
            write(handle, Path(temp))
            os.fsync(handle)
        finally:
            os.close(handle)
        _fsync_path(temp)
        if overwrite and _kind(target) == "regular":  # looked at again: it may have changed while written
            os.replace(temp, target)
        else:
            _link_new(temp, target)
    except FileExistsError:
        raise FileExists(f"{target} exists already") from None
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {_reason(exc)}") from None
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


def _fsync_path(temp: str) -> None:
    """Flush what a library wrote by path (its own handle is closed by now)."""
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_new(temp: str, target: Path) -> None:
    try:
        os.link(temp, target)
    except (AttributeError, NotImplementedError, PermissionError):
        # Filesystems without hard links: the existence check is the best there is.
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(temp, target)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "the device is read-only"
    return exc.strerror or str(exc)


_UMASK: list[int] = []


def _umask() -> int:
    """The process's umask (read once: setting it is the only way to read it portably)."""
    if not _UMASK:
        current = os.umask(0o022)
        os.umask(current)
        _UMASK.append(current)
    return _UMASK[0]
