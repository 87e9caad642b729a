"""Read an MSEL file (CSV, XLSX, or the JSON of chat-based exercise runners) into rows with positions.

The header is the first row that names at least two MSEL columns; rows above
it are the banner (a workbook title, or `Title: ...` lines that carry the
scenario's metadata, see meta.py). Reading refuses what it cannot carry over
faithfully, naming the place: text that is not UTF-8 (unless an encoding is
given), merged cells at or below the header, formula cells, a row with more
cells than the header. It does not interpret cells; convert.py does.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.bounds import MAX_MSEL_COLUMNS, MAX_MSEL_ROWS
from engine.msel import MselError
from engine.msel.columns import choices_of

MAX_BYTES = 20 * 1024 * 1024  # an MSEL of a thousand injects is well under 1 MB
FORMATS = ("csv", "xlsx", "json")
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}
_HEADER_SEARCH = 50  # rows looked at for the header


@dataclass
class Limits:
    """How much an import reads (engine/bounds.py; `--max-rows`, `--max-columns` raise them), and where it
    says how far it got (a callable taking a line of text, e.g. engine.terminal.Progress)."""

    rows: int = MAX_MSEL_ROWS
    columns: int = MAX_MSEL_COLUMNS
    progress: Callable[[str], None] | None = None

    def record(self, path: str, count: int, number: int, values: list[Any]) -> None:
        """Check the `count`-th record read (file row `number`); raises MselError past a bound."""
        if count > self.rows + _HEADER_SEARCH:  # the banner above the header may take _HEADER_SEARCH rows
            raise MselError(f"{path}: more than {self.rows:,} rows; an MSEL import reads at most {self.rows:,} "
                            "(engine/bounds.py); pass --max-rows N to read more")
        if len(values) > self.columns and any(filled(v) for v in values[self.columns:]):
            raise MselError(f"{path}: row {number} has a value past column {self.columns:,}; an MSEL import "
                            f"reads at most {self.columns:,} columns (engine/bounds.py); pass --max-columns N "
                            "to read more")
        if self.progress is not None and count % 500 == 0:
            self.progress(f"reading {Path(path).name}: row {number:,}")


@dataclass
class Row:
    number: int  # as the user sees it: the spreadsheet row, the CSV record, the JSON list position
    values: list[Any]


@dataclass
class Table:
    path: str
    kind: str  # csv | xlsx | json
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)  # XLSX column letters, by header index
    banner: list[Row] = field(default_factory=list)  # rows above the header
    header_row: int = 1
    meta: list[Row] = field(default_factory=list)  # a workbook's "Scenario" sheet
    notes: list[str] = field(default_factory=list)  # what reading decided: the sheet, hidden columns

    def where(self, row: int, column: int) -> str:
        """A cell as the user finds it: `row 5, column "Scenario time"` or `cell B5 ("Scenario time")`."""
        name = self.headers[column] if column < len(self.headers) else f"#{column + 1}"
        if self.kind == "xlsx" and column < len(self.letters):
            return f'cell {self.letters[column]}{row} ("{name}")'
        if self.kind == "json":
            return f'row {row}, key "{name}"'
        return f'row {row}, column "{name}"'


def detect_format(path: str, given: str | None) -> str:
    """csv, xlsx or json: `given`, else from the file's suffix. Raises MselError."""
    if given:
        return given
    kind = _SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        raise MselError(f"{path}: cannot tell the format from the file name; pass --format csv, xlsx or json")
    return kind


def read_table(path: str, kind: str, *, encoding: str | None = None, sheet: str | None = None,
               limits: Limits | None = None) -> Table:
    """The file's header and rows. Raises MselError (missing, too big, unreadable, malformed, past `limits`)."""
    limits = limits or Limits()
    p = Path(path)
    if not p.is_file():
        raise MselError(f"{path}: no such file")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise MselError(f"{path}: the file is {size:,} bytes; the limit for an MSEL is {MAX_BYTES:,}")
    if kind == "xlsx":
        from engine.msel.workbook import read_xlsx

        return read_xlsx(path, sheet, limits)
    raw = p.read_bytes()
    text = decode(path, raw, encoding)
    return _read_json(path, text, limits) if kind == "json" else _read_csv(path, text, limits)


def decode(path: str, raw: bytes, encoding: str | None) -> str:
    """Text from bytes: UTF-8 (a BOM is fine) unless an encoding is given; a clear error otherwise."""
    codec = encoding or "utf-8-sig"
    try:
        return raw.decode(codec)
    except LookupError:
        raise MselError(f"--encoding {encoding}: no such text encoding") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        if encoding:
            raise MselError(f"{path}: line {line}: byte 0x{byte:02x} at offset {exc.start} is not "
                            f"valid {encoding}") from None
        raise MselError(f"{path}: line {line}: byte 0x{byte:02x} at offset {exc.start} is not UTF-8; "
                        "re-save the file as UTF-8 (Excel: CSV UTF-8), or pass --encoding cp1252 "
                        "if it came from Excel on Windows") from None


