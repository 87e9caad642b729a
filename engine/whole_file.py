"""Writing an output file whole or not at all: the one function every writer of tabletop uses.

The bytes go to a temporary file in the target's folder, are fsynced, and
the temporary file is then moved over the target (os.replace) or, when an
existing file must not be overwritten, hard-linked to a name that must not
exist yet. A reader never sees half a file, and a full or read-only disk
leaves the earlier file as it was. The file gets the usual mode (0666 less
the umask, so 0644 with the common umask 022), as a file made by `open` does.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class WriteError(Exception):
    """The file could not be written; the message names it and the reason (one line)."""


class FileExists(WriteError):
    """The target exists and overwrite=False."""


def write_whole(path: str | os.PathLike[str], data: bytes | str, *, overwrite: bool = True) -> None:
    """Write `data` (str: as UTF-8) to `path` atomically. Raises FileExists or WriteError, never OSError."""
    raw = data.encode("utf-8") if isinstance(data, str) else data

    def write(handle: int, _temp: Path) -> None:
        view = memoryview(raw)
        while view:
            view = view[os.write(handle, view):]

    _through_temp(Path(path), write, overwrite)


def write_through(path: str | os.PathLike[str], make: Callable[[Path], None], *, overwrite: bool = True) -> None:
    """Let `make(temp_path)` write the file (a library that wants a path), then move it to `path`.

    Raises FileExists or WriteError; an OSError from `make` becomes WriteError.
    """
    _through_temp(Path(path), lambda _handle, temp: make(temp), overwrite)


def _through_temp(target: Path, write: Callable[[int, Path], None], overwrite: bool) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if not overwrite and target.exists():
        raise FileExists(f"{target} exists already")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
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
        if overwrite:
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
