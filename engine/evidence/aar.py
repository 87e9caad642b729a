"""The after-action report of each drill, as `tabletop report --format html` writes it, for the pack;
cached beside the log summaries (engine.readiness.cache), so a pack over hundreds of drills folds each
log for its report once."""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.evidence.gather import Drill
from engine.whole_file import WriteError, write_whole

AAR_VERSION = 1


def aar_html(drill: Drill, files_now: dict[str, str], cache_root: Path | None) -> Path | bytes | None:
    """The report's HTML: the cache file that holds it (copied into the pack without being read into memory),
    or its bytes when there is no cache; None when the log holds no drill to report on. `files_now`: runbook
    and scenario id -> SHA-256 of the file now (the report reads the files when they are the ones the drill
    ran with)."""
    from engine import __version__
    from engine.drill.log import LogError
    from engine.report import render
    from engine.report.builder import build_report

    summary = drill.summary
    named = sorted([*summary.runbooks, *([summary.scenario] if summary.scenario else [])])
    key = hashlib.sha256("\n".join([__version__, str(AAR_VERSION), summary.sha256,
                                    *(f"{n}={files_now.get(n, '-')}" for n in named)]).encode()).hexdigest()
    entry = cache_root / f"aar-v{AAR_VERSION}" / f"{key}.html" if cache_root else None
    if entry is not None and entry.is_file() and not entry.is_symlink():
        return entry
    try:
        text = render.render_html(build_report(drill.path)).encode()
    except (LogError, render.RenderError):
        return None
    if entry is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_whole(entry, text)
        except (OSError, WriteError):
            pass  # a cache that cannot be written makes the next pack slower, never wrong
    return text
