"""Read an MSEL file (CSV, XLSX, or the JSON of chat-based exercise runners) into rows with positions.

Reading refuses what it cannot carry over faithfully, naming the place:
text that is not UTF-8 (unless an encoding is given), merged cells, formula
cells. It does not interpret cells; convert.py does.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.msel import MselError

MAX_BYTES = 20 * 1024 * 1024  # an MSEL of a thousand injects is well under 1 MB
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
FORMATS = ("csv", "xlsx", "json")
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}


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

    def where(self, row: int, column: int) -> str:
        """A cell as the user finds it: `row 5, column "Scenario time"` or `cell B5 ("Scenario time")`."""
        name = self.headers[column] if column < len(self.headers) else f"#{column + 1}"
        if self.kind == "xlsx" and column < len(self.letters):
            return f'cell {self.letters[column]}{row} ("{name}")'
        if self.kind == "json":
            return f'row {row}, key "{name}"'
        return f'row {row}, column "{name}"'


def detect_format(path: str, given: str | None) -> str:
    if given:
        return given
    kind = _SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        raise MselError(f"{path}: cannot tell the format from the file name; pass --format csv, xlsx or json")
    return kind


def read_table(path: str, kind: str, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """The file's header and rows. Raises MselError."""
    p = Path(path)
    if not p.is_file():
        raise MselError(f"{path}: no such file")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise MselError(f"{path}: the file is {size:,} bytes; the limit for an MSEL is {MAX_BYTES:,}")
    if kind == "xlsx":
        return _read_xlsx(path, sheet)
    raw = p.read_bytes()
    text = decode(path, raw, encoding)
    return _read_json(path, text) if kind == "json" else _read_csv(path, text)


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


def _read_csv(path: str, text: str) -> Table:
    first = next((line for line in text.splitlines() if line.strip(" ,;\t")), "")
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise MselError(f"{path}: line {reader.line_num}: not readable as CSV: {exc}") from None
    return _tabulate(path, "csv", [(n, r) for n, r in enumerate(records, start=1)])


def _tabulate(path: str, kind: str, records: list[tuple[int, list[Any]]], letters: list[str] | None = None) -> Table:
    """Split records into the header (the first non-empty row) and data rows."""
    start = next((i for i, (_, r) in enumerate(records) if any(_filled(v) for v in r)), None)
    if start is None:
        raise MselError(f"{path}: the file has no rows")
    headers = [str(v).strip() if v is not None else "" for v in records[start][1]]
    while headers and not headers[-1]:
        headers.pop()
    rows = [Row(n, list(values)) for n, values in records[start + 1:]]
    return Table(path, kind, headers, rows, letters or [])


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


# ----- XLSX -----


def _read_xlsx(path: str, sheet_name: str | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _check_zip(path)
    try:
        # Read-only streams the rows; data_only=False so a formula shows up as one and can be refused
        # (data_only would hand over whatever value Excel last cached, or nothing).
        book = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise MselError(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    try:
        if sheet_name is not None:
            if sheet_name not in book.sheetnames:
                raise MselError(f"{path}: no sheet named {sheet_name!r}; it has {', '.join(book.sheetnames)}")
            sheet = book[sheet_name]
        else:
            sheet = book.worksheets[0]
        _refuse_merged(path, getattr(sheet, "_worksheet_path", None))
        records: list[tuple[int, list[Any]]] = []
        width = 0
        for row in sheet.iter_rows():
            values: list[Any] = []
            number = None
            for cell in row:
                if getattr(cell, "row", None) is not None:
                    number = cell.row
                if getattr(cell, "data_type", None) == "f":
                    formula = str(cell.value)[:40]
                    raise MselError(f"{path}: cell {cell.coordinate} holds a formula ({formula}); "
                                    "replace it with its value (copy, paste values)")
                values.append(cell.value)
            if number is not None:
                records.append((number, values))
                width = max(width, len(values))
    finally:
        book.close()
    return _tabulate(path, "xlsx", records, [get_column_letter(i) for i in range(1, width + 1)])


def _check_zip(path: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise MselError(f"{path}: not an XLSX workbook (not a zip archive); for CSV pass --format csv") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise MselError(f"{path}: the workbook unpacks to {unpacked:,} bytes; the limit is {MAX_XLSX_UNPACKED:,}")


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _refuse_merged(path: str, sheet_xml: str | None) -> None:
    """Merged cells hide which row a value belongs to; the read-only reader cannot see them, so look."""
    if not sheet_xml:
        return
    with zipfile.ZipFile(path) as archive:
        try:
            data = archive.read(sheet_xml.lstrip("/"))
        except KeyError:
            return
    match = _MERGE.search(data)
    if match:
        where = match.group(1).decode("ascii")
        raise MselError(f"{path}: cells {where} are merged; unmerge them so every row has its own values")


# ----- JSON -----


def _read_json(path: str, text: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MselError(f"{path}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(data, list):
        raise MselError(f"{path}: expected a JSON list of rows (objects with keys like \"#\", \"Subject\", "
                        f"\"Script\"), got {type(data).__name__}")
    headers: dict[str, None] = {}
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise MselError(f"{path}: row {index} is {type(item).__name__}, not an object")
        for key in item:
            headers.setdefault(str(key), None)
    names = list(headers)
    rows = [Row(i, [_json_cell(item.get(k)) for k in names]) for i, item in enumerate(data, start=1)]
    if not names:
        raise MselError(f"{path}: the file has no rows")
    return Table(path, "json", names, rows)


def _json_cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value
