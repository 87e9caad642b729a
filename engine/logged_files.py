"""The files a drill log names, found without letting the log steer the reader.

A drill log is a file people mail around and attach to tickets; whoever wrote
it chose the paths in its `drill.started`. Reading it (`log verify`, `report`,
`play --resume`) therefore reads only the files it names, and only when each
is safe to read:

- the path is relative and stays inside the folder it is looked up from (no
  `/etc/...`, no `../../`, no symbolic link that leads out), unless the user
  passes `--files-from DIR`, which looks every named path up in DIR, and DIR
  only;
- it is a regular file (never a FIFO, a device or a folder) no bigger than the
  loader's size cap;
- nothing else is read because of it: no folder is searched for other files.

A path is looked up from the working folder, then from the log's project: the
nearest folder at or above the log's that holds tabletop.toml, pyproject.toml,
.git, scenarios/ or runbooks/ (every writer names files relative to the
project, engine.drill.named_files), else the log's own folder. An absolute
path, as logs written before that named the console's files, is read when it
lies inside one of those folders (the same checks apply from there). What is
refused comes back as a problem to report, never as an exception.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath

from engine.load import MAX_FILE_BYTES


@dataclass(frozen=True)
class Found:
    """Where a named file was found (`path`), or why it was not read (`problem`)."""

    recorded: str
    path: str | None = None
    problem: str | None = None


def find_named(log_path: str, recorded: object, *, files_from: str | None = None,
               max_bytes: int = MAX_FILE_BYTES, roots: list[Path] | None = None,
               kind_folder: str | None = None) -> Found:
    """Find one path a log names. `files_from`: the folder the user chose to read named files from.

    `roots` replaces the folders a relative path is looked up from (default: the working folder and the
    log's project); `kind_folder` (`scenarios`, `runbooks`) also tries that folder of each root with the
    file's name alone, for a project that was moved around.
    """
    if not isinstance(recorded, str) or not recorded or "\x00" in recorded:
        return Found(str(recorded)[:200], problem="the log names no usable path")
    pure = PurePath(recorded)
    chosen = [Path(files_from)] if files_from is not None else roots
    if chosen is None:
        where = _from_project(pure, log_path)
        if where is None:
            return Found(recorded, problem="the path is absolute or leaves the log's project; not read "
                                           "(give --files-from DIR to read the files from a folder you choose)")
        chosen, relative = where
    else:  # folders the user chose: every named path is looked up inside them, and only there
        relative = PurePath(*pure.parts[1:]) if pure.is_absolute() else pure
        if ".." in relative.parts:
            return Found(recorded, problem="the path climbs out of the folder given with `..`; not read")
    tries = [(root, relative) for root in chosen]
    if kind_folder:
        tries += [(root, PurePath(kind_folder, pure.name)) for root in chosen]
    last: Found | None = None
    for root, candidate in tries:
        found = _check(recorded, root, candidate, max_bytes)
        if found.path is not None:
            return found
        if found.problem and "no such file" not in found.problem:
            last = found
    return last or Found(recorded, problem="no such file here or beside the log")


_PROJECT_MARKS = ("tabletop.toml", "pyproject.toml", ".git", "scenarios", "runbooks")


def project_root(log_path: str) -> Path:
    """The log's project: the nearest folder at or above the log's with a project mark, else the log's folder."""
    folder = Path(os.path.abspath(log_path)).parent
    for candidate in (folder, *folder.parents):
        if any((candidate / mark).exists() for mark in _PROJECT_MARKS):
            return candidate
    return folder


def _roots(log_path: str) -> list[Path]:
    cwd, project = Path.cwd(), project_root(log_path)
    return [cwd] if project == cwd else [cwd, project]


def _from_project(pure: PurePath, log_path: str) -> tuple[list[Path], PurePath] | None:
    """Where to look a path up without a folder chosen by the user: a relative path from the working folder
    and the log's project; an absolute one (an older log's) from the one of them it lies in; None when it
    climbs out with `..` or lies in neither."""
    if ".." in pure.parts:
        return None
    if not pure.is_absolute():
        return _roots(log_path), pure
    inside = _inside(pure, _roots(log_path))
    return None if inside is None else ([inside[0]], inside[1])


def _inside(pure: PurePath, roots: list[Path]) -> tuple[Path, PurePath] | None:
    """The first root an absolute path lies in (as written, or with the root's links resolved), with the path
    from there; None when it lies in none."""
    for root in roots:
        for base in (root, root.resolve()):
            try:
                return root, pure.relative_to(base)
            except ValueError:
                continue
    return None


def _check(recorded: str, root: Path, relative: PurePath, max_bytes: int) -> Found:
    candidate = root / relative
    try:
        real_root = root.resolve(strict=True)
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return Found(recorded, problem="no such file here or beside the log")
    if real != real_root and real_root not in real.parents:
        return Found(recorded, problem=f"{candidate} leads out of {root} (a symbolic link); not read")
    try:
        info = os.stat(real)
    except OSError as exc:
        return Found(recorded, problem=f"cannot read it: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Found(recorded, problem=f"{candidate} is not a regular file (a pipe, device or folder); not read")
    if info.st_size > max_bytes:
        return Found(recorded, problem=f"{candidate} is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit; "
                                       "not read")
    return Found(recorded, path=str(candidate))
