"""MSEL interchange: a scenario as a Master Scenario Events List spreadsheet, and back.

export.py writes a scenario's injects as CSV or XLSX rows (columns.py names
them and guards cells against spreadsheet formulas); table.py reads CSV, XLSX
or the JSON MSEL of chat-based exercise runners into rows with positions;
convert.py turns those rows into scenario data, collecting warnings and
raising MselError, with the row and column, for anything it cannot read.
"""

from __future__ import annotations


class MselError(Exception):
    """A spreadsheet, CSV or JSON MSEL that cannot be converted; the message names the row or cell.

    `notes` and `warnings` carry what the conversion said before it gave up (an unknown column, skipped
    rows): the command prints them before the error, since they often explain it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.notes: list[str] = []
        self.warnings: list[str] = []
