"""A plain timeline: CSV with a header, or text lines that start with a date and time.

CSV: a header naming a time column (`time`, `timestamp`, `when`, `date time`;
or `date` and `time` apart) and a text column (`text`, `event`, `update`,
`message`, `description`, `body`, `what happened`), optionally `title` or
`status`. Text: each line that starts with a date and time
(`2026-01-22 14:33 EST`, `2026-01-22T19:33:00Z`, `[2026-01-22 19:33 UTC]`) is
an update; lines without one carry on the update above; blank lines and lines
starting with `#` before the first update are skipped. Times without a zone
take `--tz`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from engine.incident import IncidentError, Record, Update, order
from engine.incident.read import check_count, check_text
from engine.incident.redact import Redactor
from engine.incident.text import plain
from engine.incident.times import _ABBREVIATIONS, moment

_ZONES = "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True))
_LINE = re.compile(r"^\[?(\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
                   rf"(?:\s*(?:Z|[+-]\d{{2}}:?\d{{2}}|(?:{_ZONES})\b))?)\]?\s*[-\u2013\u2014:|]?\s*(.*)$")
_TIME = {"time", "timestamp", "when", "date time", "datetime", "time utc", "published", "created at", "at"}
_TEXT = {"text", "event", "update", "message", "description", "body", "what happened", "details", "summary"}
_TITLE = {"title", "status", "subject"}


def read(text: str, name: str, tz: dt.tzinfo | None, redactor: Redactor) -> Record:
    """The timeline's updates. Raises IncidentError naming the line."""
    if name.lower().endswith(".csv"):
        updates, notes = _csv(text, name, tz, redactor)
    else:
        updates, notes = _lines(text, name, tz, redactor)
    if not updates:
        raise IncidentError(f"{name}: no line starts with a date and time; nothing to drill")
    check_count(len(updates), "updates", name)
    title = re.sub(r"[-_]+", " ", name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip()
    return Record("timeline", name.rsplit("/", 1)[-1], title, order(updates, notes), notes)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def _csv(text: str, name: str, tz: dt.tzinfo | None, redactor: Redactor) -> tuple[list[Update], list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise IncidentError(f"{name}: not CSV: {exc}") from None
    if not rows:
        raise IncidentError(f"{name}: empty")
    header = [_key(h) for h in rows[0]]
    when = next((i for i, h in enumerate(header) if h in _TIME), None)
    date = header.index("date") if "date" in header else None
    body = next((i for i, h in enumerate(header) if h in _TEXT), None)
    title = next((i for i, h in enumerate(header) if h in _TITLE), None)
    if (when is None and date is None) or body is None:
        raise IncidentError(f"{name}: line 1: the header needs a time column (time, timestamp, when) and a text "
                            f"column (text, event, update, message); it has {', '.join(rows[0])[:80]}")
    check_count(len(rows) - 1, "rows", name)
    notes: list[str] = []
    updates = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise IncidentError(f"{name}: line {number}: {len(row)} cells but {len(header)} columns (an unquoted "
                                "comma?)")
        cells = row + [""] * (len(header) - len(row))
        stamp = " ".join(c.strip() for c in ((cells[date] if date is not None else ""),
                                             (cells[when] if when is not None else "")) if c.strip())
        at = f"line {number}"
        moment_ = moment(stamp, f"{name}: {at}", tz, notes)
        said = redactor.text(check_text(plain(cells[body]), f"{name}: {at}"))
        updates.append(Update(moment_, said, at, plain(cells[title]) if title is not None else ""))
    return updates, notes


def _lines(text: str, name: str, tz: dt.tzinfo | None, redactor: Redactor) -> tuple[list[Update], list[str]]:
    notes: list[str] = []
    found: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _LINE.match(line.strip())
        if match:
            found.append((number, match.group(1), [match.group(2)]))
            check_count(len(found), "updates", name)
        elif found:
            found[-1][2].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise IncidentError(f"{name}: line {number}: does not start with a date and time like "
                                "2026-01-22 14:33 or 2026-01-22T19:33:00Z")
    updates = []
    for number, stamp, parts in found:
        at = f"line {number}"
        said = check_text(plain("\n".join(parts)), f"{name}: {at}")
        updates.append(Update(moment(stamp, f"{name}: {at}", tz, notes), redactor.text(said), at))
    return updates, notes
