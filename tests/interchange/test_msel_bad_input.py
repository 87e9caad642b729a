"""Broken and odd MSELs: each a one-line error naming the row or cell, exit 2, no output file, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Number,Scenario time,Event,Service changes,Intended player,Inject text,Expected action,ID\n"


def _run(tmp_path: Path, source: Path, *extra: str) -> tuple[int, str, Path]:
    out = tmp_path / "out.yaml"
    code = main(["msel", "import", str(source), "--scenario-id", "bad-input", "--runbook", "inbound-mail-continuity",
                 "--runbooks", str(ROOT / "runbooks"), "-o", str(out), *extra])
    return code, "", out


def _csv(tmp_path: Path, body: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "msel.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def _errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("tabletop: error:")]


def _fails(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: Path, *extra: str) -> str:
    code, _, out = _run(tmp_path, source, *extra)
    errors = _errors(capsys)
    assert code == 2
    assert len(errors) == 1, errors
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.yaml")]  # no temporary left behind
    return errors[0]


def test_missing_time_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,smtp-deferral,,,Mail is late,,a\n", header="Number,Event,Service changes,"
                  "Intended player,Inject text,Expected action,ID\n")
    error = _fails(tmp_path, capsys, source)
    assert "missing required column(s): a time (Time, Scenario time, Real time or Date)" in error
    assert '"Inject text"' in error


def test_missing_text_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,a\n", header="Number,Scenario time,ID\n")
    assert "what happens (Inject text, Script, Title, Event or Service changes)" in _fails(tmp_path, capsys, source)


@pytest.mark.parametrize("cell", ["25 o'clock", "1.5 hours", "T+1:75", "yesterday", "2026-13-45T10:00:00Z"])
def test_odd_time_names_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str) -> None:
    source = _csv(tmp_path, f"1,T+0:00,,,,First,,a\n2,\"{cell}\",,,,Second,,b\n")
    error = _fails(tmp_path, capsys, source)
    assert 'row 3, column "Scenario time"' in error
    assert "T+1:30" in error  # the hint shows what works


def test_iso_time_without_anchor_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,,,First,,a\n2,2026-01-22T20:00:00Z,,,,Second,,b\n")
    error = _fails(tmp_path, capsys, source)
    assert 'row 3, column "Scenario time": a real time with nothing to relate it to; pass --anchor' in error


def test_accepted_time_spellings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = ("1,T+0:00,,,,a,,a\n2,0:10,,,,b,,b\n3,00:20:00,,,,c,,c\n4,T+30m,,,,d,,d\n5,1h,,,,e,,e\n"
            "6,2026-01-22T21:33:00Z,,,,f,,f\n7,2026-01-22 22:03,,,,g,,g\n")
    code, _, out = _run(tmp_path, _csv(tmp_path, body), "--anchor", "2026-01-22T19:33:00Z")
    assert code == 0, capsys.readouterr().err
    from engine.validate import validate

    model = validate([str(out)]).documents[0].model
    assert [i.at[1] for i in model.injects] == [0, 600, 1200, 1800, 3600, 7200, 9000]
    assert model.anchor == "2026-01-22T19:33:00Z"


def test_times_out_of_order_warn_and_keep_file_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,,,a,,a\n2,T+1:30,,,,b,,b\n3,T+1:00,,,,c,,c\n")
    code, _, out = _run(tmp_path, source)
    err = capsys.readouterr().err
    assert code == 0
    assert "rows 3 and 4 are out of time order (T+1:30 then T+1:00); kept in file order" in err
    assert "[inject-order]" in err  # and validate says so too
    from engine.validate import validate

    assert [i.id for i in validate([str(out)]).documents[0].model.injects] == ["a", "b", "c"]


def test_empty_rows_are_skipped_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,,,a,,a\n,,,,,,,\n\n3,,,,,,,\n4,T+0:10,,,,b,,b\n")
    code, _, out = _run(tmp_path, source)
    err = capsys.readouterr().err
    assert code == 0
    assert "row 3 is empty; skipped" in err
    assert "row 5 has only a number; skipped" in err
    assert out.exists()


def test_unknown_columns_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,a,controller notes\n", header="Number,Scenario time,Inject text,Notes\n")
    code, _, _ = _run(tmp_path, source)
    err = capsys.readouterr().err
    assert code == 0
    assert 'column "Notes" is not an MSEL column tabletop knows; its values are not carried over' in err


def test_bad_service_health_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,exchange-online=broken,,a,,a\n")
    error = _fails(tmp_path, capsys, source)
    assert 'row 2, column "Service changes"' in error and "'broken' is not a service health" in error


def test_bad_condition_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,,a,when they feel like it\n", header="Number,Scenario time,Inject text,Condition\n")
    error = _fails(tmp_path, capsys, source)
    assert 'row 2, column "Condition"' in error and "is not a condition" in error


def test_non_utf8_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,,,Caf\u00e9 supplier calls,,a\n", encoding="cp1252")
    error = _fails(tmp_path, capsys, source)
    assert "line 2: byte 0xe9" in error
    assert "re-save the file as UTF-8" in error and "--encoding cp1252" in error


def test_cp1252_csv_with_encoding_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,,,Caf\u00e9 supplier calls \u2013 again,,a\n", encoding="cp1252")
    code, _, out = _run(tmp_path, source, "--encoding", "cp1252")
    assert code == 0, capsys.readouterr().err
    assert "Caf\u00e9 supplier calls \u2013 again" in out.read_text(encoding="utf-8")


def test_csv_with_and_without_bom(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for prefix in ("\ufeff", ""):
        source = tmp_path / "msel.csv"
        source.write_text(prefix + HEADER + "1,T+0:00,,,,a,,a\n", encoding="utf-8")
        out = tmp_path / "out.yaml"
        out.unlink(missing_ok=True)
        code, _, _ = _run(tmp_path, source)
        assert code == 0, capsys.readouterr().err


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,,,a,,a\n")
    out = tmp_path / "out.yaml"
    out.write_text("keep me", encoding="utf-8")
    code, _, _ = _run(tmp_path, source)
    assert code == 2
    assert "exists already" in _errors(capsys)[0]
    assert out.read_text(encoding="utf-8") == "keep me"
    assert _run(tmp_path, source, "--force")[0] == 0
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_unknown_runbook_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,,,a,,a\n")
    out = tmp_path / "out.yaml"
    code = main(["msel", "import", str(source), "--scenario-id", "x", "--runbook", "no-such-runbook",
                 "--runbooks", str(ROOT / "runbooks"), "-o", str(out)])
    assert code == 2
    assert "runbook `no-such-runbook` is not in" in _errors(capsys)[0]
    assert not out.exists()


def test_validation_errors_are_reported_by_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "1,T+0:00,,exchange-onlin=down,,a,,a\n")
    code, _, out = _run(tmp_path, source)
    err = capsys.readouterr().err
    assert code == 1
    assert "tabletop: error: row 2: " in err and "[inject-unknown-service]" in err
    assert out.exists()  # converted whole; the author fixes the service name


# ----- XLSX -----


def _workbook(path: Path, rows: list[list[object]]) -> object:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    return book


XLSX_ROWS: list[list[object]] = [
    ["Number", "Scenario time", "Inject text", "ID"],
    [1, "T+0:00", "The probes fail", "probes"],
    [2, "T+0:30", "The console goes dark", "console"],
]


def test_xlsx_merged_cells_name_the_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "msel.xlsx"
    book = _workbook(path, XLSX_ROWS)
    book.active.merge_cells("C2:D2")  # type: ignore[attr-defined]
    book.save(path)  # type: ignore[attr-defined]
    error = _fails(tmp_path, capsys, path)
    assert "cells C2:D2 are merged" in error


def test_xlsx_formula_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "msel.xlsx"
    book = _workbook(path, XLSX_ROWS)
    book.active["B3"] = "=B2+TIME(0,30,0)"  # type: ignore[attr-defined]
    book.save(path)  # type: ignore[attr-defined]
    error = _fails(tmp_path, capsys, path)
    assert "cell B3 holds a formula" in error


def test_xlsx_odd_time_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "msel.xlsx"
    book = _workbook(path, XLSX_ROWS)
    book.active["B3"] = 99999  # type: ignore[attr-defined]  # neither a 24-hour time nor an Excel date
    book.save(path)  # type: ignore[attr-defined]
    error = _fails(tmp_path, capsys, path)
    assert 'cell B3 ("Scenario time")' in error and "neither a 24-hour time like 1100 nor an Excel date" in error


def test_xlsx_excel_times_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    path = tmp_path / "msel.xlsx"
    book = _workbook(path, [XLSX_ROWS[0], [1, dt.time(0, 0), "a", "a"], [2, dt.time(1, 30), "b", "b"]])
    book.save(path)  # type: ignore[attr-defined]
    code, _, out = _run(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    from engine.validate import validate

    assert [i.at for i in validate([str(out)]).documents[0].model.injects] == [("absolute", 0), ("absolute", 5400)]


def test_not_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "msel.xlsx"
    path.write_text("Number,Scenario time\n", encoding="utf-8")
    assert "not an XLSX workbook (not a zip archive)" in _fails(tmp_path, capsys, path)


# ----- JSON -----


@pytest.mark.parametrize(("text", "expected"), [
    ("[{\"#\": 1,}]", "not JSON: Expecting property name enclosed in double quotes at line 1, column 10"),
    ("{\"rows\": []}", "expected a JSON list of rows"),
    ("[{\"#\": 1, \"Script\": \"x\", \"Real Time\": \"09:00 AM\"}, 7]", "$[1] (row 2) is a number, not an object"),
])
def test_bad_json_msel(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str) -> None:
    path = tmp_path / "msel.json"
    path.write_text(text, encoding="utf-8")
    assert expected in _fails(tmp_path, capsys, path)


def test_json_odd_real_time_names_row_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "msel.json"
    path.write_text('[{"#": 1, "Real Time": "09:00 AM", "Script": "a"}, {"#": 2, "Real Time": "soon", '
                    '"Script": "b"}]', encoding="utf-8")
    assert 'row 2, key "Real Time"' in _fails(tmp_path, capsys, path)


def test_unknown_file_type_needs_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "msel.dat"
    path.write_text(HEADER, encoding="utf-8")
    assert "pass --format csv, xlsx or json" in _fails(tmp_path, capsys, path)


def test_scenario_times_as_tabletop_prints_them(tmp_path: Path) -> None:
    """T+0 and T+1:30 (how tabletop prints scenario time) are valid in scenario YAML too."""
    from engine.validate import validate

    path = tmp_path / "printed.yaml"
    path.write_text("scenario: printed\ntitle: Printed\nrunbooks: [rb]\n"
                    + "injects:\n  - id: a\n    at: T+0\n    say: x\n  - id: b\n    at: T+1:30\n    say: y\n"
                    + "  - id: c\n    at: T+1:30:15\n    say: z\n", encoding="utf-8")
    model = validate([str(path)]).documents[0].model
    assert model is not None
    assert [i.at for i in model.injects] == [("absolute", 0), ("absolute", 5400), ("absolute", 5415)]


@pytest.mark.parametrize("cell", ["99999999999999999999:00", "T+" + "9" * 5000, "9" * 5000])
def test_huge_times_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str) -> None:
    source = _csv(tmp_path, f"1,T+0:00,,,,First,,a\n2,{cell},,,,Second,,b\n")
    assert 'row 3, column "Scenario time"' in _fails(tmp_path, capsys, source)
