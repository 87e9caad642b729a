"""Which column holds what: the header's name first, the cells to confirm it or overrule it.

A header is read three ways, strongest first (columns.py): its whole name
(`Inject text`), a part of it (`Time (0600-1800)`, a header with a line break
like `IMPLEMENTER` / `(Actual Narrative)`), or a telling phrase inside it
(`Event narrative`). Then the cells decide what the name cannot:

- a text column (`Inject`, `Description`) whose cells are all numbers or
  serials (`1.1`, `INJ-04`) is the inject number, not its text;
- with no text column, the one unknown column of prose is the inject text;
  two or more are refused, naming them and the `--column` to pass;
- a Date column of in-game moments (`Monday 9:30 AM`) beside a time column is
  the story's date (put before the text); alone, it is the time column;
- two columns for one role: an empty one is passed over, a whole-name match
  beats a part, and what remains is refused with the `--column` to pass.

`--column ROLE=HEADER` settles a column's role by hand (ROLE `skip` drops it).
Every decision is said in a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.msel import MselError
from engine.msel.columns import ALIASES, NOT_CARRIED, SECOND_CHOICE, normalise, readings, suggestion
from engine.msel.table import Table, filled
from engine.msel.times import TimeFormatError, read_date, read_time

ROLES = (*sorted(set(ALIASES.values())), "skip")
_SERIAL = re.compile(r"^(?:[A-Za-z]{1,4}\s?[-#.]?\s?)?#?\d{1,5}(?:[.\-/]\d{1,5}){0,3}[A-Za-z]?$")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_NOTES = ("note", "notes", "remark", "remarks", "comment", "comments", "reference", "references", "source",
          "task", "mission", "capability", "core capability", "evaluator", "controller")
_LEVEL = {"name": 0, "part": 1, "phrase": 2}


@dataclass
class _Candidate:
    index: int
    keys: tuple[str, ...]
    how: str  # name | part | phrase | forced | content


@dataclass
class Roles:
    columns: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_forced(items: list[str] | None) -> dict[str, str]:
    """`--column ROLE=HEADER` items as {normalised header: role}. Raises MselError for a bad item."""
    forced: dict[str, str] = {}
    for item in items or []:
        role, sep, header = item.partition("=")
        role = role.strip().lower()
        if not sep or not header.strip() or role not in ROLES:
            raise MselError(f"--column {item!r}: write ROLE=HEADER, ROLE one of {', '.join(ROLES)}")
        forced[normalise(header)] = role
    return forced


def assign(table: Table, forced: dict[str, str]) -> Roles:
    """The role of every column the scenario uses. Raises MselError for two readings the cells cannot settle."""
    out = Roles()
    cells = _Cells(table)
    seen: set[str] = set()
    candidates: list[_Candidate] = []
    unknown: list[int] = []
    for index, header in enumerate(table.headers):
        if not header:
            continue
        name = normalise(header)
        if name in forced:
            seen.add(name)
            if forced[name] != "skip":
                candidates.append(_Candidate(index, (forced[name],), "forced"))
            continue
        keys, how = readings(header)
        if keys and how == "phrase" and not _fits(keys[0], cells.of(index)):
            keys = ()
        if keys:
            candidates.append(_Candidate(index, keys, how))
        elif name not in NOT_CARRIED:
            unknown.append(index)
    missing = [h for h in forced if h not in seen]
    if missing:
        found = ", ".join(f'"{h}"' for h in table.headers if h)
        raise MselError(f"{table.path}: --column names no column \"{missing[0]}\"; the columns are {found}")
    prose_elsewhere = any(_share(cells.of(i), is_prose) >= 0.5 for i in unknown)
    _numbers_are_not_text(table, candidates, cells, out, prose_elsewhere)
    _settle(table, candidates, cells, out)
    _prose_column(table, unknown, cells, out)
    _in_game_date(table, cells, out)
    for index in unknown:
        if index not in out.columns.values():
            header = table.headers[index]
            near = suggestion(header)
            hint = f' (did you mean "{near}"?)' if near else ""
            out.warnings.append(f"{table.path}: column \"{header}\" is not an MSEL column tabletop knows{hint}; "
                                "its values are not carried over")
    return out


class _Cells:
    """The filled cells of each column, read once."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._cache: dict[int, list[Any]] = {}

    def of(self, index: int) -> list[Any]:
        if index not in self._cache:
            values = [r.values[index] for r in self.table.rows if index < len(r.values)]
            self._cache[index] = [v.strip() if isinstance(v, str) else v for v in values if filled(v)]
        return self._cache[index]


