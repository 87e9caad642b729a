"""A corpus of MSEL shapes as real workbooks have them, made on demand (CSV text, XLSX through openpyxl).

Each Shape holds the rows as a person typed them, how to lay them out (banner
rows, a merged title, hidden columns and sheets, a stale <dimension>), and what
import must give: the scenario time of every inject in seconds, the text kept,
and the lines on stderr. `python tests/interchange/msel_corpus.py DIR` writes
every file into DIR to open in a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

H = 3600


@dataclass
class Shape:
    name: str
    kind: str  # csv | xlsx
    rows: list[list[Any]]  # every row of the sheet, banner rows and header included
    at: list[int]  # scenario seconds of each inject, in file order
    texts: dict[str, str] = field(default_factory=dict)  # "FIELD@INDEX" -> exact text (say, title, expect, to)
    stderr: list[str] = field(default_factory=list)  # substrings every run must print
    args: list[str] = field(default_factory=list)
    anchor: str | None = None  # the anchor import must write (None: none)
    merged: str | None = None  # XLSX: a merged range (a title banner)
    hidden_columns: str | None = None  # XLSX: a column letter to hide
    hidden_first_sheet: bool = False  # XLSX: a hidden "Lookup" sheet before the MSEL, the MSEL active
    stale_dimension: str | None = None  # XLSX: the <dimension ref> to write, smaller than the data
    meta_sheet: list[list[str]] | None = None  # XLSX: rows of a "Scenario" sheet
    delimiter: str = ","  # CSV: the separator (Excel in much of Europe writes ;)


NIGHT = Shape(
    "night-shift", "csv",
    [["Time", "Inject", "Script"],
     ["22:00", "Shift change", "The overnight desk sees mail deferred with 451 4.3.2."],
     ["23:30", "Queue grows", "Partner says: \"our invoices bounce\", twice."],
     ["00:15", "Past midnight", "Still deferring;\nthe relay is idle."],
     ["01:00", "Vendor update", "The provider posts MO1221364."]],
    [0, 90 * 60, 135 * 60, 3 * H],
    {"say@1": "Partner says: \"our invoices bounce\", twice.", "say@2": "Still deferring;\nthe relay is idle.",
     "title@0": "Shift change"},
    ['column "Time" read as clock times', "T+0 is 22:00 (row 2, the earliest)"],
)

THREE_DAYS = Shape(
    "three-days-date-and-time", "csv",
    [["MSEL #", "Date", "Time", "Event Summary", "Script", "Send To"],
     ["1", "3/14/2025", "08:00", "Storm warning", "NWS issues a warning.", "Incident Commander"],
     ["2", "", "16:00", "Power out", "Utility reports outages.", "Comms Lead"],
     ["3", "3/15/2025", "09:00", "Shelter", "Shelter at capacity.", "Incident Commander"],
     ["4", "3/16/2025", "10:00", "Recovery", "Roads reopen.", "Service Desk Lead"]],
    [0, 8 * H, 25 * H, 50 * H],
    {"title@0": "Storm warning", "say@0": "NWS issues a warning.", "to@0": "incident-commander",
     "to@1": "comms-lead"},
    ["T+0 is 2025-03-14 08:00 (row 2, the earliest)", "no time zone"],
    ["--runbook", "admin-console-loss"],
)

DTG = Shape(
    "military-dtg", "xlsx",
    [["Serial", "INJECT DTG", "Subject", "Message", "ExpectedAction"],
     [1, "210900ZAUG2011", "SITREP 1", "Flooding reported at the river gauge.", "Open the EOC"],
     [2, "211030ZAUG2011", "SITREP 2", "Levee seepage.", "Request engineers"],
     [3, "220800ZAUG2011", "SITREP 3", "Water recedes.", "Plan recovery"]],
    [0, 90 * 60, 23 * H],
    {"expect@0": "Open the EOC", "title@2": "SITREP 3"},
    ["T+0 is 2011-08-21T09:00:00+00:00 (row 2, the earliest)"],
    anchor="2011-08-21T09:00:00Z",
)

FOUR_DIGIT = Shape(
    "four-digit-24h", "csv",
    [["No", "EVENT TIME", "Inject", "Expected Outcomes"],
     ["1", "0700", "Alarm", "Acknowledge"], ["2", "0730", "Call", "Escalate"], ["3", "1100", "Update", "Brief"]],
    [0, 30 * 60, 4 * H],
    {"say@0": "Alarm", "expect@2": "Brief"},
    ['column "EVENT TIME" read as clock times (row 2 can only be a time of day)', "T+0 is 07:00"],
)

NUMBERS_AND_EXCEL_TIMES = Shape(
    "numbers-and-excel-times", "xlsx",
    [["#", "ScheduledTime", "Title", "Description", "Target"],
     [1, 900, "Kickoff", "Read the situation", "Incident Commander"],
     [2, dt.time(9, 30), "First alert", "SOC sees nothing", "SOC Analyst"],
     [3, 1100, "Escalation", "Regulator calls", "Compliance Officer"]],
    [0, 30 * 60, 2 * H],
    {"title@1": "First alert", "to@2": "compliance-officer"},
    ['column "ScheduledTime" read as clock times'],
    ["--runbook", "security-telemetry-gap"],
)

AMPM = Shape(
    "am-pm", "csv",
    [["Inject No", "Time", "Inject", "Script", "Expected Action"],
     ["1", "9:00 AM", "Opening", "Staff report slow mail.", "Confirm externally"],
     ["2", "9:45 AM", "Second", "The gateway queue passes 10,000.", "Decide"],
     ["3", "1:15 PM", "Third", "Customers call.", "Notify"]],
    [0, 45 * 60, 4 * H + 15 * 60],
    {"title@0": "Opening", "say@1": "The gateway queue passes 10,000."},
    ["T+0 is 09:00"],
)

OFFSETS = Shape(
    "offsets-every-spelling", "csv",
    [["Scenario time", "Inject text", "ID"],
     ["T+0", "Start", "start"], ["T+0:45", "Later", "later"], ["+90m", "Plus", "plus"],
     ["2h", "Units", "units"], ["1h30m", "Back again", "back"]],
    [0, 45 * 60, 90 * 60, 2 * H, 90 * 60],
    {"say@4": "Back again"},
    ['column "Scenario time" read as time since T+0 (row 2 can only be a time since T+0)',
     "rows 5 and 6 are out of time order"],
)

PLAIN_TIME_OFFSETS = Shape(
    "plain-time-from-zero", "csv",
    [["Time", "Message"],
     ["0:00", "a"], ["0:30", "b"], ["1:15", "c"], ["26:00", "d"]],
    [0, 30 * 60, 75 * 60, 26 * H],
    {"say@3": "d"},
    ['column "Time" read as time since T+0 (row 5 can only be a time since T+0)'],
)

DAY_COLUMN = Shape(
    "day-numbered", "xlsx",
    [["Day", "Time", "Inject", "Script"],
     ["Day 1", dt.time(9, 0), "Brief", "Exercise starts."],
     ["Day 1", dt.time(13, 0), "Afternoon", "Backlog grows."],
     ["Day 2", dt.time(8, 30), "Morning", "Overnight summary."],
     [3, dt.time(9, 0), "Last", "Hot wash."]],
    [0, 4 * H, 23 * H + 30 * 60, 48 * H],
    {"title@2": "Morning", "say@3": "Hot wash."},
    ['column "Time" read as clock times (a date column goes with them)', "T+0 is 09:00 (row 2, the earliest)"],
)

DAY_PREFIX = Shape(
    "day-prefix-in-cell", "csv",
    [["Time", "Subject", "Script"],
     ["Day 1 08:00", "One", "x"], ["Day 1 12:00", "Two", "y"], ["Day 2 08:00", "Three", "z"], ["09:30", "Four", "w"]],
    [0, 4 * H, 24 * H, 25 * H + 30 * 60],
    {"title@3": "Four"},
    ["T+0 is 08:00"],
)

BANNER_MERGED = Shape(
    "banner-and-merged-title", "xlsx",
    [["Springfield County Full-Scale Exercise — MSEL", None, None, None, None],
     ["Controller copy: do not distribute", None, None, None, None],
     [None, None, None, None, None],
     ["MSEL #", "Time", "Event Summary", "Script", "ExpectedAction"],
     [1, "08:00", "Tornado warning", "Sirens sound.", "Activate the EOC"],
     [2, "08:20", "Damage reports", "Calls flood 911.", "Open the shelter"]],
    [0, 20 * 60],
    {"title@0": "Tornado warning", "say@1": "Calls flood 911.", "expect@0": "Activate the EOC"},
    ["T+0 is 08:00"],
    merged="A1:E1",
)

HIDDEN = Shape(
    "hidden-sheet-and-column", "xlsx",
    [["Number", "Time", "Inject", "Script", "Controller notes"],
     [1, "14:00", "Outage", "Mail stops.", "Cue the phone call"],
     [2, "14:10", "Call", "CEO asks for status.", "Play it angry"]],
    [0, 10 * 60],
    {"say@1": "CEO asks for status."},
    ["reading sheet 'MSEL', the active sheet; hidden sheets passed over: 'Lookup'",
     'column "Controller notes" (E) is hidden in the workbook',
     'column "Controller notes" is not an MSEL column tabletop knows'],
    hidden_columns="E", hidden_first_sheet=True,
)

STALE_DIMENSION = Shape(
    "stale-dimension", "xlsx",
    [["Scenario time", "Inject text"],
     ["T+0:00", "one"], ["T+0:10", "two"], ["T+0:20", "three"], ["T+0:30", "four"], ["T+0:40", "five"]],
    [0, 600, 1200, 1800, 2400],
    {"say@4": "five"},
    [],
    stale_dimension="A1:B2",
)

OMITTED = Shape(
    "omitted-and-untimed-rows", "csv",
    [["#", "Time", "Status", "Inject", "Script"],
     ["1", "10:00", "", "First", "Begin."],
     ["2", "", "Omitted", "Cut", "Not played."],
     ["3", "", "", "Spare", "Use if slow."],
     ["4", "N/A", "", "Other", "Never."],
     ["5", "10:40", "Delivered", "Last", "End."]],
    [0, 40 * 60],
    {"title@1": "Last"},
    ["row 3 is marked 'Omitted'; skipped", "row 4 has no time; skipped", "row 5 is marked 'N/A'; skipped"],
)

SERIALS = Shape(
    "excel-date-serials", "xlsx",
    [["Real time", "Inject", "Script"],
     [45731.375, "Open", "Start."],  # 2025-03-15 09:00
     [45731.5, "Noon", "Lunch."],
     [45732.3541666667, "Next day", "08:30 next day."]],
    [0, 3 * H, 23 * H + 30 * 60],
    {"say@2": "08:30 next day."},
    ["T+0 is 2025-03-15 09:00"],
)

ZONED = Shape(
    "iso-zoned-semicolon", "csv",
    [["Real time", "Script", "Intended player"],
     ["2026-01-22T19:33:00Z", "Deferrals start.", "Messaging Lead"],
     ["2026-01-22T20:03:00Z", "Console dark.", "Incident Commander"]],
    [0, 30 * 60],
    {"to@0": "messaging-lead"},
    ["T+0 is 2026-01-22T19:33:00+00:00"],
    anchor="2026-01-22T19:33:00Z", delimiter=";",
)

WEEKDAYS = Shape(
    "weekday-clock", "csv",
    [["Time", "Title", "Script"],
     ["Monday 9:30 AM", "Mon", "a"], ["Monday 4:00 PM", "Mon late", "b"], ["Tuesday 8:00 AM", "Tue", "c"]],
    [0, 6 * H + 30 * 60, 22 * H + 30 * 60],
    {"title@2": "Tue"},
    ["T+0 is 09:30"],
)

EXCEL_DATES_AND_TIMES = Shape(
    "excel-date-and-time-columns", "xlsx",
    [["Date", "Time", "Inject", "Script"],
     [dt.datetime(2025, 6, 2), dt.time(23, 0), "Late", "Night starts."],
     [None, dt.time(23, 45), "Later", "Still going."],
     [dt.datetime(2025, 6, 3), dt.time(6, 0), "Dawn", "Day shift."]],
    [0, 45 * 60, 7 * H],
    {"say@2": "Day shift."},
    ["T+0 is 2025-06-02 23:00"],
)

UNKNOWN_AND_EXTRA_HEADERS = Shape(
    "header-vocabulary", "csv",
    [["MSEL #", "Inject", "Script", "Target", "Expected Outcomes", "Expcted action note", "Time"],
     ["1", "Phish", "A staff member forwards a lure.", "SOC Analyst", "Triage", "x", "13:00"],
     ["2", "Spread", "Three more reports.", "Security Lead", "Contain", "", "13:20"]],
    [0, 20 * 60],
    {"title@0": "Phish", "say@0": "A staff member forwards a lure.", "to@1": "security-lead", "expect@1": "Contain"},
    ['column "Expcted action note" is not an MSEL column tabletop knows'],
    ["--runbook", "security-telemetry-gap"],
)

CORPUS = [NIGHT, THREE_DAYS, DTG, FOUR_DIGIT, NUMBERS_AND_EXCEL_TIMES, AMPM, OFFSETS, PLAIN_TIME_OFFSETS, DAY_COLUMN,
          DAY_PREFIX, BANNER_MERGED, HIDDEN, STALE_DIMENSION, OMITTED, SERIALS, ZONED, WEEKDAYS,
          EXCEL_DATES_AND_TIMES, UNKNOWN_AND_EXTRA_HEADERS]


def build(shape: Shape, folder: Path) -> Path:
    """Write the shape's file into `folder`; returns its path."""
    if shape.kind == "csv":
        import csv

        path = folder / f"{shape.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            rows = [["" if v is None else v for v in row] for row in shape.rows]
            csv.writer(out, delimiter=shape.delimiter).writerows(rows)
        return path
    return _xlsx(shape, folder / f"{shape.name}.xlsx")


def _xlsx(shape: Shape, path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "MSEL"
    for row in shape.rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, dt.time):
                cell.number_format = "hh:mm"
    if shape.merged:
        sheet.merge_cells(shape.merged)
    if shape.hidden_columns:
        sheet.column_dimensions[shape.hidden_columns].hidden = True
    if shape.hidden_first_sheet:
        lookup = book.create_sheet("Lookup", 0)
        lookup.append(["Time", "Script"])
        lookup.append(["00:00", "not the MSEL"])
        lookup.sheet_state = "hidden"
        book.active = 1
    if shape.meta_sheet:
        meta = book.create_sheet("Scenario")
        for row in shape.meta_sheet:
            meta.append(row)
    book.save(path)
    if shape.stale_dimension:
        _restamp_dimension(path, shape.stale_dimension)
    return path


def _restamp_dimension(path: Path, ref: str) -> None:
    """Rewrite the sheet's <dimension ref> the way a careless writer leaves it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), parts[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for item in CORPUS:
        print(build(item, target))
