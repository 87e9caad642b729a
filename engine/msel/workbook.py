"""Read an MSEL sheet from an XLSX workbook, safely and whole.

- The XML is parsed through defusedxml (openpyxl uses it when it is installed,
  and tabletop depends on it): no entity expansion, no external entities, so an
  XXE or billion-laughs workbook is refused, not expanded.
- The sheet read is `--sheet`, else the active sheet when it is visible, else
  the first visible one; which one, and any hidden sheets passed over, is said.
- Every row the sheet holds is read, whatever its `<dimension>` claims (the
  streaming reader trusts a stale one and stops early unless told not to).
- A sheet called "Scenario" beside it carries the scenario's metadata (meta.py).
- Merged cells at or below the header are refused by cell. A formula cell is read
  as the value the spreadsheet saved with it (a note names the cells); one saved
  without a value is refused by cell.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

from engine.msel import MselError
from engine.msel.table import Limits, Table, tabulate

MAX_XLSX_UNPACKED = 100 * 1024 * 1024
META_SHEET = "Scenario"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_COL = re.compile(rb'<(?:\w+:)?col\s([^>]*)>')
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.DOTALL)
_FORMULA = re.compile(rb'<(?:\w+:)?f[\s>/]')
_VALUE = re.compile(rb'<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is>')


def read_xlsx(path: str, sheet_name: str | None, limits: Limits | None = None) -> Table:
    """The chosen sheet as a Table, with the metadata sheet's rows. Raises MselError (also past `limits`)."""
    limits = limits or Limits()
    from openpyxl import load_workbook
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:
        raise MselError("XLSX import needs openpyxl to parse through defusedxml; install defusedxml and do not set "
                        "OPENPYXL_DEFUSEDXML=False")
    _check_zip(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False)  # a formula's saved value
    except Exception as exc:  # openpyxl and defusedxml raise many kinds for a damaged, foreign or hostile file
        raise MselError(f"{path}: not a readable XLSX workbook ({_reason(exc)})") from None
    try:
        sheet, note = _choose(path, book, sheet_name)
        records, width = _records(path, sheet, limits)
        meta = None
        if META_SHEET in book.sheetnames and sheet.title != META_SHEET:
            meta = _records(path, book[META_SHEET], limits)[0]
        sheet_xml = getattr(sheet, "_worksheet_path", None)
    finally:
        book.close()
    from openpyxl.utils import get_column_letter

    table = tabulate(path, "xlsx", records, [get_column_letter(i) for i in range(1, width + 1)], limits=limits)
    if note:
        table.notes.append(note)
    if meta:
        from engine.msel.table import Row

        table.meta = [Row(n, v) for n, v in meta]
    _check_layout(path, sheet_xml, table)
    return table


