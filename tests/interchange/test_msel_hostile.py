"""Hostile MSELs: every one gives a scenario or one line naming the file and cell (exit 2), never a traceback;
text from cells reaches stderr with terminal escapes escaped; what XLSX cannot hold is refused on export.
TABLETOP_FUZZ_EXAMPLES=5000 runs the fuzz tests for longer."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cli import main
from engine.msel import MselError

ROOT = Path(__file__).resolve().parents[2]
SHEET = "xl/worksheets/sheet1.xml"


def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Scenario time", "Inject text"], ["T+0:00", "first"], ["T+0:10", "second"]):
        sheet.append(row)
    book.save(path)
    return path


def _patched(path: Path, change: callable[[bytes], bytes], part: str = SHEET) -> Path:  # type: ignore[valid-type]
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _import(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["msel", "import", str(source), "--scenario-id", "hostile", "--runbooks", str(ROOT / "runbooks"),
                 "--runbook", "inbound-mail-continuity", "-o", str(tmp_path / "out.yaml")])
    return code, capsys.readouterr().err


def _one_line(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, err = _import(source, tmp_path, capsys)
    assert "Traceback" not in err
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tabletop: error: {source}"), err
    assert not (tmp_path / "out.yaml").exists()
    return lines[0]


def _cell(xml: bytes, ref: str, replacement: bytes) -> bytes:
    return re.sub(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', replacement, xml, count=1, flags=re.S)


XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')


def _with_doctype(doctype: bytes, entity: bytes) -> callable[[bytes], bytes]:  # type: ignore[valid-type]
    def change(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return doctype + _cell(body, "B2", b'<c r="B2" t="inlineStr"><is><t>' + entity + b"</t></is></c>")
    return change


HOSTILE_XLSX = {
    "a number cell holding text": (lambda x: _cell(x, "A2", b'<c r="A2" t="n"><v>abc</v></c>'), "row 2"),
    "a date cell that is no date": (lambda x: _cell(x, "A2", b'<c r="A2" t="d"><v>not-a-date</v></c>'), "row 2"),
    "a boolean cell holding text": (lambda x: _cell(x, "A3", b'<c r="A3" t="b"><v>maybe</v></c>'), None),
    "a malformed sheet": (lambda x: x[: len(x) // 2], "not readable (the sheet's XML is broken"),
    "an XXE entity": (_with_doctype(XXE, b"&xxe;"), "declares XML entities"),
    "a billion laughs": (_with_doctype(LAUGHS, b"&d;"), "declares XML entities"),
    "a bare number time": (lambda x: _cell(x, "A3", b'<c r="A3"><v>99999</v></c>'), 'cell A3 ("Scenario time")'),
}


@pytest.mark.parametrize("name", list(HOSTILE_XLSX))
def test_hostile_xlsx(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change, expected = HOSTILE_XLSX[name]
    source = _patched(_workbook(tmp_path / "msel.xlsx"), change)
    code, err = _import(source, tmp_path, capsys)
    assert "Traceback" not in err
    assert "root:" not in err  # nothing of /etc/passwd
    if expected is None:  # openpyxl reads it somehow: a scenario or one line, either is fine
        assert code in (0, 2), err
        return
    assert code == 2, err
    errors = [line for line in err.splitlines() if line.startswith("tabletop: error:")]
    assert len(errors) == 1 and expected in errors[0], err


def test_openpyxl_parses_through_defusedxml() -> None:
    from openpyxl import xml

    assert xml.DEFUSEDXML


def test_control_characters_in_cells_are_escaped_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OSC 52 clipboard write, OSC 0 title, clear screen and RLO in a header and a player reach stderr escaped."""
    source = tmp_path / "msel.csv"
    source.write_text("Scenario time,Inject text,Player,Notes\x1b[2J\u202e\n"
                      "T+0,first,\x1b]52;c;cHduZWQ=\x07Boss\x1b]0;owned\x07,x\n", encoding="utf-8")
    code, err = _import(source, tmp_path, capsys)
    assert code == 0, err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "\\x1b]52;c;cHduZWQ=\\x07Boss" in err and "Notes\\x1b[2J\\u202e" in err


def test_control_characters_in_an_error_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "msel.csv"
    source.write_text("Scenario time,Inject text,Service changes\nT+0,a,\x1b[31mexchange=broken\n", encoding="utf-8")
    line = _one_line(source, tmp_path, capsys)
    assert "\x1b" not in line


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 100_000, "nested too deeply"),
    ('[{"#": ' + "9" * 5000 + "}]", "not usable JSON"),
    ('[{"#": 1, "Script": {"deep": [1, 2]}}]', '$[0]["Script"] (row 1) is an object'),
    ('[{"#": 1, "Real Time": true, "Script": "x"}]', 'row 1, key "Real Time"'),
])
def test_deep_huge_or_odd_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str) -> None:
    source = tmp_path / "msel.json"
    source.write_text(text, encoding="utf-8")
    assert expected in _one_line(source, tmp_path, capsys)


