"""Drill-log summaries cached by the log's SHA-256, so a view over hundreds of drills reads each log once.

The cache is a folder the user may delete at any time (default `.tabletop-cache/`
in the working folder; `--cache DIR` or `$TABLETOP_CACHE` elsewhere). Each entry
is `drills-v<version>/<sha256>.json`: a log's bytes decide its summary, so an
entry never goes stale; a changed log has a new hash and a new entry. An entry
that cannot be read, is not JSON, or does not hold a summary of a log with that
hash (a torn write, a hand edit, disk trouble) is ignored and written again.
Entries are written to a temporary file and renamed into place, so readers
never see half an entry. Writing is best effort: a cache that cannot be
written makes the view slower, never wrong.

Hashing hundreds of megabytes of logs would itself take seconds, so the cache
also remembers, in `files-v<version>/`, the hash of each log file by its path,
size, modification time (ns) and inode: a log that is appended to, replaced or
touched is hashed again. (A log rewritten in place to the same size with its
modification time forced back would be missed; `--no-cache` reads every log
afresh, and `tabletop log verify` is the check for tampering.)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

from engine.parse_cache import DEFAULT_CACHE, cache_folder, mark_cache_folder  # noqa: F401 - the one folder
from engine.readiness.drills import SUMMARY_VERSION, DrillSummary, summarize
from engine.whole_file import WriteError, write_whole


class LogCache:
    """Summaries of drill logs, from the cache folder when it holds them (`folder` None: no cache)."""

    def __init__(self, folder: str | None) -> None:
        self.folder = Path(folder) / f"drills-v{SUMMARY_VERSION}" if folder else None
        self.root = Path(folder) if folder else None
        self.hits = 0
        self.misses = 0
        self.problems: list[str] = []  # why the cache could not be written, once each

    def summary(self, path: str) -> DrillSummary:
        """The summary of the log at `path`. Raises engine.drill.log.LogError when it cannot be read."""
        from engine.drill.log import LogError, read_log

        identity = _identity(path)
        known = self._known_hash(identity) if identity else None
        cached = self._load(known) if known else None
        if cached is not None:
            self.hits += 1
            cached.name = Path(path).name
            return cached
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError:
            read_log(path)  # names the problem the way every command does (no such file, a folder, ...)
            raise LogError(f"{path}: cannot read the log") from None
        sha = hashlib.sha256(raw).hexdigest()
        if identity:
            self._remember_hash(identity, sha)
        cached = self._load(sha)
        if cached is not None:
            self.hits += 1
            cached.name = Path(path).name
            return cached
        self.misses += 1
        summary = summarize(path, raw)
        self._store(sha, summary)
        return summary

    def _known_hash(self, identity: dict[str, object]) -> str | None:
        if self.root is None:
            return None
        entry = self.root / f"files-v{SUMMARY_VERSION}" / f"{_key(identity)}.json"
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("file") != identity:
            return None
        sha = data.get("sha256")
        return sha if isinstance(sha, str) and _HEX64.fullmatch(sha) else None

    def _remember_hash(self, identity: dict[str, object], sha: str) -> None:
        if self.root is not None:
            self._write(self.root / f"files-v{SUMMARY_VERSION}" / f"{_key(identity)}.json",
                        json.dumps({"file": identity, "sha256": sha}, ensure_ascii=False))

    def _entry(self, sha: str) -> Path | None:
        return self.folder / f"{sha}.json" if self.folder else None

    def _load(self, sha: str) -> DrillSummary | None:
        entry = self._entry(sha)
        if entry is None:
            return None
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("sha256") != sha or not isinstance(data.get("summary"), dict):
                return None
            summary = DrillSummary.from_json(data["summary"])
        except (OSError, ValueError, TypeError, RecursionError):
            return None  # missing, torn, edited: summarise the log again
        return summary if summary.sha256 == sha else None

    def _store(self, sha: str, summary: DrillSummary) -> None:
        entry = self._entry(sha)
        if entry is None or self.root is None:
            return
        text = json.dumps({"sha256": sha, "summary": summary.to_json()}, ensure_ascii=False, separators=(",", ":"))
        self._write(entry, text)

    def _write(self, entry: Path, text: str) -> None:
        """Write one entry whole (a temporary file renamed into place); a failure is noted, never raised."""
        if self.root is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            mark_cache_folder(self.root)
            write_whole(entry, text)
        except OSError as exc:
            self._problem(f"cannot write the cache in {self.root}: {exc.strerror or exc}")
        except WriteError as exc:
            self._problem(f"cannot write the cache: {exc}")

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)


_HEX64 = re.compile("[0-9a-f]{64}")


def _identity(path: str) -> dict[str, object] | None:
    """What tells one version of a log file from another without reading it; None for no regular file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return {"path": os.path.abspath(path), "bytes": info.st_size, "mtime_ns": info.st_mtime_ns, "inode": info.st_ino}


def _key(identity: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8")).hexdigest()


def find_logs(folder: str) -> list[str]:
    """The *.jsonl files directly in `folder`, by name (none when it does not exist)."""
    root = Path(folder)
    return sorted(p.as_posix() for p in root.glob("*.jsonl") if p.is_file()) if root.is_dir() else []


def read_drills(folder: str, cache: LogCache, progress: Callable[[int, int], None] | None = None
                ) -> tuple[list[DrillSummary], list[tuple[str, str]]]:
    """The summaries of the logs in `folder`, oldest drill first (then by name), and (name, why) for each log
    that could not be read at all. `progress(done, total)` is called after each log."""
    from engine.drill.log import LogError

    out, unreadable = [], []
    paths = find_logs(folder)
    for done, path in enumerate(paths, start=1):
        try:
            out.append(cache.summary(path))
        except LogError as exc:
            unreadable.append((Path(path).name, str(exc).removeprefix(f"{path}: ")))
        if progress is not None:
            progress(done, len(paths))
    out.sort(key=lambda s: (s.started or "", s.name))
    return out, unreadable


def as_of(drills: list[DrillSummary], day: date) -> tuple[list[DrillSummary], int]:
    """The drills that started on or before `day` (a view as of a date knows nothing later), and how many
    were left out. A log with no readable start is kept: it is listed as not counted anyway."""
    kept = [d for d in drills if not d.started or d.date <= day.isoformat()]
    return kept, len(drills) - len(kept)
