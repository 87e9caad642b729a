"""The MSEL's columns: what tabletop writes, what it recognises on import, and the formula guard."""

from __future__ import annotations

import re

# (key, header written on export). The order is the export's column order.
EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("number", "Number"),
    ("time", "Scenario time"),
    ("real", "Real time"),
    ("event", "Event"),
    ("services", "Service changes"),
    ("to", "Intended player"),
    ("say", "Inject text"),
    ("expect", "Expected action"),
    ("objectives", "Objectives"),
    ("condition", "Condition"),
    ("id", "ID"),
]

# Headers recognised on import, after normalising (lowercase, punctuation to single spaces).
# `subject`, `from`, `date` and `poll` come from the JSON MSEL of chat-based exercise runners.
ALIASES: dict[str, str] = {
    "#": "number", "number": "number", "no": "number", "nr": "number", "serial": "number",
    "inject no": "number", "inject number": "number", "msel no": "number",
    "scenario time": "time", "time": "time", "exercise time": "time", "offset": "time", "t": "time",
    "real time": "real", "real time utc": "real", "wall time": "real", "actual time": "real",
    "clock time": "real", "date time": "real", "datetime": "real",
    "date": "date",
    "event": "event", "event id": "event",
    "service changes": "services", "services": "services", "service status": "services",
    "service health": "services",
    "intended player": "to", "player": "to", "players": "to", "to": "to", "recipient": "to",
    "role": "to", "assigned to": "to",
    "inject text": "say", "inject": "say", "script": "say", "say": "say", "message": "say",
    "text": "say", "description": "say", "inject description": "say",
    "expected action": "expect", "expected actions": "expect", "expected player action": "expect",
    "expected player actions": "expect", "expected response": "expect", "expect": "expect",
    "poll": "poll",
    "objectives": "objectives", "objective": "objectives", "objective s": "objectives",
    "condition": "condition", "after": "condition", "contingency": "condition",
    "id": "id", "inject id": "id",
    "subject": "subject", "title": "subject", "inject title": "subject",
    "from": "from", "sender": "from", "source": "from",
}

# Columns of chat-runner MSELs that have no place in a scenario (pictures, avatars).
NOT_CARRIED = {"photo", "picture name", "profile", "picture", "image", "attachment"}

TIME_KEYS = ("time", "real", "date")
TEXT_KEYS = ("say", "event", "services", "subject")

_PUNCT = re.compile(r"[^a-z0-9#+]+")
_GUARDED = ("=", "+", "-", "@", "\t", "\r")


def normalise(header: str) -> str:
    return " ".join(_PUNCT.sub(" ", header.lower()).split())


def key_of(header: str) -> str | None:
    """The column's meaning, or None for a column tabletop does not know."""
    name = normalise(header)
    return ALIASES.get(name) or ALIASES.get(name.replace("+", "").strip())


def guard(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula: prefix an apostrophe.

    Cells that already start with an apostrophe get one more, so unguard() gives
    every text back exactly, whatever it started with.
    """
    if value.startswith(_GUARDED + ("'",)):
        return "'" + value
    return value


def unguard(value: str) -> str:
    """Undo guard(): drop one leading apostrophe that protects a formula character or an apostrophe."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value
