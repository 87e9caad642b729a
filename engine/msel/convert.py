"""MSEL rows -> scenario data, with warnings for what is not carried over.

Columns are matched by header (see columns.ALIASES), so tabletop's own
export, hand-made spreadsheets and the chat-runner JSON shape all go through
the same conversion. Placing injects in time:
  - a scenario time (T+1:30, 1:30, 01:30:00, 1h30m) is the inject's `at`;
  - a real date-time needs an anchor: --anchor, or one inferred from rows that
    have both a scenario time and a real time; with no scenario-time column
    at all, the earliest real time is T+0 (and the anchor, when it has a zone);
  - a clock time with no date (07:29 PM, Monday 9:30 AM) is counted from the
    earliest one in the file; a clock that jumps back by more than 12 hours
    from the row before is read as the next day;
  - a condition (`after failover-decision=hold +30m`, `after break-glass-check
    +5m`) makes a contingency inject, its delay the relative `at`.
Injects keep the file's order; rows out of time order are reported and left
for `tabletop validate` (inject-order) to flag.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from engine.model import ID_PATTERN
from engine.msel import MselError
from engine.msel.columns import NOT_CARRIED, TEXT_KEYS, TIME_KEYS, key_of, normalise, unguard
from engine.msel.table import Table
from engine.msel.times import (
    HINT,
    TimeFormatError,
    format_offset,
    format_wall,
    parse_cell,
    parse_offset_text,
    tabletop_at,
)
from engine.scaffold import kebab, unique

_ID = re.compile(ID_PATTERN)
_CONDITION = re.compile(
    r"^after\s+(?P<ref>[A-Za-z0-9_.-]+)\s*(?:=\s*(?P<option>[A-Za-z0-9_.-]+))?\s*(?:done\s*)?"
    r"(?:\+\s*(?P<delay>\S+))?$",
    re.IGNORECASE,
)
_HEALTH = {"up", "degraded", "down"}


@dataclass
class Options:
    scenario_id: str
    runbooks: list[str]
    title: str | None = None
    anchor: dt.datetime | None = None
    duration: str | None = None
    roles: set[str] | None = None  # the runbooks' roles when known: players outside them stay in the text


@dataclass
class Converted:
    data: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the source row of each inject, for reporting findings


@dataclass
class _Draft:
    row: int
    inject: dict[str, Any]
    when: tuple[str, Any] | None = None  # ("offset"|"clock"|"wall", value) before placing


def convert(table: Table, options: Options) -> Converted:
    """Scenario data for the table's rows. Raises MselError naming the row and column."""
    out = Converted(data={})
    columns = _columns(table, out)
    drafts: list[_Draft] = []
    taken: set[str] = set()
    unknown_players: dict[str, list[int]] = {}
    dropped: dict[str, list[int]] = {}
    for row in table.rows:
        cells = {key: _cell(row.values, index) for key, index in columns.items()}
        if not any(_present(v) for v in cells.values()):
            if any(_present(v) for v in row.values):
                continue  # only columns that are not carried over: reported per column already
            out.notes.append(f"{table.path}: row {row.number} is empty; skipped")
            continue
        if all(not _present(v) for k, v in cells.items() if k != "number"):
            out.notes.append(f"{table.path}: row {row.number} has only a number; skipped")
            continue
        for key in _not_carried(table):
            if _present(_cell(row.values, key)):
                dropped.setdefault(table.headers[key], []).append(row.number)
        drafts.append(_row(table, row.number, cells, columns, options, taken, unknown_players))
    if not drafts:
        raise MselError(f"{table.path}: no injects: every row below the header is empty")
    for header, rows in dropped.items():
        out.warnings.append(f"{table.path}: column \"{header}\" is not carried over ({_span(rows)}); "
                            "a scenario has no place for pictures or avatars")
    for player, rows in unknown_players.items():
        out.warnings.append(f"{table.path}: player \"{player}\" ({_span(rows)}) is not a role in the "
                            "runbooks; kept in the inject text instead of `to`")
    anchor = _place(table, drafts, columns, options, out)
    _check_order(table, drafts, out)
    data: dict[str, Any] = {"scenario": options.scenario_id,
                            "title": options.title or _title(options.scenario_id),
                            "runbooks": list(options.runbooks)}
    if options.duration:
        data["duration"] = options.duration
    if anchor is not None:
        data["anchor"] = anchor
    data["injects"] = [d.inject for d in drafts]
    out.data = data
    out.rows = [d.row for d in drafts]
    return out


