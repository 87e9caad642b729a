"""MSEL rows -> scenario data, with notes and warnings for what is read how, and what is not carried over.

Columns are matched by header (columns.py), so tabletop's own export,
hand-made spreadsheets and the chat-runner JSON shape all go through the same
conversion. Placing injects in time is schedule.py's job: the time column is
read as clock times or as offsets from T+0 (decided from its cells and said on
stderr), Date columns and `Day 2` give the day, and a night shift runs forward
over midnight. A condition (`after failover-decision=hold +30m`, `after
break-glass-check +5m`) makes a contingency inject, its delay the relative `at`.
Rows that cannot be scheduled (marked omitted, or with no time) are skipped
with a note each, or refused with --strict. Injects keep the file's order;
rows out of time order are reported and left for `tabletop validate`
(inject-order) to flag.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from engine.model import ID_PATTERN
from engine.msel import MselError
from engine.msel.columns import NOT_CARRIED, TEXT_KEYS, TIME_KEYS, normalise, unguard
from engine.msel.meta import Meta, read_meta
from engine.msel.roles import assign, repeats_header
from engine.msel.schedule import Slot, decide, place
from engine.msel.table import Table
from engine.msel.times import (
    HINT,
    Reading,
    TimeFormatError,
    format_offset,
    format_wall,
    parse_anchor,
    parse_offset_text,
    read_date,
    read_time,
    tabletop_at,
)
from engine.msel.zones import zone_named
from engine.scaffold import kebab, unique

_ID = re.compile(ID_PATTERN)
_CONDITION = re.compile(
    r"^after\s+(?P<ref>[A-Za-z0-9_.-]+)\s*(?:=\s*(?P<option>[A-Za-z0-9_.-]+))?\s*(?:done\s*)?"
    r"(?:\+\s*(?P<delay>\S+))?$",
    re.IGNORECASE,
)
_HEALTH = {"up", "degraded", "down"}
_OMITTED = {"omitted", "omit", "cancelled", "canceled", "deleted", "removed", "skip", "skipped", "n a", "na",
            "not used", "tbd", "tba", "void", "dropped"}


@dataclass
class Options:
    scenario_id: str | None = None
    runbooks: list[str] = field(default_factory=list)
    title: str | None = None
    anchor: dt.datetime | None = None
    duration: str | None = None
    roles: set[str] | None = None  # the runbooks' roles when known: players outside them stay in the text
    times: str | None = None  # "clock" | "offset": how to read the time column, instead of deciding
    strict: bool = False  # refuse rows that cannot be scheduled instead of skipping them
    columns: dict[str, str] = field(default_factory=dict)  # --column: normalised header -> role (roles.py)
    timezone: str | None = None  # --timezone: the IANA zone of the file's local clock times (zones.py)


@dataclass
class Converted:
    data: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the source row of each inject, for reporting findings
    meta: Meta = field(default_factory=Meta)


@dataclass
class _Draft:
    row: int
    inject: dict[str, Any]
    slot: Slot | None = None  # scheduled injects: the time to place; contingency injects have none


def convert(table: Table, options: Options) -> Converted:
    """Scenario data for the table's rows. Raises MselError naming the row and column; the error's
    `notes` and `warnings` hold what was said before it (they often explain it)."""
    out = Converted(data={}, notes=[f"{table.path}: {n}" for n in table.notes])
    try:
        return _convert(table, options, out)
    except MselError as exc:
        exc.notes, exc.warnings = out.notes, out.warnings
        raise


def _convert(table: Table, options: Options, out: Converted) -> Converted:
    columns = _columns(table, options, out)
    out.meta = meta = read_meta(table)
    drafts = _drafts(table, columns, options, out)
    if not drafts:
        raise MselError(f"{table.path}: no injects: {_why_none(table, columns, out)}")
    anchor = options.anchor or _meta_anchor(table, meta)
    written = _schedule(table, drafts, columns, options, anchor, out)
    for d in drafts:
        d.inject = _ordered(d.inject)
    _check_order(table, drafts, out)
    data: dict[str, Any] = {"scenario": options.scenario_id or meta.values.get("scenario") or "msel",
                            "title": options.title or meta.values.get("title") or meta.banner_title or ""}
    if not data["title"]:
        data["title"] = _title(data["scenario"])
    if meta.values.get("summary"):
        data["summary"] = meta.values["summary"]
    data["runbooks"] = list(options.runbooks)
    duration = options.duration or _meta_duration(table, meta)
    if duration:
        data["duration"] = duration
    if written is not None:
        data["anchor"] = format_wall(written)
    data["injects"] = [d.inject for d in drafts]
    out.data = data
    out.rows = [d.row for d in drafts]
    return out


def _meta_anchor(table: Table, meta: Meta) -> dt.datetime | None:
    text = meta.values.get("anchor")
    if not text:
        return None
    try:
        return parse_anchor(text)
    except TimeFormatError as exc:
        raise MselError(f"{table.path}: row {meta.rows['anchor']}: the anchor {exc}") from None


def _zone(table: Table, options: Options, meta: Meta, header: str) -> dt.tzinfo | None:
    """The zone of the file's local times: --timezone, a Time zone row, or UTC when the time column's header
    says so (`Real time (UTC)`, `Time Z`); None when nothing says."""
    if options.timezone:
        return zone_named(options.timezone)
    if not meta.values.get("timezone"):
        words = set(normalise(header).split())
        return dt.UTC if words & {"utc", "gmt", "zulu", "z"} else None
    try:
        return zone_named(meta.values["timezone"])
    except MselError as exc:
        raise MselError(f"{table.path}: row {meta.rows['timezone']}: {exc}") from None


def _meta_duration(table: Table, meta: Meta) -> str | None:
    from engine.duration import DurationError, parse_duration

    text = meta.values.get("duration")
    if not text:
        return None
    try:
        parse_duration(text)
    except DurationError as exc:
        raise MselError(f"{table.path}: row {meta.rows['duration']}: {exc}") from None
    return text.strip()


def _drafts(table: Table, columns: dict[str, int], options: Options, out: Converted) -> list[_Draft]:
    drafts: list[_Draft] = []
    taken: set[str] = set()
    unknown_players: dict[str, list[int]] = {}
    dropped: dict[str, list[int]] = {}
    for row in table.rows:
        cells = {key: _cell(row.values, index) for key, index in columns.items()}
        if not any(_present(v) for v in cells.values()):
            if not any(_present(v) for v in row.values):
                out.notes.append(f"{table.path}: row {row.number} is empty; skipped")
            continue  # else only columns that are not carried over: reported per column below
        if repeats_header(row.values, table.headers):
            out.notes.append(f"{table.path}: row {row.number} repeats the header; skipped")
            continue
        if all(not _present(v) for k, v in cells.items() if k not in ("number", "status")):
            out.notes.append(f"{table.path}: row {row.number} has only a number; skipped")
            continue
        reason = _unschedulable(cells)
        if reason:
            _skip(table, row.number, reason, options, out)
            continue
        for key in _not_carried(table):
            if _present(_cell(row.values, key)):
                dropped.setdefault(table.headers[key], []).append(row.number)
        drafts.append(_row(table, row.number, cells, columns, options, taken, unknown_players))
    for header, rows in dropped.items():
        out.warnings.append(f"{table.path}: column \"{header}\" is not carried over ({_span(rows)}); "
                            "a scenario has no place for pictures or avatars")
    for player, rows in unknown_players.items():
        out.warnings.append(f"{table.path}: player \"{player}\" ({_span(rows)}) is not a role in the "
                            "runbooks; kept in the inject text instead of `to`")
    return drafts


_REASONS = {"has no time": "no time", "is marked": "marked omitted", "repeats the header": "a repeated header",
            "has only a number": "only a number", "is empty": "empty"}


def _why_none(table: Table, columns: dict[str, int], out: Converted) -> str:
    """Why no row became an inject, for the error: the rows' reasons counted, the time column named."""
    counts: dict[str, int] = {}
    for note in out.notes:
        for phrase, reason in _REASONS.items():
            if re.search(rf": row \d+ {phrase}\b.*; skipped", note):
                counts[reason] = counts.get(reason, 0) + 1
                break
    total = sum(counts.values())
    said = ", ".join(f"{n} {r}" for r, n in counts.items())
    time = next((table.headers[columns[k]] for k in TIME_KEYS if k in columns), None)
    hint = f'; the time column read is "{time}"' if time else ""
    return (f"every row below the header is empty or skipped ({total} rows: {said}){hint}; "
            "see the notes and warnings above")


