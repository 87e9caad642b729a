"""Inputs the importer cannot be sure of: refused at the cell, exit 2, nothing written, with what it read first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.cli import main
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[2]


def _import(tmp_path: Path, source: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "out.yaml"
    code = main(["msel", "import", str(source), "--runbook", "inbound-mail-continuity",
                 "--runbooks", str(ROOT / "runbooks"), "-o", str(out), *extra])
    return code, out


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "msel.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: Path, *extra: str) -> tuple[str, str]:
    """(the one error line, all of stderr) for an import that must exit 2 and write nothing."""
    code, out = _import(tmp_path, source, *extra)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("tabletop: error:")]
    assert code == 2, err
    assert len(errors) == 1, err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.yaml")]
    return errors[0], err


DTGS = ["210900ZAUG2011", "211030ZAUG2011", "231200AUG2014", "220800ZAUG2011"]


@pytest.mark.parametrize("typo", ["231200AUG2014", "231200ZAUG2001", "231200ZAUG2111"])
def test_a_dtg_with_a_typo_in_the_year_is_refused_at_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              typo: str) -> None:
    rows = "".join(f"{n},{d},Flooding update number {n} from the gauge.\n"
                   for n, d in enumerate([*DTGS[:2], typo, DTGS[3]], start=1))
    error, _ = _refused(tmp_path, capsys, _csv(tmp_path, "Serial,INJECT DTG,Message\n" + rows))
    assert 'row 4, column "INJECT DTG"' in error
    assert "days from the other rows" in error and "typo" in error


def test_a_dtg_typo_in_a_workbook_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Serial", "DTG", "Message"])
    for number, dtg in enumerate(DTGS, start=1):
        sheet.append([number, dtg, f"Situation report {number} from the river gauge."])
    path = tmp_path / "msel.xlsx"
    book.save(path)
    error, _ = _refused(tmp_path, capsys, path)
    assert 'cell B4 ("DTG"): 2014-08-23' in error


def test_a_day_past_a_year_is_refused_at_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "Day,Time,Inject text\nDay 1,09:00,Start\nDay 2,09:00,Middle\nDay 400,09:00,End\n")
    error, _ = _refused(tmp_path, capsys, source)
    assert 'row 4, column "Time": this is 399 days after T+0' in error


def test_offsets_past_a_year_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path, "Day,Scenario time,Inject text\nDay 1,T+0,a\nDay 366,T+25:00,b\n")
    error, _ = _refused(tmp_path, capsys, source)
    assert 'row 3, column "Scenario time": this is 366 days after T+0; an exercise spans at most 366 days' in error


def test_two_prose_columns_and_no_text_column_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("#,Time,Situation,Background\n"
            "1,09:00,Staff report mail has stopped arriving.,The gateway was patched last night.\n"
            "2,09:30,The queue passes ten thousand messages.,The vendor has an open incident.\n")
    error, _ = _refused(tmp_path, capsys, _csv(tmp_path, text))
    assert '"Situation" and "Background" both hold prose' in error
    assert '--column say="Situation"' in error
    code, out = _import(tmp_path, tmp_path / "msel.csv", "--column", "say=Situation")
    assert code == 0, capsys.readouterr().err
    assert validate([str(out)]).documents[0].model.injects[1].say == "The queue passes ten thousand messages."


def test_two_text_columns_are_refused_then_settled_by_column(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    text = ("Time,Script,Description\n"
            "09:00,Read this aloud to the players.,Controller background for the cell.\n")
    error, _ = _refused(tmp_path, capsys, _csv(tmp_path, text))
    assert "columns 'Script' and 'Description' both read as say" in error
    assert '--column say="Script"' in error and '--column skip="Description"' in error
    code, out = _import(tmp_path, tmp_path / "msel.csv", "--column", "skip=Description")
    assert code == 0, capsys.readouterr().err
    assert validate([str(out)]).documents[0].model.injects[0].say == "Read this aloud to the players."


def test_an_empty_second_column_is_passed_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _import(tmp_path, _csv(tmp_path, "Time,Script,Description\n09:00,Read this aloud.,\n"))
    err = capsys.readouterr().err
    assert code == 0, err
    assert 'column "Description" also reads as say but is empty' in err


def test_expected_action_and_outcomes_are_two_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Time,Inject text,ExpectedAction,ExpectedOutcomes\n09:00,Mail stops.,Probe from outside,Deferrals seen\n"
    code, out = _import(tmp_path, _csv(tmp_path, text))
    assert code == 0, capsys.readouterr().err
    inject = validate([str(out)]).documents[0].model.injects[0]
    assert inject.expect == "Probe from outside Expected outcome: Deferrals seen"


def test_the_warnings_that_explain_a_refusal_are_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"6/3/2024,{600 + n},Situation update {n} from the field.\n" for n in range(70))
    _, err = _refused(tmp_path, capsys, _csv(tmp_path, "Date,H-Hour,Inject text\n" + rows))
    warning = 'warning: ' + str(tmp_path / "msel.csv") + ': column "H-Hour" is not an MSEL column tabletop knows'
    assert warning in err
    assert err.index(warning) < err.index("tabletop: error:")
    assert "(70 rows: 70 no time)" in err


def test_a_recognised_time_range_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"6/3/2024,{600 + n * 10},Situation update {n} from the field.\n" for n in range(5))  # 600: 0600
    code, out = _import(tmp_path, _csv(tmp_path, "Date,Time (0600-1800),Inject text\n" + rows))
    assert code == 0, capsys.readouterr().err
    assert [i.at[1] for i in validate([str(out)]).documents[0].model.injects] == [0, 600, 1200, 1800, 2400]


def test_column_naming_no_column_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error, _ = _refused(tmp_path, capsys, _csv(tmp_path, "Time,Inject text\n09:00,a\n"), "--column", "say=Narrative")
    assert '--column names no column "narrative"' in error
    error, _ = _refused(tmp_path, capsys, _csv(tmp_path, "Time,Inject text\n09:00,a\n"), "--column", "speech=Time")
    assert "write ROLE=HEADER" in error


def test_a_formula_without_a_saved_value_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from msel_layouts import add_formulas
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["#", "Scenario time", "Inject text"])
    sheet.append([1, "T+0:00", "a"])
    sheet.append([2, "T+0:30", "b"])
    path = tmp_path / "msel.xlsx"
    book.save(path)
    add_formulas(path, {"A3": "A2+1"}, keep_values=False)
    error, _ = _refused(tmp_path, capsys, path)
    assert "cell A3 holds a formula with no saved value" in error


def test_an_excel_date_time_far_from_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Real time", "Inject text"])
    sheet.append([dt.datetime(2025, 3, 14, 9), "a"])
    sheet.append([dt.datetime(2052, 3, 14, 10), "b"])
    sheet.append([dt.datetime(2025, 3, 14, 11), "c"])
    path = tmp_path / "msel.xlsx"
    book.save(path)
    error, _ = _refused(tmp_path, capsys, path)
    assert 'cell A3 ("Real time"): 2052-03-14 10:00' in error


def test_a_long_header_with_a_role_word_is_not_that_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`Player Response` holds what players said, not who the inject is for; `Objective Met?` is no objective."""
    text = ("Time,Inject text,Player Response,Objective Met?\n"
            "09:00,The gateway defers all inbound mail.,Acknowledged,Yes\n")
    code, out = _import(tmp_path, _csv(tmp_path, text))
    err = capsys.readouterr().err
    assert code == 0, err
    inject = validate([str(out)]).documents[0].model.injects[0]
    assert inject.say == "The gateway defers all inbound mail." and inject.to is None and not inject.objectives
    assert 'column "Player Response" is not an MSEL column tabletop knows' in err


def test_cjk_prose_under_an_unknown_header_is_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "No,Time,状況\n1,09:00,河川の水位が警戒レベルを超えました\n2,09:30,堤防から漏水が確認されました\n"
    code, out = _import(tmp_path, _csv(tmp_path, text))
    assert code == 0, capsys.readouterr().err
    assert validate([str(out)]).documents[0].model.injects[1].say == "堤防から漏水が確認されました"


@pytest.mark.parametrize("cell", ["9999-12-31T23:59:00", "0001-01-01T00:00:00Z", "311200ZDEC9999",
                                  "12/31/9999 8:00 AM"])
def test_a_date_outside_the_years_a_scenario_can_hold_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 cell: str) -> None:
    error, _ = _refused(tmp_path, capsys, _csv(tmp_path, f"Real time,Inject text\n{cell},a\n{cell},b\n"))
    assert 'row 2, column "Real time"' in error and "is outside the years 1900 to 2999" in error
