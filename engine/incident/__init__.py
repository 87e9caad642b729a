"""Incident records (status pages, service health, chat, paging, timelines) -> a draft scenario.

Each source module reads one published format into a Record: the incident's
id and title, and its updates in time order, each with the moment it was
published (timezone-aware), the text as plain text, and the status changes it
announced. draft.py turns a Record into scenario data (anchor at the first
update, one inject per update at its offset). Bad input raises IncidentError
with a one-line message naming the field (a JSON path) or the line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class IncidentError(Exception):
    """An incident record that cannot be read; the message names the field or line (one line)."""


@dataclass
class Change:
    """A component's status change announced by an update: `component` went to `health` (up/degraded/down)."""

    component: str
    health: str
    status: str  # as the source wrote it, e.g. major_outage


@dataclass
class Update:
    """One published update: when (aware datetime), plain text, a short title, its status changes."""

    when: dt.datetime
    text: str
    where: str  # the field or line it came from, for messages: $.incident_updates[2], line 14
    title: str = ""
    speaker: str = ""  # chat and paging: who wrote it (already replaced by a role or label when redacted)
    changes: list[Change] = field(default_factory=list)


@dataclass
class Record:
    """An incident as read from one source: `source` names the format, `updates` oldest first."""

    source: str
    id: str
    title: str
    updates: list[Update]
    notes: list[str] = field(default_factory=list)  # what the reader decided or dropped, for stderr
    removed: dict[str, int] = field(default_factory=dict)  # what redaction took out: kind -> count
    decisions: list[str] = field(default_factory=list)  # what the author still has to decide, source-specific
    slug: str = ""  # what the scenario id is made from, when not the title (Graph: the issue id)


def order(updates: list[Update], record_notes: list[str]) -> list[Update]:
    """`updates` oldest first. Newest-first files (Statuspage, Graph) are reversed without a note;
    any other disorder is sorted and said, naming the first update out of place."""
    pairs = list(zip(updates, updates[1:], strict=False))
    if pairs and all(a.when >= b.when for a, b in pairs) and any(a.when > b.when for a, b in pairs):
        return list(reversed(updates))
    for a, b in pairs:
        if b.when < a.when:
            record_notes.append(f"{b.where} is earlier than the update before it; updates sorted by time")
            break
    return sorted(updates, key=lambda u: u.when)