def _not_carried(table: Table) -> list[int]:
    return [i for i, h in enumerate(table.headers) if normalise(h) in NOT_CARRIED]


def _columns(table: Table, out: Converted) -> dict[str, int]:
    """Which column holds what; unknown columns are reported, duplicates and missing ones refused."""
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        if not header:
            continue
        key = key_of(header)
        if key is None:
            if normalise(header) not in NOT_CARRIED:
                out.warnings.append(f"{table.path}: column \"{header}\" is not an MSEL column tabletop knows; "
                                    "its values are not carried over")
            continue
        if key in columns:
            raise MselError(f"{table.path}: columns \"{table.headers[columns[key]]}\" and \"{header}\" "
                            "both read as the same thing; keep one")
        columns[key] = index
    missing = []
    if not any(k in columns for k in TIME_KEYS) and "condition" not in columns:
        missing.append("a time (Scenario time, Real time or Date)")
    if not any(k in columns for k in TEXT_KEYS):
        missing.append("what happens (Inject text, Script, Event or Service changes)")
    if missing:
        found = ", ".join(f'"{h}"' for h in table.headers if h) or "none"
        raise MselError(f"{table.path}: missing required column(s): {'; '.join(missing)}. Found: {found}")
    return columns


def _cell(values: list[Any], index: int) -> Any:
    if index >= len(values):
        return None
    value = values[index]
    if isinstance(value, str):
        value = unguard(value.strip())
        return value or None
    return value


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _text(value: Any) -> str | None:
    """A text cell as a string (numbers in a text column are text too)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _row(table: Table, number: int, cells: dict[str, Any], columns: dict[str, int], options: Options,
         taken: set[str], unknown_players: dict[str, list[int]]) -> _Draft:
    def where(key: str) -> str:
        return table.where(number, columns[key])

    inject: dict[str, Any] = {}
    ident = _text(cells.get("id")) or _text(cells.get("subject")) or _text(cells.get("event"))
    inject["id"] = unique(kebab(ident, fallback="inject") if ident else f"inject-{len(taken) + 1}", taken)
    draft = _Draft(number, inject)

    condition = _text(cells.get("condition"))
    when = _when(table, number, cells, columns, condition is not None)
    if condition:
        after, delay = _condition(condition, where("condition"))
        if when is not None:
            if when[0] == "relative" and delay is None:
                delay = when[1]
            elif when[0] == "offset" and delay is None:
                # Both a scheduled time and a condition: kept as written; validate's inject-timing explains.
                inject.update(at=tabletop_at("absolute", when[1]), after=after)
                return _Draft(number, _finish(inject, table, number, cells, columns, options, unknown_players),
                              when)
            else:
                key = next(k for k in TIME_KEYS if cells.get(k) is not None)
                raise MselError(f"{table.path}: {where(key)}: a contingency inject's time is the delay in its "
                                f"condition (`{condition} +30m`); leave this time empty")
        inject["at"] = tabletop_at("relative", delay) if delay is not None else None
        inject["after"] = after
    elif when is not None and when[0] == "relative":
        inject["at"] = tabletop_at("relative", when[1])
    else:
        draft.when = when
        inject["at"] = None
    draft.inject = _finish(inject, table, number, cells, columns, options, unknown_players)
    return draft


def _finish(inject: dict[str, Any], table: Table, number: int, cells: dict[str, Any], columns: dict[str, int],
            options: Options, unknown_players: dict[str, list[int]]) -> dict[str, Any]:
    """The inject's content: event, services, player, text, expectation, objectives."""
    def where(key: str) -> str:
        return table.where(number, columns[key])

    event = _text(cells.get("event"))
    if event:
        inject["event"] = _ident(table, event, where("event"))
    services = _text(cells.get("services"))
    if services:
        inject["services"] = _services(services, f"{table.path}: {where('services')}")

    player = _text(cells.get("to"))
    prefix: list[str] = []
    date = _text(cells.get("date")) if any(k in columns for k in ("time", "real")) else None
    if date:
        prefix.append(f"[{date}]")
    if player:
        role = kebab(player, fallback="role")
        if options.roles is not None and role not in options.roles:
            unknown_players.setdefault(player, []).append(number)
            prefix.append(f"For {player}.")
        else:
            inject["to"] = role
    sender = _text(cells.get("from"))
    script = _text(cells.get("say"))
    body = f"{sender}: {script}" if sender and script else (f"From {sender}." if sender else script)
    say = " ".join(prefix + ([body] if body else []))
    if say:
        inject["say"] = say
    expect = _text(cells.get("expect"))
    poll = _text(cells.get("poll"))
    if poll:
        expect = f"{expect} Poll: {poll}" if expect else f"Poll: {poll}"
    if expect:
        inject["expect"] = expect
    objectives = _text(cells.get("objectives"))
    if objectives:
        inject["objectives"] = [_ident(table, o, where("objectives")) for o in re.split(r"[;,\s]+", objectives) if o]
    return {k: v for k, v in inject.items() if v is not None}


