"""Parsed runbooks and scenarios kept by the SHA-256 of their bytes, so the console opens sooner.

Parsing is most of the time it takes to open a drill on a large runbook (a
5,000-step runbook is about 1 MB of YAML: some 200 ms to parse, about as long
as a C YAML parser takes). What the parse gives (engine.load: the document's
data and where each part of it is written) depends only on the file's bytes
and on the parser, so it can be kept: `tabletop drill` reads it back in a
fifth of the time. Only what the drill command loads goes through here;
`validate` and the other commands parse every time.

The cache is the folder the other caches use (`.tabletop-cache/` in the
working folder; `$TABLETOP_CACHE` elsewhere; `tabletop drill --no-cache`: none),
in `parsed-v<FORMAT>/`. An entry's name is the SHA-256 of the file's bytes
together with the parser's own fingerprint (FORMAT, the source of
engine/compose.py, engine/load.py and engine/bounds.py, the ruamel.yaml and Python versions), so
an entry never goes stale: a changed file or a changed parser asks for a new
entry. Only files that parsed without a finding are kept. An entry that is
missing, torn, of another version or not of the expected shape is ignored and
written again (a pipe or a device in its place is neither read nor written);
writing is best effort (a temporary file renamed into place,
never through a symbolic link) and a cache that cannot be written makes the
console slower, never wrong. At most MAX_ENTRIES entries are kept, the oldest
removed first.

Entries are Python's `marshal` format (plain dicts, lists, tuples, text and
numbers; nothing in an entry is ever run). Like the rest of the working
folder, the cache is trusted as far as the runbooks beside it are.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
from pathlib import Path
from typing import Any

FORMAT = 1
MAX_ENTRIES = 64
DEFAULT_CACHE = ".tabletop-cache"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# tabletop's cache (parsed files, drill-log summaries); safe to delete.\n")
_IGNORE = "# tabletop's cache: made again as needed, never committed.\n*\n"


def cache_folder(given: str | None, disabled: bool) -> str | None:
    """The cache folder to use: disabled (--no-cache): none; `given` (--cache DIR); $TABLETOP_CACHE; else
    .tabletop-cache in the working folder."""
    if disabled:
        return None
    return given or os.environ.get("TABLETOP_CACHE") or DEFAULT_CACHE


def mark_cache_folder(root: Path) -> None:
    """Put a CACHEDIR.TAG in `root` (backup tools skip the folder) and a .gitignore that ignores all of it, so
    a project that keeps its runbooks in git never commits the cache (whose entries are read back without
    being checked against a signature: a cache is local, not shared). Raises OSError or WriteError."""
    from engine.whole_file import write_whole

    for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", _IGNORE)):
        if not os.path.lexists(root / name):
            write_whole(root / name, text)  # like every writer: never through a symbolic link


class ParseCache:
    """Parsed documents by their bytes, in `folder`/parsed-v<FORMAT>/."""

    def __init__(self, folder: str) -> None:
        self.root = Path(folder)
        self.folder = self.root / f"parsed-v{FORMAT}"
        self.hits = 0
        self.misses = 0
        self._stored = 0

    def key(self, raw: bytes) -> str:
        """The entry name for a file of these bytes, parsed by this parser."""
        return hashlib.sha256(_fingerprint() + raw).hexdigest()

    def load(self, key: str) -> tuple[Any, dict[Any, tuple[int, int]], dict[Any, tuple[int, int]]] | None:
        """(data, values, keys) as engine.load's Document holds them, or None (not cached, or not usable)."""
        try:
            entry = marshal.loads(_read_entry(self.folder / f"{key}.marshal"))
        except (OSError, EOFError, ValueError, TypeError):
            self.misses += 1
            return None
        if not (type(entry) is tuple and len(entry) == 4 and entry[0] == key
                and type(entry[2]) is dict and type(entry[3]) is dict):
            self.misses += 1
            return None
        self.hits += 1
        return entry[1], entry[2], entry[3]

    def store(self, key: str, data: Any, values: dict[Any, tuple[int, int]], keys: dict[Any, tuple[int, int]]) -> None:
        """Keep a parse (best effort: a file that cannot be written is left out in silence)."""
        from engine.whole_file import WriteError, write_whole

        try:
            blob = marshal.dumps((key, data, values, keys))
        except ValueError:  # something marshal cannot hold: parse this file every time
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            mark_cache_folder(self.root)
            target = self.folder / f"{key}.marshal"
            if os.path.lexists(target) and not stat.S_ISREG(os.lstat(target).st_mode):
                return  # a pipe or a device would be written into (and a pipe waits for a reader): leave it
            write_whole(target, blob)
            self._stored += 1
            if self._stored == 1:
                self._prune()
        except (OSError, WriteError):
            return

    def _prune(self) -> None:
        """Keep the MAX_ENTRIES newest entries."""
        try:
            entries = sorted(self.folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in entries[MAX_ENTRIES:]:
                old.unlink()
        except OSError:
            return


def _read_entry(path: Path) -> bytes:
    """The bytes of an entry. Opened without blocking, so a FIFO cannot hang the console; OSError for anything
    but a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()  # whole: marshal.load reads a file a few bytes at a time
    finally:
        os.close(fd)


# The parser's source: what it gives for the same bytes changes with these files (engine.bounds: how long a
# whole number may be before it is kept as text). engine.findings is left out: a parse with a finding is not kept.
SOURCES = ("compose.py", "load.py", "bounds.py")
_FINGERPRINT: list[bytes] = []


def _fingerprint() -> bytes:
    """What a parse depends on besides the file: this module's format, the parser's source, the versions of
    ruamel.yaml and Python (marshal's format)."""
    if not _FINGERPRINT:
        import ruamel.yaml

        here = Path(__file__).resolve().parent
        parts = [f"tabletop-parse-v{FORMAT}", ruamel.yaml.__version__, sys.version, str(marshal.version)]
        digest = hashlib.sha256("\n".join(parts).encode("utf-8"))
        for name in SOURCES:
            digest.update((here / name).read_bytes())
        _FINGERPRINT.append(digest.digest())
    return _FINGERPRINT[0]