def test_extra_cell_names_the_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "msel.csv"
    source.write_text("Scenario time,Inject text\nT+0,one\nT+0:10,Mail is late, says the CEO\n", encoding="utf-8")
    line = _one_line(source, tmp_path, capsys)
    assert "row 3: the row has a value in column 3, past the header's 2 columns; an unquoted comma" in line


def test_extra_xlsx_cell_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    path = _workbook(tmp_path / "msel.xlsx")
    book = load_workbook(path)
    book.active["D3"] = "stray"
    book.save(path)
    assert "cell D3: the row has a value in column 4" in _one_line(path, tmp_path, capsys)


@pytest.mark.parametrize("cell", ["2026-02-30", "31/31/2025", "Day 0", "sometime"])
def test_bad_dates_name_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str) -> None:
    source = tmp_path / "msel.csv"
    source.write_text(f"Date,Time,Inject text\n2025-03-01,08:00,a\n{cell},09:00,b\n", encoding="utf-8")
    assert 'row 3, column "Date"' in _one_line(source, tmp_path, capsys)


def test_no_visible_sheet_and_missing_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path / "msel.xlsx")
    code = main(["msel", "import", str(path), "--sheet", "Nope", "-o", str(tmp_path / "out.yaml"),
                 "--runbooks", str(ROOT / "runbooks")])
    assert code == 2
    assert "no sheet named 'Nope'; it has 'Sheet'" in capsys.readouterr().err


def test_export_refuses_a_control_character_xlsx_cannot_hold(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "ctl.yaml"
    scenario.write_text('scenario: ctl\ntitle: Control\nrunbooks: [rb]\ninjects:\n  - id: a\n    at: T+0\n'
                        '    say: "bell \\a here"\n', encoding="utf-8")
    code = main(["msel", "export", str(scenario), "--format", "xlsx", "-o", str(tmp_path / "ctl.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err == ("tabletop: error: sheet 'MSEL', cell H2: the text holds the control character U+0007, which an "
                   "XLSX file cannot store; remove it from the scenario, or export CSV\n")
    assert not (tmp_path / "ctl.xlsx").exists()
    assert main(["msel", "export", str(scenario), "-o", str(tmp_path / "ctl.csv")]) == 0  # CSV holds it


# ----- fuzz: any bytes as CSV, any cells as rows -----

TRIED = {"count": 0}
_CELL = st.one_of(st.text(max_size=12), st.sampled_from(["T+0", "22:00", "0700", "Day 2 08:00", "210900ZAUG2011",
                                                         "3/14/2025", "+90m", "omitted", "1:30", "12:00 PM", ""]))


@settings(max_examples=int(os.environ.get("TABLETOP_FUZZ_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_CELL, max_size=6), max_size=8),
       header=st.lists(st.sampled_from(["Time", "Date", "Scenario time", "Inject", "Script", "Player", "Status",
                                        "Real time", "Title", "Condition", "Notes", ""]), min_size=1, max_size=6))
def test_fuzzed_csv_gives_a_scenario_or_a_one_line_error(tmp_path_factory: pytest.TempPathFactory,
                                                         rows: list[list[str]], header: list[str]) -> None:
    import csv
    import io

    from engine.msel.convert import Options, convert
    from engine.msel.table import read_table

    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = tmp_path_factory.mktemp("fuzz") / "msel.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    TRIED["count"] += 1
    try:
        convert(read_table(str(path), "csv"), Options("fuzz", ["rb"]))
    except MselError as exc:  # anything else escapes and fails the test; the command escapes newlines in cells
        assert str(exc).startswith(str(path)), str(exc)


def test_json_cell_keys_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "msel.json"
    source.write_text(json.dumps([{"#": 1, "Real Time": "09:00 AM", "Script": "a"}]), encoding="utf-8")
    code, err = _import(source, tmp_path, capsys)
    assert code == 0, err


def test_a_row_with_no_date_among_dated_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "msel.csv"
    source.write_text("Date,Time,Inject text\n,07:00,early\n2025-03-01,08:00,a\n,09:00,b\n", encoding="utf-8")
    assert "row 2, column \"Time\": a time with no date, while row 3 has one" in _one_line(source, tmp_path, capsys)


def test_zoned_and_unzoned_real_times_mix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "msel.csv"
    source.write_text("Real time,Inject text\n2026-01-22T19:33:00Z,a\n2026-01-22 20:03,b\n", encoding="utf-8")
    code, err = _import(source, tmp_path, capsys)
    assert code == 0, err
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "at: T+30m" in text  # the time with no zone is taken in the zone of the others (UTC)
    assert "anchor: '2026-01-22T19:33:00Z'" in text
