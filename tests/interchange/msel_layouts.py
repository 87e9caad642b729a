"""MSEL layouts whose column names mislead, in the shapes real state, Guard and venue workbooks have.

Each is a msel_corpus.Shape: the rows as typed, the schedule and the texts
import must give. `python tests/interchange/msel_layouts.py DIR` writes them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from msel_corpus import H, Shape, build  # noqa: E402

# The first column is "Inject" and holds the inject number; the narrative sits under a longer header.
INJECT_NUMBER_FIRST = Shape(
    "inject-number-first", "csv",
    [["Inject", "Time", "From", "To", "Event Narrative"],
     ["1.1", "0800", "Controller", "Incident Commander", "The county 911 center reports a levee breach."],
     ["1.2", "0845", "Controller", "Comms Lead", "Local TV asks for a statement on the evacuation."],
     ["2.1", "1000", "SimCell", "Incident Commander", "The shelter at the high school is at capacity."]],
    [0, 45 * 60, 2 * H],
    {"say@0": "Controller: The county 911 center reports a levee breach.", "to@1": "comms-lead",
     "say@2": "SimCell: The shelter at the high school is at capacity."},
    ['column "Inject" holds only numbers (1.1, 1.2, 2.1...): read as the inject number'],
    ["--runbook", "admin-console-loss"],
)

# "Inject" holds the number and the text column's header is one tabletop does not know.
TEXT_UNDER_UNKNOWN_HEADER = Shape(
    "text-under-unknown-header", "xlsx",
    [["Inject", "Time", "Situation"],
     [1, dt.time(9, 0), "Staff report that mail from partners has stopped arriving."],
     [2, dt.time(9, 30), "The gateway queue passes ten thousand deferred messages."],
     [3, dt.time(10, 15), "A partner calls to say their invoices bounce."]],
    [0, 30 * 60, 75 * 60],
    {"say@0": "Staff report that mail from partners has stopped arriving.",
     "say@2": "A partner calls to say their invoices bounce."},
    ['column "Inject" holds only numbers', 'column "Situation" read as the inject text'],
    ["--runbook", "inbound-mail-continuity"],
)

# A state exercise workbook: headers with line breaks and brackets, two expectation columns.
LINE_BREAK_HEADERS = Shape(
    "line-break-headers", "xlsx",
    [["State Full-Scale Exercise 2024 MSEL", None, None, None, None, None],
     ["MSEL\nNo.", "Time\n(0600-1800)", "IMPLEMENTER\n(Actual Narrative)", "Recipient(s)\n(Player)",
      "ExpectedAction", "ExpectedOutcomes"],
     ["001", "0600", "JOC receives a report of a chemical release at the rail yard.", "Incident Commander",
      "Activate the EOC", "EOC active within 1 hour"],
     ["002", "0715", "Hospitals report a surge of patients with breathing problems.", "Comms Lead",
      "Issue a shelter-in-place notice", "Notice out within 30 minutes"],
     ["003", "1130", "The rail operator confirms the tank car is sealed.", "Incident Commander", "", ""]],
    [0, 75 * 60, 5 * H + 30 * 60],
    {"say@0": "JOC receives a report of a chemical release at the rail yard.", "to@0": "incident-commander",
     "expect@0": "Activate the EOC Expected outcome: EOC active within 1 hour", "to@1": "comms-lead"},
    [],
    ["--runbook", "admin-console-loss"],
)

# A T3SF workbook: the Date column holds the day and time in the story, Real Time the schedule.
T3SF_GAME_DAY = Shape(
    "t3sf-game-day", "xlsx",
    [["#", "Real Time", "Date", "Subject", "From", "Player", "Script", "Photo", "Picture Name", "Profile", "Poll"],
     [1, "07:00 PM", "Monday 9:30 AM", "Phishing wave", "SOC", "SOC Analyst",
      "Twelve staff report the same invoice lure.", "", "", "", ""],
     [2, "07:20 PM", "Monday 11:00 AM", "Portal dark", "Vendor", "Security Lead",
      "The security portal stops loading for everyone.", "", "", "", "Freeze changes?"],
     [3, "07:45 PM", "Tuesday 8:00 AM", "Regulator", "Legal", "Compliance Officer",
      "The regulator asks whether logs are retained.", "", "", "", ""]],
    [0, 20 * 60, 45 * 60],
    {"say@0": "[Monday 9:30 AM] SOC: Twelve staff report the same invoice lure.", "to@2": "compliance-officer",
     "expect@1": "Poll: Freeze changes?"},
    ['column "Date" holds days and times of the story'],
    ["--runbook", "security-telemetry-gap"],
)

# The Date column holds the in-game day and time and is the only time column.
GAME_DAY_ONLY = Shape(
    "game-day-only", "csv",
    [["#", "Date", "Subject", "Script"],
     ["1", "Monday 9:30 AM", "Start", "The exercise begins with a quiet morning."],
     ["2", "Monday 2:00 PM", "Alert", "The monitoring dashboard goes red."],
     ["3", "Tuesday 8:00 AM", "Next day", "Overnight the backlog doubled."]],
    [0, 4 * H + 30 * 60, 22 * H + 30 * 60],
    {"title@2": "Next day"},
    ['column "Date" holds a day and a time', "T+0 is 09:30"],
)

# Dates in their own column, the time under a header with a range, a page header pasted in mid-sheet.
TIME_RANGE_HEADER = Shape(
    "time-range-header", "csv",
    [["Date", "Time (0600-1800)", "Inject #", "Description"],
     ["6/3/2024", "0600", "1", "The river gauge passes flood stage."],
     ["", "0900", "2", "Evacuation of the low-lying streets begins."],
     ["Date", "Time (0600-1800)", "Inject #", "Description"],
     ["6/4/2024", "0630", "3", "The levee holds overnight and water recedes."]],
    [0, 3 * H, 24 * H + 30 * 60],
    {"say@2": "The levee holds overnight and water recedes."},
    ["row 4 repeats the header; skipped", 'column "Time (0600-1800)" read as clock times'],
)

# A workbook saved by Excel: formula cells with their cached values.
FORMULAS_WITH_VALUES = Shape(
    "formulas-with-values", "xlsx",
    [["#", "Scenario time", "Inject text"],
     [1, "T+0:00", "Mail deferrals start."],
     [2, "T+0:30", "The console goes dark."],
     [3, "T+1:00", "The provider posts an incident."]],
    [0, 30 * 60, H],
    {"say@1": "The console goes dark."},
    ["hold formulas; the values Excel saved with them are read"],
)

LAYOUTS = [INJECT_NUMBER_FIRST, TEXT_UNDER_UNKNOWN_HEADER, LINE_BREAK_HEADERS, T3SF_GAME_DAY, GAME_DAY_ONLY,
           TIME_RANGE_HEADER, FORMULAS_WITH_VALUES]
FORMULAS = {"formulas-with-values": {"A3": "A2+1", "A4": "A3+1"}}  # cell -> formula kept beside its value


def build_layout(shape: Shape, folder: Path) -> Path:
    """The shape's file; a workbook with formulas gets them written in beside their values."""
    path = build(shape, folder)
    if shape.name in FORMULAS:
        add_formulas(path, FORMULAS[shape.name])
    return path


def add_formulas(path: Path, formulas: dict[str, str], *, keep_values: bool = True) -> None:
    """Turn cells into formula cells the way Excel saves them: `<f>` with the cached `<v>` (or without)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode("utf-8")
    for ref, formula in formulas.items():
        pattern = re.compile(rf'<c r="{ref}"([^>]*)>(<v>[^<]*</v>)</c>')
        match = pattern.search(xml)
        assert match, ref
        value = match.group(2) if keep_values else ""
        xml = xml[:match.start()] + f'<c r="{ref}"{match.group(1)}><f>{formula}</f>{value}</c>' + xml[match.end():]
    parts[sheet] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for item in LAYOUTS:
        print(build_layout(item, target))