def is_serial(value: Any) -> bool:
    """An inject number as MSELs write them: 3, 1.1, 2-4, INJ-07, #12, 4a."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return bool(_SERIAL.match(str(value).strip()))


def is_prose(value: Any) -> bool:
    """Words a person reads: three or more with letters in them, or six or more CJK characters (written
    without spaces)."""
    if not isinstance(value, str):
        return False
    return len(re.findall(r"[^\W\d_]{2,}", value)) >= 3 or len(_CJK.findall(value)) >= 6


def _share(values: list[Any], test: Callable[[Any], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _times(value: Any) -> bool:
    try:
        read_time(value)
    except TimeFormatError:
        try:
            read_date(value)
        except TimeFormatError:
            return False
    return True


def _fits(key: str, values: list[Any]) -> bool:
    """Whether a column found by a phrase in its header holds what that phrase promises."""
    if not values:
        return False
    if key in ("time", "real", "date"):
        return _share(values, _times) >= 0.5
    if key == "number":
        return _share(values, is_serial) >= 0.8
    if key in ("to", "from"):
        return _share(values, lambda v: len(str(v).split()) <= 6) >= 0.8
    if key in ("say", "expect", "outcome"):
        return _share(values, is_prose) >= 0.5
    return True


def _numbers_are_not_text(table: Table, candidates: list[_Candidate], cells: _Cells, out: Roles,
                          prose_elsewhere: bool) -> None:
    """A column that could be the inject text but holds only inject numbers is the number column. A column
    named as nothing but the text (`Inject text`) keeps its numbers unless an unknown column holds prose."""
    named_number = any(c.keys == ("number",) for c in candidates)
    for candidate in candidates:
        if candidate.how == "forced" or "say" not in candidate.keys:
            continue
        if candidate.how == "name" and candidate.keys == ("say",) and not prose_elsewhere:
            continue
        values = cells.of(candidate.index)
        if not values or _share(values, is_serial) < 1.0:
            continue
        header = table.headers[candidate.index]
        shown = ", ".join(str(v) for v in values[:3])
        if named_number:
            candidate.keys = ()
            out.notes.append(f'{table.path}: column "{header}" holds only numbers ({shown}...) beside the number '
                             f'column; not carried over (pass --column say="{header}" to read it as text)')
        else:
            candidate.keys, candidate.how, named_number = ("number",), "content", True
            out.notes.append(f'{table.path}: column "{header}" holds only numbers ({shown}...): read as the '
                             f'inject number, not its text (pass --column say="{header}" to read it as text)')


def _settle(table: Table, candidates: list[_Candidate], cells: _Cells, out: Roles) -> None:
    """Give each role one column: single readings first, then columns with a second choice."""
    single = [c for c in candidates if len(c.keys) == 1]
    by_key: dict[str, list[_Candidate]] = {}
    for candidate in single:
        by_key.setdefault(candidate.keys[0], []).append(candidate)
    for key, group in by_key.items():
        out.columns[key] = _one(table, key, group, cells, out)
    for candidate in (c for c in candidates if len(c.keys) > 1):
        free = next((k for k in candidate.keys if k not in out.columns), None)
        if free is None:
            header = table.headers[candidate.index]
            out.warnings.append(f'{table.path}: column "{header}" could be {" or ".join(candidate.keys)}, but '
                                f"other columns are those; not carried over (pass --column ROLE=\"{header}\")")
            continue
        out.columns[free] = candidate.index


def _one(table: Table, key: str, group: list[_Candidate], cells: _Cells, out: Roles) -> int:
    if len(group) == 1:
        return group[0].index
    forced = [c for c in group if c.how == "forced"]
    if len(forced) == 1:
        return forced[0].index
    kept = [c for c in group if cells.of(c.index)] or group[:1]
    best = min(_LEVEL.get(c.how, 0) for c in kept)
    kept = [c for c in kept if _LEVEL.get(c.how, 0) == best]
    if len(kept) > 1 and key == "number":
        kept = kept[:1]
    if len(kept) > 1:
        names = [table.headers[c.index] for c in kept]
        raise MselError(f"{table.path}: columns {' and '.join(repr(n) for n in names)} both read as {key}; "
                        f"say which with --column {key}=\"{names[0]}\" (and --column skip=\"{names[1]}\"), or "
                        "rename one")
    for candidate in group:
        if candidate is not kept[0]:
            header = table.headers[candidate.index]
            chosen = table.headers[kept[0].index]
            why = "is empty" if not cells.of(candidate.index) else f'is a weaker match than "{chosen}"'
            out.notes.append(f'{table.path}: column "{header}" also reads as {key} but {why}; not carried over')
    return kept[0].index


def _prose_column(table: Table, unknown: list[int], cells: _Cells, out: Roles) -> None:
    """With no text column, the one unknown column of prose is the text; two or more are refused."""
    if "say" in out.columns:
        return
    prose = [i for i in unknown if _share(cells.of(i), is_prose) >= 0.5
             and not set(normalise(table.headers[i]).split()) & set(_NOTES)]
    if not prose:
        return
    if len(prose) > 1:
        names = " and ".join(f'"{table.headers[i]}"' for i in prose)
        raise MselError(f"{table.path}: no column is named as the inject text, and {names} both hold prose; "
                        f"say which with --column say=\"{table.headers[prose[0]]}\"")
    out.columns["say"] = prose[0]
    unknown.remove(prose[0])
    header = table.headers[prose[0]]
    out.notes.append(f'{table.path}: column "{header}" read as the inject text: its header is not one tabletop '
                     f'knows, but it is the one column of prose (pass --column skip="{header}" to drop it)')


def _in_game_date(table: Table, cells: _Cells, out: Roles) -> None:
    """A Date column of in-game moments: the story's date beside a time column, else the time column itself."""
    index = out.columns.get("date")
    if index is None:
        return
    values = cells.of(index)
    if not values or _share(values, _day_and_clock) < 0.5:
        return
    header = table.headers[index]
    del out.columns["date"]
    if "time" in out.columns or "real" in out.columns:
        out.columns["game-date"] = index
        out.notes.append(f'{table.path}: column "{header}" holds days and times of the story (like '
                         f"{values[0]!r}), not dates of the exercise; put before each inject's text")
    else:
        out.columns["time"] = index
        out.notes.append(f'{table.path}: column "{header}" holds a day and a time (like {values[0]!r}); read as '
                         "the time column")


def _day_and_clock(value: Any) -> bool:
    """`Monday 9:30 AM`, `Day 2 08:00`: a day and a time of day in one cell."""
    if not isinstance(value, str):
        return False
    try:
        reading = read_time(value)
    except TimeFormatError:
        return False
    return reading.kind == "clock" and reading.day is not None


def repeats_header(values: list[Any], headers: list[str]) -> bool:
    """A row that is the header again (a printed page's header, a second header line): two or more of its
    cells are header names, and none of them is anything else."""
    names = 0
    for index, value in enumerate(values):
        if not filled(value):
            continue
        if not isinstance(value, str):
            return False
        text = normalise(value)
        own = normalise(headers[index]) if index < len(headers) else ""
        if text and (text == own or text in ALIASES or text in SECOND_CHOICE):
            names += 1
        else:
            return False
    return names >= 2