def _unschedulable(cells: dict[str, Any]) -> str | None:
    """Why a row cannot go on the schedule (marked omitted, or no time at all), or None."""
    status = _text(cells.get("status"))
    if status and normalise(status) in _OMITTED:
        return f"is marked {status!r}"
    for key in TIME_KEYS:
        value = _text(cells.get(key))
        if value and normalise(value) in _OMITTED:
            return f"is marked {value!r}"
    if _present(cells.get("condition")):
        return None
    if not any(_present(cells.get(k)) for k in ("time", "real")) and not isinstance(cells.get("date"), dt.datetime):
        return "has no time"
    return None


def _skip(table: Table, number: int, reason: str, options: Options, out: Converted) -> None:
    if options.strict:
        raise MselError(f"{table.path}: row {number} {reason}, and --strict refuses rows that cannot be scheduled")
    out.notes.append(f"{table.path}: row {number} {reason}; skipped (--strict refuses it instead)")


def _not_carried(table: Table) -> list[int]:
    return [i for i, h in enumerate(table.headers) if normalise(h) in NOT_CARRIED]


def _columns(table: Table, options: Options, out: Converted) -> dict[str, int]:
    """Which column holds what (roles.py); refuses a file with no time or no text column."""
    roles = assign(table, options.columns)
    out.notes.extend(roles.notes)
    out.warnings.extend(roles.warnings)
    columns = roles.columns
    if table.kind == "json" and "date" in columns:
        columns["game-date"] = columns.pop("date")  # the chat runners' in-game date: text, not a schedule
    missing = []
    if not any(k in columns for k in TIME_KEYS) and "condition" not in columns:
        missing.append("a time (Time, Scenario time, Real time or Date)")
    if not any(k in columns for k in TEXT_KEYS):
        missing.append("what happens (Inject text, Script, Title, Event or Service changes)")
    if missing:
        found = ", ".join(f'"{h}"' for h in table.headers if h) or "none"
        raise MselError(f"{table.path}: missing required column(s): {'; '.join(missing)}. Found: {found}; "
                        "name a column's role with --column ROLE=HEADER")
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
    if condition:
        _contingency(table, number, cells, columns, inject, condition)
    else:
        draft.slot = _slot(table, number, cells, columns)
    draft.inject = _finish(inject, table, number, cells, columns, options, unknown_players)
    return draft