def _reason(exc: BaseException) -> str:
    """Why openpyxl could not read it, in a few words; an entity declaration anywhere in the chain is named."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for item in chain:
        name = type(item).__name__
        if "Entities" in name or "DTD" in name or "ExternalReference" in name:
            return "it declares XML entities, which tabletop does not expand"
    text = str(exc).splitlines()[0][:160] if str(exc) else ""
    if type(exc).__name__ == "ParseError":
        return f"the sheet's XML is broken: {text}"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _choose(path: str, book: Any, name: str | None) -> tuple[Any, str | None]:
    """The sheet to read and a note saying which, when that is not plain."""
    if name is not None:
        if name not in book.sheetnames:
            raise MselError(f"{path}: no sheet named {name!r}; it has {', '.join(map(repr, book.sheetnames))}")
        return book[name], None
    visible = [s for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"
               and s.title != META_SHEET]
    if not visible:
        raise MselError(f"{path}: no visible sheet to read; pass --sheet NAME")
    try:
        active = book.active
    except (IndexError, KeyError):
        active = None
    chosen = active if active in visible else visible[0]
    hidden = [s.title for s in book.worksheets if getattr(s, "sheet_state", "visible") != "visible"]
    if len(book.worksheets) == 1 or (chosen is book.worksheets[0] and not hidden and len(visible) == 1):
        return chosen, None
    why = "the active sheet" if chosen is active else "the first visible sheet"
    skipped = f"; hidden sheets passed over: {', '.join(map(repr, hidden))}" if hidden else ""
    return chosen, f"reading sheet {chosen.title!r}, {why}{skipped}; pass --sheet NAME for another"


def _records(path: str, sheet: Any, limits: Limits) -> tuple[list[tuple[int, list[Any]]], int]:
    """Every row of the sheet with its number; the widest row's width. Raises MselError past `limits`."""
    sheet.reset_dimensions()  # read every row, whatever <dimension> says
    records: list[tuple[int, list[Any]]] = []
    width, last = 0, 0
    try:
        for row in sheet.iter_rows():
            values: list[Any] = []
            number = None
            for cell in row:
                if getattr(cell, "row", None) is not None:
                    number = cell.row
                values.append(cell.value)
            if number is not None:
                records.append((number, values))
                width, last = max(width, len(values)), number
                limits.record(path, len(records), number, values)
    except MselError:
        raise
    except Exception as exc:  # a cell whose type and value disagree, a bad date serial, broken XML
        reason = _reason(exc)
        if reason.startswith(("the sheet's XML", "it declares")):
            raise MselError(f"{path}: sheet {sheet.title!r}: not readable ({reason}); re-save the workbook "
                            "from a spreadsheet program") from None
        raise MselError(f"{path}: sheet {sheet.title!r}: row {last + 1}: a cell cannot be read "
                        f"({reason}); re-type that row's cells") from None
    return records, width


def _check_zip(path: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise MselError(f"{path}: not an XLSX workbook (not a zip archive); for CSV pass --format csv") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise MselError(f"{path}: the workbook unpacks to {unpacked:,} bytes; the limit is {MAX_XLSX_UNPACKED:,}")


def _check_layout(path: str, sheet_xml: str | None, table: Table) -> None:
    """Merged cells at or below the header are refused; hidden columns are noted (and read)."""
    if not sheet_xml:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(sheet_xml.lstrip("/"))
    except (KeyError, zipfile.BadZipFile):
        return
    for match in _MERGE.finditer(data):
        first_col, first_row, last_col, last_row = match.groups()
        bottom = int(last_row or first_row)
        if bottom >= table.header_row:
            where = match.group(0).split(b'ref="')[1].rstrip(b'"').decode("ascii")
            raise MselError(f"{path}: cells {where} are merged; unmerge them so every row has its own values")
    _check_formulas(path, data, table)
    for match in _COL.finditer(data):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        bounds = attributes.get(b"min", b""), attributes.get(b"max", b"")
        if attributes.get(b"hidden") not in (b"1", b"true") or not all(b.isdigit() and len(b) < 6 for b in bounds):
            continue
        low, high = int(attributes[b"min"]), int(attributes[b"max"])
        for index in range(low - 1, min(high, len(table.headers))):
            if table.headers[index]:
                table.notes.append(f'column "{table.headers[index]}" ({table.letters[index]}) is hidden in the '
                                   "workbook; read like the others")


def _check_formulas(path: str, data: bytes, table: Table) -> None:
    """Formula cells are read as their saved values (noted); one saved without a value is refused."""
    cells: list[str] = []
    for match in _CELL.finditer(data):
        inner = match.group(2) or b""
        if not _FORMULA.search(inner):
            continue
        ref = dict(_ATTRIBUTE.findall(match.group(1))).get(b"r", b"?").decode("ascii", "replace")
        if not _VALUE.search(inner):
            raise MselError(f"{path}: cell {ref} holds a formula with no saved value; open the workbook in a "
                            "spreadsheet program and save it, or replace the formula with its value (copy, paste "
                            "values)")
        cells.append(ref)
    if cells:
        named = ", ".join(cells[:8]) + (f" and {len(cells) - 8} more" if len(cells) > 8 else "")
        table.notes.append(f"cell{'s' if len(cells) > 1 else ''} {named} hold formulas; the values Excel saved "
                           "with them are read")
