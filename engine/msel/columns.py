"""The MSEL's columns: what tabletop writes, what it recognises on import, and the formula guard.

Import matches headers against the vocabularies of real MSEL workbooks (state
and county exercise templates, HSEEP MSELs, venue and bank exercises, the JSON
of chat-based exercise runners). docs/msel.md lists them. A header is
normalised first: camelCase split, lowercase, punctuation to single spaces,
so `ScheduledTime`, `Scheduled Time` and `SCHEDULED_TIME` are one name.
"""

from __future__ import annotations

import difflib
import re

# (key, header written on export). The order is the export's column order.
EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("number", "Number"),
    ("time", "Scenario time"),
    ("real", "Real time"),
    ("event", "Event"),
    ("services", "Service changes"),
    ("to", "Intended player"),
    ("subject", "Title"),
    ("say", "Inject text"),
    ("expect", "Expected action"),
    ("objectives", "Objectives"),
    ("condition", "Condition"),
    ("id", "ID"),
]

# Headers with one meaning. Keys: number, time (scenario or clock time, decided from the cells),
# real (a clock or date-time), date (a date or exercise day), event, services, to, subject (the
# inject's title), say, expect, outcome (added to expect), poll, objectives, condition, id, from, status.
ALIASES: dict[str, str] = {}
_VOCABULARY: dict[str, tuple[str, ...]] = {
    "number": ("#", "number", "no", "nr", "serial", "inject no", "inject number", "inject #", "msel no",
               "msel #", "msel number", "msel", "seq", "sequence", "serial no", "item", "item no"),
    "time": ("scenario time", "time", "exercise time", "offset", "t", "t+", "elapsed", "elapsed time",
             "game time", "event time", "scheduled time", "schedule", "inject time", "msel time", "start time",
             "delivery time", "time of inject", "when", "planned time", "time hh mm"),
    "real": ("real time", "real time utc", "wall time", "actual time", "clock time", "local time", "date time",
             "datetime", "dtg", "inject dtg", "date time group", "timestamp", "scheduled date time"),
    "date": ("date", "day", "exercise day", "inject date", "event date", "scheduled date"),
    "event": ("event", "event id"),
    "services": ("service changes", "services", "service status", "service health"),
    "to": ("intended player", "player", "players", "to", "recipient", "recipients", "role", "assigned to",
           "send to", "sent to", "target", "target audience", "audience", "intended recipient"),
    "subject": ("subject", "title", "inject title", "inject name", "name", "headline", "short title"),
    "say": ("inject text", "script", "say", "message", "text", "description", "inject description",
            "event description", "details", "inject details", "narrative", "content", "body"),
    "expect": ("expected action", "expected actions", "expected player action", "expected player actions",
               "expected response", "expect", "anticipated response", "expected player response"),
    "outcome": ("expected outcome", "expected outcomes", "expected result", "expected results", "outcome",
                "outcomes", "desired outcome"),
    "poll": ("poll",),
    "objectives": ("objectives", "objective", "objective s", "objective id", "objective ids"),
    "condition": ("condition", "after", "contingency"),
    "id": ("id", "inject id", "msel id"),
    "from": ("from", "sender", "source", "originator"),
    "status": ("status", "inject status"),
}
for _key, _names in _VOCABULARY.items():
    for _name in _names:
        ALIASES[_name] = _key

# Headers that mean the inject text when no other column does, else the inject's title.
SECOND_CHOICE: dict[str, tuple[str, str]] = {
    "inject": ("say", "subject"),
    "event summary": ("say", "subject"),
    "summary": ("say", "subject"),
}

# What a time column's header says about its cells: offsets from T+0, or clock times.
OFFSET_HEADERS = {"scenario time", "exercise time", "offset", "t", "t+", "elapsed", "elapsed time", "game time"}
CLOCK_HEADERS = {"real time", "real time utc", "wall time", "actual time", "clock time", "local time"}

# Columns of chat-runner MSELs that have no place in a scenario (pictures, avatars).
NOT_CARRIED = {"photo", "picture name", "profile", "picture", "image", "attachment"}

# Single words that name a column even inside a longer header (`IMPLEMENTER (Actual Narrative)`).
PHRASE_WORDS = {"narrative", "script", "description", "message", "recipient", "recipients", "dtg", "sender",
                "originator"}
_PARTS = re.compile(r"[\n\r()\[\]/|]+")

TIME_KEYS = ("time", "real", "date")
TEXT_KEYS = ("say", "event", "services", "subject")

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PUNCT = re.compile(r"[^a-z0-9#+]+")
_GUARDED = ("=", "+", "-", "@", "\t", "\r")


def normalise(header: str) -> str:
    """`ExpectedAction`, `EXPECTED_ACTION` and `Expected action:` all give `expected action`."""
    return " ".join(_PUNCT.sub(" ", _CAMEL.sub(" ", header).lower()).split())


def key_of(header: str) -> str | None:
    """The column's meaning when it has only one, or None (unknown, or see SECOND_CHOICE)."""
    name = normalise(header)
    return ALIASES.get(name) or ALIASES.get(name.replace("+", "").strip())


def choices_of(header: str) -> tuple[str, ...]:
    """Every meaning the header can have by its name or a part of it, best first; empty for a header tabletop
    does not know (a phrase inside a long header does not count: a banner's text is full of them)."""
    keys, how = readings(header)
    return keys if how in ("name", "part") else ()


def readings(header: str) -> tuple[tuple[str, ...], str]:
    """(meanings best first, how found): by the whole `name`, by a `part` (a line of the header, or the text
    in or outside brackets: `Time (0600-1800)`), or by a telling `phrase` in it (`Actual narrative`),
    which the cells must confirm (roles.py). ((), "") for a header tabletop does not know."""
    whole = _named(header)
    if whole:
        return whole, "name"
    found: list[str] = []
    for part in _PARTS.split(header):
        for key in _named(part) if part.strip() else ():
            if key not in found:
                found.append(key)
    if found:
        return tuple(found), "part"
    words = f" {normalise(header)} "
    phrases = [name for name in ALIASES if (" " in name or name in PHRASE_WORDS) and f" {name} " in words]
    if phrases:
        return (ALIASES[max(phrases, key=len)],), "phrase"
    return (), ""


def _named(text: str) -> tuple[str, ...]:
    key = key_of(text)
    if key:
        return (key,)
    return SECOND_CHOICE.get(normalise(text), ())


def suggestion(header: str) -> str | None:
    """The nearest known header, for an unknown one (`Expcted action` -> `expected action`)."""
    found = difflib.get_close_matches(normalise(header), [*ALIASES, *SECOND_CHOICE], n=1, cutoff=0.75)
    return found[0] if found else None


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