def _contingency(table: Table, number: int, cells: dict[str, Any], columns: dict[str, int],
                 inject: dict[str, Any], condition: str) -> None:
    """`after` and `at` of a contingency inject; a time cell is the delay (`+30m`) or kept as written."""
    after, delay = _condition(condition, f"{table.path}: {table.where(number, columns['condition'])}")
    key = next((k for k in ("time", "real") if _present(cells.get(k))), None)
    if key is not None:
        reading = _read(table, number, columns, key, cells[key])
        if reading.kind == "plus" and delay is None:
            delay = reading.seconds
        elif reading.kind in ("offset", "either") and delay is None:
            # Both a scheduled time and a condition: kept as written; validate's inject-timing explains.
            inject.update(at=tabletop_at("absolute", reading.seconds), after=after)
            return
        else:
            raise MselError(f"{table.path}: {table.where(number, columns[key])}: a contingency inject's time is "
                            f"the delay in its condition (`{condition} +30m`); leave this time empty")
    inject["at"] = tabletop_at("relative", delay) if delay is not None else None
    inject["after"] = after


def _read(table: Table, number: int, columns: dict[str, int], key: str, value: Any) -> Reading:
    try:
        return read_date(value) if key == "date" else read_time(value)
    except TimeFormatError as exc:
        raise MselError(f"{table.path}: {table.where(number, columns[key])}: {exc}; {HINT}") from None