def _ident(table: Table, text: str, where: str) -> str:
    ident = text if _ID.match(text) else kebab(text, fallback="")
    if not ident or not _ID.match(ident):
        raise MselError(f"{table.path}: {where}: {text!r} is not an id; use lowercase kebab-case like "
                        "'exchange-online'")
    return ident


def _when(table: Table, number: int, cells: dict[str, Any], columns: dict[str, int],
          contingent: bool) -> tuple[str, Any] | None:
    """The first time cell that is filled, parsed: scenario time, then real time, then date."""
    for key in TIME_KEYS:
        value = cells.get(key)
        if value is None or (key == "date" and ("time" in columns or "real" in columns)):
            continue
        try:
            return parse_cell(value, key)
        except TimeFormatError as exc:
            raise MselError(f"{table.path}: {table.where(number, columns[key])}: {exc}; {HINT}") from None
    if not contingent:
        column = next((k for k in TIME_KEYS if k in columns), None)
        place = table.where(number, columns[column]) if column else f"row {number}"
        raise MselError(f"{table.path}: {place}: no time; give a scenario time like T+1:30, "
                        "or a condition like `after failover-decision=hold +30m`")
    return None


def _condition(text: str, where: str) -> tuple[dict[str, str], int | None]:
    match = _CONDITION.match(text.strip())
    if not match:
        raise MselError(f"{where}: {text!r} is not a condition; write `after STEP +5m` or "
                        "`after DECISION=OPTION +30m`")
    ref, option, delay = match["ref"], match["option"], match["delay"]
    for part in (ref, option):
        if part is not None and not _ID.match(part):
            raise MselError(f"{where}: {part!r} in the condition is not an id (lowercase kebab-case)")
    after = {"decision": ref, "option": option} if option else {"step": ref}
    seconds = None
    if delay is not None:
        try:
            seconds = parse_offset_text(delay)
        except TimeFormatError:
            raise MselError(f"{where}: the delay {delay!r} is not a time; write +30m or +0:30") from None
    return after, seconds