def _read_csv(path: str, text: str, limits: Limits) -> Table:
    first = next((line for line in text.splitlines() if line.strip(" ,;\t")), "")
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[Any]]] = []
    try:
        for record in reader:
            records.append((len(records) + 1, record))
            limits.record(path, len(records), len(records), record)
    except csv.Error as exc:
        raise MselError(f"{path}: line {reader.line_num}: not readable as CSV: {exc}") from None
    return tabulate(path, "csv", records, limits=limits)


def tabulate(path: str, kind: str, records: list[tuple[int, list[Any]]], letters: list[str] | None = None, *,
             limits: Limits | None = None) -> Table:
    """Split records into the banner, the header and the data rows. Raises MselError for an extra cell, or
    for more data rows than `limits` allows."""
    start = _header_index(records)
    if start is None:
        raise MselError(f"{path}: the file has no rows")
    headers = [str(v).strip() if v is not None else "" for v in records[start][1]]
    while headers and not headers[-1]:
        headers.pop()
    table = Table(path, kind, headers, letters=letters or [], header_row=records[start][0])
    table.banner = [Row(n, list(v)) for n, v in records[:start] if any(filled(c) for c in v)]
    for number, values in records[start + 1:]:
        extra = next((i for i in range(len(headers), len(values)) if filled(values[i])), None)
        if extra is not None:
            place = f"cell {table.letters[extra]}{number}" if kind == "xlsx" and extra < len(table.letters) \
                else f"row {number}"
            raise MselError(f"{path}: {place}: the row has a value in column {extra + 1}, past the header's "
                            f"{len(headers)} columns; an unquoted comma in the text? Quote the text or give "
                            "the column a header")
        table.rows.append(Row(number, list(values)))
    most = (limits or Limits()).rows
    if sum(1 for row in table.rows if any(filled(v) for v in row.values)) > most:
        raise MselError(f"{path}: more than {most:,} rows; an MSEL import reads at most {most:,} "
                        "(engine/bounds.py); pass --max-rows N to read more")
    return table


def _header_index(records: list[tuple[int, list[Any]]]) -> int | None:
    """The first row naming two or more MSEL columns; else the first row with anything in it."""
    first = None
    for index, (_, values) in enumerate(records[:_HEADER_SEARCH]):
        if not any(filled(v) for v in values):
            continue
        if first is None:
            first = index
        known = sum(1 for v in values if isinstance(v, str) and choices_of(v))
        if known >= 2:
            return index
    if first is None:
        first = next((i for i, (_, r) in enumerate(records) if any(filled(v) for v in r)), None)
    return first


def filled(value: Any) -> bool:
    """Whether a cell holds anything: not None, not blank text."""
    return value is not None and (not isinstance(value, str) or value.strip() != "")


# ----- JSON -----


_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON's \ud800 escapes can write half a character; UTF-8 cannot


def _read_json(path: str, text: str, limits: Limits) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MselError(f"{path}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise MselError(f"{path}: the JSON is nested too deeply to be an MSEL (a list of flat rows)") from None
    except ValueError as exc:  # a number of thousands of digits
        raise MselError(f"{path}: not usable JSON: {exc}") from None
    if not isinstance(data, list):
        raise MselError(f"{path}: expected a JSON list of rows (objects with keys like \"#\", \"Subject\", "
                        f"\"Script\"), got {type(data).__name__}")
    headers: dict[str, None] = {}
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise MselError(f"{path}: $[{index - 1}] (row {index}) is {_json_kind(item)}, not an object")
        limits.record(path, index + _HEADER_SEARCH, index, list(item.values()))  # JSON has no banner rows
        for key, value in item.items():
            headers.setdefault(str(key), None)
            if isinstance(value, (dict, list)):
                raise MselError(f"{path}: $[{index - 1}][{json.dumps(key)}] (row {index}) is "
                                f"{_json_kind(value)}; an MSEL cell is text, a number or null")
            for text in (key, value):
                half = _SURROGATE.search(text) if isinstance(text, str) else None
                if half:
                    raise MselError(f"{path}: $[{index - 1}][{json.dumps(key)}] (row {index}) holds "
                                    f"\\u{ord(half.group()):04x}, half of a UTF-16 pair with no other half; "
                                    "it is not text a scenario can hold")
    names = list(headers)
    if not names:
        raise MselError(f"{path}: the file has no rows")
    if len(names) > limits.columns:
        raise MselError(f"{path}: the rows use {len(names):,} different keys; an MSEL import reads at most "
                        f"{limits.columns:,} columns (engine/bounds.py); pass --max-columns N to read more")
    rows = [Row(i, [item.get(k) for k in names]) for i, item in enumerate(data, start=1)]
    return Table(path, "json", names, rows, header_row=0)


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)
