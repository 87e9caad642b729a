"""The scenario's own fields in an MSEL: id, title, summary, duration, anchor, runbooks.

They travel as key/value rows: above the header of a CSV (`Title,M365 outage`,
then a blank row, then the header), or in a workbook sheet called "Scenario".
Banner rows above a hand-made MSEL's header (`City of Springfield Full-Scale
Exercise MSEL`, often a merged cell) give the title when no row names one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.msel.columns import normalise, unguard
from engine.msel.table import Table, filled

FIELDS: list[tuple[str, str]] = [  # (field, label written on export), in export order
    ("scenario", "Scenario"), ("title", "Title"), ("summary", "Summary"), ("runbooks", "Runbooks"),
    ("duration", "Duration"), ("anchor", "Anchor"),
]
_KEYS = {
    "scenario": "scenario", "scenario id": "scenario", "exercise id": "scenario",
    "title": "title", "exercise": "title", "exercise name": "title", "exercise title": "title",
    "scenario title": "title", "scenario name": "title",
    "summary": "summary", "overview": "summary", "scenario summary": "summary", "exercise summary": "summary",
    "runbooks": "runbooks", "runbook": "runbooks", "playbooks": "runbooks",
    "duration": "duration", "exercise duration": "duration",
    "time zone": "timezone", "timezone": "timezone", "tz": "timezone",
    "anchor": "anchor", "t+0": "anchor", "t 0": "anchor", "exercise start": "anchor", "startex": "anchor",
}


@dataclass
class Meta:
    values: dict[str, str] = field(default_factory=dict)
    banner_title: str | None = None
    rows: dict[str, int] = field(default_factory=dict)  # where each value came from, for messages


def read_meta(table: Table) -> Meta:
    """Metadata from the workbook's Scenario sheet, else from the rows above the header."""
    meta = Meta()
    for row in table.meta or table.banner:
        cells = [_text(v) for v in row.values if filled(v)]
        pair = _pair(cells)
        if pair is not None:
            key, value = pair
            meta.values.setdefault(key, value)
            meta.rows.setdefault(key, row.number)
        elif cells and meta.banner_title is None and not table.meta:
            meta.banner_title = " ".join(cells)
    return meta


def _pair(cells: list[str]) -> tuple[str, str] | None:
    if len(cells) >= 2 and normalise(cells[0]) in _KEYS:
        return _KEYS[normalise(cells[0])], " ".join(cells[1:])
    if len(cells) == 1 and ":" in cells[0]:
        label, _, value = cells[0].partition(":")
        if normalise(label) in _KEYS and value.strip():
            return _KEYS[normalise(label)], value.strip()
    return None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unguard(str(value).strip())


def meta_rows(values: dict[str, str]) -> list[list[str]]:
    """The key/value rows for export, in FIELDS order, for the fields that have a value."""
    return [[label, values[key]] for key, label in FIELDS if values.get(key)]