def _services(text: str, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in re.split(r"[;,\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = re.match(r"^([^=:]+?)\s*[=:]\s*(\S+)$", part)
        if not match:
            raise MselError(f"{where}: {part!r} is not a service change; write `exchange-online=down; "
                            "admin-center=degraded`")
        service, health = match.group(1).strip(), match.group(2).lower()
        if health not in _HEALTH:
            raise MselError(f"{where}: {health!r} is not a service health; use up, degraded or down")
        ident = service if _ID.match(service) else kebab(service, fallback="")
        if not ident or not _ID.match(ident):
            raise MselError(f"{where}: {service!r} is not a service id")
        out[ident] = health
    return out


# ----- placing injects in time -----


def _place(table: Table, drafts: list[_Draft], columns: dict[str, int], options: Options,
           out: Converted) -> str | None:
    """Turn each draft's time into `at`; returns the anchor to write (ISO), if one is known."""
    anchor = options.anchor or _inferred_anchor(table, drafts, columns, out)
    walls = [d for d in drafts if d.when and d.when[0] == "wall"]
    clocks = [d for d in drafts if d.when and d.when[0] == "clock"]
    written = anchor
    if walls and anchor is None:
        if any(d.when and d.when[0] == "offset" for d in drafts):
            raise MselError(f"{table.path}: row {walls[0].row}: a real time with nothing to relate it to; "
                            "pass --anchor, or fill its scenario time")
        # No scenario times at all: the earliest real time is T+0, and the anchor if it has a zone.
        anchor = min(_aware(d.when[1], None) for d in walls)  # type: ignore[index]
        written = anchor if any(d.when[1].tzinfo for d in walls) else None  # type: ignore[index]
    for d in walls:
        moment = _aware(d.when[1], anchor)  # type: ignore[index]
        seconds = int((moment - anchor).total_seconds())  # type: ignore[operator]
        if seconds < 0:
            raise MselError(f"{table.path}: row {d.row}: {moment.isoformat()} is before T+0 "
                            f"({anchor.isoformat()}); scenario time cannot be negative")  # type: ignore[union-attr]
        d.inject["at"] = tabletop_at("absolute", seconds)
    _place_clocks(clocks)
    for d in drafts:
        if d.when and d.when[0] == "offset":
            d.inject["at"] = tabletop_at("absolute", d.when[1])
        d.inject = _ordered(d.inject)
    return format_wall(written) if written is not None else None


def _inferred_anchor(table: Table, drafts: list[_Draft], columns: dict[str, int], out: Converted) -> dt.datetime | None:
    """T+0 from rows that give both a scenario time and a real date-time with a zone."""
    if "time" not in columns or "real" not in columns:
        return None
    found: list[tuple[int, dt.datetime]] = []
    for d in drafts:
        if not (d.when and d.when[0] == "offset"):
            continue
        value = _real_of(table, d.row, columns["real"])
        if value is None:
            continue
        try:
            kind, moment = parse_cell(value, "real")
        except TimeFormatError as exc:
            raise MselError(f"{table.path}: {table.where(d.row, columns['real'])}: {exc}; {HINT}") from None
        if kind == "wall" and moment.tzinfo is not None:
            found.append((d.row, moment - dt.timedelta(seconds=d.when[1])))
    if not found:
        return None
    row, anchor = found[0]
    odd = [r for r, a in found if a != anchor]
    if odd:
        out.warnings.append(f"{table.path}: {_span(odd)}: the real time does not match the scenario time "
                            f"with T+0 at {anchor.isoformat()} (from row {row}); the scenario time is kept")
    return anchor


def _real_of(table: Table, number: int, index: int) -> Any:
    row = next(r for r in table.rows if r.number == number)
    return _cell(row.values, index)


def _aware(moment: dt.datetime, reference: dt.datetime | None) -> dt.datetime:
    """A naive date-time is taken in the anchor's zone (UTC when there is none)."""
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=reference.tzinfo if reference and reference.tzinfo else dt.UTC)


def _place_clocks(clocks: list[_Draft]) -> None:
    """Clock times count from the earliest; a jump back of more than 12 hours is the next day."""
    if not clocks:
        return
    day, previous, absolute = 0, None, []
    for d in clocks:
        seconds = d.when[1]  # type: ignore[index]
        if previous is not None and previous - seconds > 12 * 3600 and seconds < 86400:
            day += 1
        previous = seconds
        absolute.append(seconds + day * 86400)
    zero = min(absolute)
    for d, seconds in zip(clocks, absolute, strict=True):
        d.inject["at"] = tabletop_at("absolute", seconds - zero)


_ORDER = ("id", "at", "after", "event", "services", "to", "say", "expect", "objectives")


def _ordered(inject: dict[str, Any]) -> dict[str, Any]:
    return {k: inject[k] for k in _ORDER if inject.get(k) is not None}


def _check_order(table: Table, drafts: list[_Draft], out: Converted) -> None:
    from engine.duration import parse_offset

    latest: tuple[int, int] | None = None
    for d in drafts:
        at = d.inject.get("at")
        if not at or "after" in d.inject:
            continue
        seconds = parse_offset(at)[1]
        if latest is not None and seconds < latest[1]:
            out.warnings.append(
                f"{table.path}: rows {latest[0]} and {d.row} are out of time order "
                f"({format_offset(latest[1])} then {format_offset(seconds)}); kept in file order "
                "(`tabletop validate` warns: inject-order)")
        if latest is None or seconds >= latest[1]:
            latest = (d.row, seconds)


def _span(rows: list[int]) -> str:
    """`row 4` or `rows 4, 7, 9` (at most eight named)."""
    named = ", ".join(str(r) for r in rows[:8]) + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")
    return f"row {named}" if len(rows) == 1 else f"rows {named}"


def _title(scenario_id: str) -> str:
    return scenario_id.replace("-", " ").capitalize()
