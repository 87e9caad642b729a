"""A scenario as MSEL rows, written as CSV or XLSX.

One row per inject, in the scenario's order. Scheduled injects show their
scenario time (and the real time when the scenario has an anchor);
contingency injects leave both empty and say when they fire in the
Condition column ("after failover-decision=hold +30m"). Every text cell goes
through the formula guard, so a spreadsheet never runs an inject's text.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import gc
import io
import re
import sys
from pathlib import Path
from typing import Any

from engine.model import Inject, Scenario
from engine.msel.columns import EXPORT_COLUMNS, guard
from engine.msel.meta import meta_rows
from engine.msel.times import format_offset, format_wall, parse_anchor

# What an XLSX cell cannot hold (XML 1.0 has no place for these control characters).
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class XlsxTextError(ValueError):
    """Text with a control character that an XLSX cell cannot hold; the message names the inject."""


def condition_text(inject: Inject) -> str:
    """`after STEP`, `after DECISION=OPTION`, plus ` +DELAY` for a relative time."""
    after = inject.after
    if after is None:
        return ""
    if after.decision:
        text = f"after {after.decision}={after.option}" if after.option else f"after {after.decision}"
    else:
        text = f"after {after.step or ''}"
    if inject.at and inject.at[0] == "relative":
        text += " " + format_offset(inject.at[1], sign="+")
    return text


def inject_row(number: int, inject: Inject, anchor: dt.datetime | None) -> list[str]:
    """The cells of one inject, unguarded, in EXPORT_COLUMNS order."""
    time = real = ""
    if inject.at and inject.at[0] == "absolute":
        time = format_offset(inject.at[1])
        if anchor is not None:
            real = format_wall(anchor + dt.timedelta(seconds=inject.at[1]))
    elif inject.at and inject.after is None:  # relative with no condition: keep it visible
        time = format_offset(inject.at[1], sign="+")
    cells = {
        "number": str(number),
        "time": time,
        "real": real,
        "event": inject.event or "",
        "services": "; ".join(f"{k}={v}" for k, v in inject.services.items()),
        "to": inject.to or "",
        "subject": inject.title or "",
        "say": inject.say or "",
        "expect": inject.expect or "",
        "objectives": "; ".join(inject.objectives),
        "condition": condition_text(inject),
        "id": inject.id,
    }
    return [cells[key] for key, _ in EXPORT_COLUMNS]


def rows(scenario: Scenario) -> list[list[str]]:
    """Header and one row per inject, every cell guarded against formulas."""
    anchor = parse_anchor(scenario.anchor) if scenario.anchor else None
    out = [[header for _, header in EXPORT_COLUMNS]]
    for number, inject in enumerate(scenario.injects, start=1):
        out.append([guard(cell) for cell in inject_row(number, inject, anchor)])
    return out


def scenario_rows(scenario: Scenario) -> list[list[str]]:
    """The scenario's own fields as key/value rows (meta.py reads them back), guarded."""
    values = {"scenario": scenario.scenario, "title": scenario.title, "summary": scenario.summary or "",
              "runbooks": "; ".join(scenario.runbooks), "duration": _duration(scenario),
              "anchor": scenario.anchor or ""}
    return [[guard(cell) for cell in row] for row in meta_rows(values)]


def _duration(scenario: Scenario) -> str:
    from engine.duration import format_duration

    return format_duration(scenario.duration) if scenario.duration is not None else ""


def to_csv(scenario: Scenario) -> str:
    """RFC 4180 CSV (CRLF line ends, quotes where needed): the scenario's fields, a blank row, the MSEL.

    The caller adds a BOM for Excel.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(scenario_rows(scenario))
    writer.writerow([])
    writer.writerows(rows(scenario))
    return buffer.getvalue()


def _xlsx_safe(sheet: str, grid: list[list[str]]) -> None:
    """Refuse text an XLSX cell cannot hold, naming the sheet and cell. Raises XlsxTextError."""
    from openpyxl.utils import get_column_letter

    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            bad = _NOT_IN_XLSX.search(value)
            if bad:
                raise XlsxTextError(f"sheet {sheet!r}, cell {get_column_letter(c)}{r}: the text holds the control "
                                    f"character U+{ord(bad.group()):04X}, which an XLSX file cannot store; remove "
                                    "it from the scenario, or export CSV")


def write_xlsx(scenario: Scenario, path: Path) -> None:
    """An XLSX workbook: the MSEL sheet, and a Scenario sheet with the scenario's fields. Every cell is a string
    cell, never a formula. Raises XlsxTextError for a control character a cell cannot hold."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    grid, about = rows(scenario), scenario_rows(scenario)
    _xlsx_safe("MSEL", grid)
    _xlsx_safe("Scenario", about)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "MSEL"
    widths = {"number": 8, "time": 13, "real": 22, "say": 70, "expect": 50, "services": 34, "condition": 34}
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # never "f": a guarded cell is text, whatever it starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
    for c, (key, _) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = widths.get(key, 18)
    sheet.freeze_panes = "A2"
    meta = book.create_sheet("Scenario")
    for r, row in enumerate(about, start=1):
        for c, value in enumerate(row, start=1):
            meta.cell(row=r, column=c).value = value
            meta.cell(row=r, column=c).data_type = "s"
    meta.column_dimensions["A"].width = 12
    meta.column_dimensions["B"].width = 80
    if scenario.anchor:  # a fixed timestamp keeps the file from changing on every export
        stamp = parse_anchor(scenario.anchor).astimezone(dt.UTC).replace(tzinfo=None)
        book.properties.created = book.properties.modified = stamp
    # Built in memory, then written in one go: a ZipFile left open on a full disk would try to write its
    # directory again when collected, and print a traceback after the one-line error.
    buffer = io.BytesIO()
    _save(book, buffer)
    path.write_bytes(buffer.getvalue())


def _save(book: Any, buffer: io.BytesIO) -> None:
    """`book.save(buffer)`; raises OSError when openpyxl cannot write its temporary files (a full /tmp).

    openpyxl writes each sheet through lxml into a temporary file; when that fails, lxml raises its own
    error, and the sheet writers it leaves behind raise it again when collected ("Exception ignored in").
    They are collected here, that second report silenced, and the failure becomes one OSError.
    """
    try:
        from lxml.etree import SerialisationError  # type: ignore[import-untyped]
    except ImportError:  # openpyxl without lxml writes through the standard library: OSError only
        SerialisationError = OSError  # noqa: N806
    try:
        book.save(buffer)
        return
    except SerialisationError as exc:
        reason = str(exc)
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    code = errno.ENOSPC if "ENOSPC" in reason else errno.EFBIG if "EFBIG" in reason else errno.EIO
    raise OSError(code, f"the spreadsheet's temporary files could not be written ({reason})")