def _slot(table: Table, number: int, cells: dict[str, Any], columns: dict[str, int]) -> Slot:
    """The row's time cell read, its Date cell beside it, and a real time paired with a scenario time."""
    source = "time" if _present(cells.get("time")) else "real" if _present(cells.get("real")) else None
    reading = _read(table, number, columns, source, cells[source]) if source else None
    date = None
    if "date" in columns and _present(cells.get("date")):
        date = _read(table, number, columns, "date", cells["date"])
        if reading is None and date.moment is not None:
            reading = Reading("wall", moment=date.moment)
    paired = None
    if source == "time" and _present(cells.get("real")):
        real = _read(table, number, columns, "real", cells["real"])
        paired = real.moment if real.kind == "wall" else None
    return Slot(number, reading, date, paired)


def _schedule(table: Table, drafts: list[_Draft], columns: dict[str, int], options: Options,
              anchor: dt.datetime | None, out: Converted) -> dt.datetime | None:
    """Give every scheduled draft its `at`; say how the time column was read. Returns the anchor to write."""
    scheduled = [d for d in drafts if d.slot is not None]
    if not scheduled:
        return anchor
    slots = [d.slot for d in scheduled if d.slot is not None]
    _carry_dates(table, slots, columns)
    key = "time" if "time" in columns else "real" if "real" in columns else "date"
    header = table.headers[columns[key]]
    dated = any(s.date is not None and s.date.kind in ("date", "day") for s in slots)
    try:
        mode, why = decide(slots, header, options.times, dated)
    except MselError as exc:
        raise MselError(f"{table.path}: column \"{header}\": {exc}") from None
    zone = _zone(table, options, out.meta, header)
    placement = place(slots, mode, anchor, lambda row: f"{table.path}: {table.where(row, columns[key])}", zone)
    for draft, seconds in zip(scheduled, placement.seconds, strict=True):
        draft.inject["at"] = tabletop_at("absolute", seconds)
    read_as = "clock times" if mode == "clock" else "time since T+0"
    other = "offset" if mode == "clock" else "clock"
    out.notes.append(f"{table.path}: column \"{header}\" read as {read_as} ({why}); "
                     + "; ".join(placement.notes + [f"pass --times {other} to read it the other way"]))
    return placement.anchor


def _carry_dates(table: Table, slots: list[Slot], columns: dict[str, int]) -> None:
    """A Date cell holds for the rows below it until the next one; day-first when any date says so."""
    if "date" not in columns:
        return
    current = None
    for slot in slots:
        if slot.date is not None:
            current = slot.date
        elif current is not None and slot.time is not None and slot.time.kind != "wall":
            slot.date = current
    _day_first(table, slots, columns)


def _day_first(table: Table, slots: list[Slot], columns: dict[str, int]) -> None:
    """Read 3/4/2025 as 3 April when another date in the column (14/3/2025) can only be day-first."""
    index = columns["date"]
    raw = {r.number: r.values[index] for r in table.rows if index < len(r.values)}
    texts = [str(raw.get(s.row) or "") for s in slots]
    if not any(re.fullmatch(r"\s*(1[3-9]|2\d|3[01])/\d{1,2}/\d{2,4}\s*", t) for t in texts):
        return
    current = None
    for slot in slots:
        value = raw.get(slot.row)
        if _present(value):
            current = read_date(value, day_first=True)
        if current is not None and slot.date is not None and slot.time is not None and slot.time.kind != "wall":
            slot.date = current


def _finish(inject: dict[str, Any], table: Table, number: int, cells: dict[str, Any], columns: dict[str, int],
            options: Options, unknown_players: dict[str, list[int]]) -> dict[str, Any]:
    """The inject's content: title, event, services, player, text, expectation, objectives."""
    def where(key: str) -> str:
        return table.where(number, columns[key])

    title = _text(cells.get("subject"))
    if title:
        inject["title"] = title
    event = _text(cells.get("event"))
    if event:
        inject["event"] = _ident(table, event, where("event"))
    services = _text(cells.get("services"))
    if services:
        inject["services"] = _services(services, f"{table.path}: {where('services')}")
    player = _text(cells.get("to"))
    prefix: list[str] = []
    game_date = _text(cells.get("game-date"))
    if game_date:
        prefix.append(f"[{game_date}]")
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
    outcome = _text(cells.get("outcome"))
    if outcome:
        expect = f"{expect} Expected outcome: {outcome}" if expect else outcome
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




_ORDER = ("id", "title", "at", "after", "event", "services", "to", "say", "expect", "objectives")


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
