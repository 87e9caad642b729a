"""How a drill log names the scenario and runbook files in drill.started: relative to the project.

The project is the nearest folder, at or above the scenario file's, that
holds a tabletop.toml (or a pyproject.toml with a [tool.tabletop] table), or
that holds both runbooks/ and scenarios/. A log names every file under the
project by its path from there (`runbooks/inbound-mail-continuity.yaml`), so
a log moved with its project, to another folder or machine, reads the same;
readers look a relative path up from the log's project (engine.logged_files).
A file outside the project is named relative to the working folder when it
lies inside it, else by its absolute path (readers then need --files-from).
"""

from __future__ import annotations

import os
from pathlib import Path

_SETTINGS = "tabletop.toml"


def project_folder(path: str) -> Path | None:
    """The project of the file at `path` (absolute, resolved), or None when no folder above it is one."""
    start = Path(os.path.abspath(path)).resolve().parent
    for folder in (start, *start.parents):
        if (folder / _SETTINGS).is_file() or _has_tool_table(folder / "pyproject.toml"):
            return folder
        if (folder / "runbooks").is_dir() and (folder / "scenarios").is_dir():
            return folder
    return None


def logged_name(path: str, project: Path | None) -> str:
    """The name drill.started records for the file at `path`: its path from `project` (posix), else from the
    working folder, else the absolute path."""
    real = Path(os.path.abspath(path)).resolve()
    for base in ([project] if project is not None else []) + [Path.cwd().resolve()]:
        try:
            return real.relative_to(base).as_posix()
        except ValueError:
            continue
    return real.as_posix()


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return pyproject.is_file() and "[tool.tabletop]" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
