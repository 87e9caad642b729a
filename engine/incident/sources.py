"""Which source an incident file is, and reading it into a Record.

Detection: a folder or a .zip is a Slack export; a .csv, .txt, .log or .md
file a plain timeline; JSON is told apart by its shape (Statuspage's
`incident_updates`, Graph's `posts`, PagerDuty's `log_entries`, a Slack day's
list of messages with `ts`). `--from` names the source instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.incident import IncidentError, Record
from engine.incident.read import file_bytes, json_of, text_of
from engine.incident.redact import Redactor
from engine.incident.text import plain

SOURCES = ("statuspage", "graph", "slack", "pagerduty", "timeline")
_TEXT_SUFFIXES = {".csv", ".txt", ".log", ".md", ".text"}


@dataclass
class Options:
    """How to read: the source (None: detect), the incident to pick, the zone of bare times, names."""

    source: str | None = None
    incident: str | None = None
    tz: dt.tzinfo | None = None
    roles: dict[str, str] = field(default_factory=dict)  # speaker name -> role id
    keep_names: bool = False
    channel: str | None = None


def load(path: Path, options: Options) -> Record:
    """The Record in `path`. Raises IncidentError (one line, naming the field or line)."""
    name = str(path)
    if not path.exists():
        raise IncidentError(f"{name}: no such file or folder")
    redactor = Redactor(dict(options.roles), keep_names=options.keep_names)
    source = options.source
    if path.is_dir() or path.suffix.lower() == ".zip":
        if source not in (None, "slack"):
            raise IncidentError(f"{name}: a folder or zip is read as a Slack export, not as --from {source}")
        from engine.incident import slack

        record = slack.read(path, options, redactor)
    elif source == "timeline" or (source is None and path.suffix.lower() in _TEXT_SUFFIXES):
        from engine.incident import timeline

        record = timeline.read(text_of(file_bytes(path), name), name, options.tz, redactor)
    else:
        data = json_of(text_of(file_bytes(path), name), name)
        record = _from_json(data, name, source or _detect(data, name), options, redactor)
    record.removed.update({k: v for k, v in redactor.removed.items() if v})
    record.id, record.title = _one_line(record.id)[:120], _one_line(record.title)[:200]
    return record


def _one_line(text: str) -> str:
    """An id or title as plain text on one line: it goes into comments, the summary and messages."""
    return " ".join(plain(text).split())


def _detect(data: Any, name: str) -> str:
    from engine.incident import graph, pagerduty, slack, statuspage

    for source, module in (("statuspage", statuspage), ("graph", graph), ("pagerduty", pagerduty),
                           ("slack", slack)):
        if module.looks_like(data):
            return source
    raise IncidentError(f"{name}: not a known incident record (Statuspage incident_updates, Graph posts, "
                        "PagerDuty log_entries, Slack messages); name it with --from")


def _from_json(data: Any, name: str, source: str, options: Options, redactor: Redactor) -> Record:
    if source == "statuspage":
        from engine.incident import statuspage

        return statuspage.read(data, name, options.incident, options.tz, redactor)
    if source == "graph":
        from engine.incident import graph

        return graph.read(data, name, options.incident, options.tz, redactor)
    if source == "pagerduty":
        from engine.incident import pagerduty

        return pagerduty.read(data, name, options, redactor)
    if source == "slack":
        from engine.incident import slack

        return slack.read_day(data, name, options, redactor)
    raise IncidentError(f"{name}: --from {source} reads text, not JSON")
