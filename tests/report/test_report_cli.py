"""`tabletop report`: files written, what is replaced and what is not, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.report.render import pdf_available

DATA = Path(__file__).resolve().parent / "data"
FILES = ["--scenario", str(DATA / "files" / "scenarios" / "m365-na-outage-2026-01-22.yaml"),
         "--runbooks", str(DATA / "files" / "runbooks")]


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "drill-20260122.jsonl"
    shutil.copyfile(DATA / "golden.jsonl", path)
    return path


def test_format_all_writes_the_reports_named_after_the_log(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(log), "--format", "all", *FILES]) == 0
    folder = log.parent / "exports" / "reports"
    written = sorted(p.name for p in folder.iterdir())
    expected = ["drill-20260122.html", "drill-20260122.json", "drill-20260122.md"]
    if pdf_available() is None:
        expected.append("drill-20260122.pdf")
        assert (folder / "drill-20260122.pdf").read_bytes().startswith(b"%PDF")
    assert written == expected
    out = capsys.readouterr()
    assert out.out.count("wrote exports/reports/") == len(expected)
    if pdf_available() is None:
        assert out.err == ""
    else:  # without WeasyPrint the other formats are still written, and one line says why there is no PDF
        assert out.err.startswith("tabletop: note: no PDF: ") and out.err.count("\n") == 1


def test_a_previous_report_of_the_same_drill_is_replaced(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(log), "--format", "all", *FILES]) == 0
    capsys.readouterr()
    assert main(["report", str(log), "--format", "all", *FILES]) == 0
    assert capsys.readouterr().out.count("(replaced the previous report)") >= 3


def test_a_file_that_is_not_our_report_is_never_overwritten(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = log.parent / "notes.md"
    target.write_text("my own notes\n")
    assert main(["report", str(log), "--format", "md", "-o", str(target), *FILES]) == 2
    assert target.read_text() == "my own notes\n"
    assert "is not a report of this drill" in capsys.readouterr().err
    assert main(["report", str(log), "--format", "md", "-o", str(target), "--force", *FILES]) == 0
    assert target.read_text().startswith("<!-- tabletop-report drill:")


def test_a_report_of_another_drill_is_not_overwritten(log: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.md"
    other.write_text("<!-- tabletop-report drill:" + "0" * 64 + " -->\n# After-action report\n")
    assert main(["report", str(log), "--format", "md", "-o", str(other), *FILES]) == 2


def test_stdout_and_folder_outputs(log: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["report", str(log), "--format", "json", "-o", "-", *FILES]) == 0
    assert capsys.readouterr().out.startswith('{\n  "report_version": 1,')
    assert main(["report", str(log), "--format", "md", "-o", str(tmp_path / "out") + "/", *FILES]) == 0
    assert (tmp_path / "out" / "drill-20260122.md").is_file()
    assert main(["report", str(log), "--format", "all", "-o", "-"]) == 2


def test_improvement_plan_csv(log: Path) -> None:
    assert main(["report", str(log), "--improvement-plan", "csv", *FILES]) == 0
    csv_bytes = (log.parent / "exports" / "reports" / "drill-20260122-improvement-plan.csv").read_bytes()
    assert csv_bytes.startswith(b"number,issue,corrective action,capability element,owner,due")
    assert csv_bytes.count(b"\r\n") == 8  # the header and seven areas for improvement


def test_template_folder_overrides_the_built_in_templates(log: Path, tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "report.md.j2").write_text("Drill of {{ report.overview.date }}: {{ report.figures.steps_done }} done\n")
    (mine / "report.css").write_text("body { color: #123456; }\n")
    assert main(["report", str(log), "--format", "md", "-o", str(tmp_path / "r.md"), "--template", str(mine),
                 *FILES]) == 0
    assert (tmp_path / "r.md").read_text() == "Drill of 2026-01-22: 36 done\n"
    assert main(["report", str(log), "--format", "html", "-o", str(tmp_path / "r.html"), "--template", str(mine),
                 *FILES]) == 0
    html = (tmp_path / "r.html").read_text()
    assert "#123456" in html and 'id="timeline"' in html  # the built-in page, with the user's stylesheet


@pytest.mark.parametrize("make, code", [
    (lambda d: d / "missing.jsonl", 3),
    (lambda d: (d / "empty.jsonl", (d / "empty.jsonl").write_bytes(b""))[0], 3),
    (lambda d: (d / "bin.jsonl", (d / "bin.jsonl").write_bytes(b"\x00\xff" * 50))[0], 3),
    (lambda d: d, 3),
])
def test_unreadable_logs_exit_3(tmp_path: Path, make, code: int, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["report", str(make(tmp_path))]) == code
    err = capsys.readouterr().err
    assert err.startswith("tabletop: error: ") and err.count("\n") == 1


def test_a_tampered_log_exits_0_with_a_warning(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log.write_bytes(log.read_bytes()[:-25])
    assert main(["report", str(log), "--format", "md", *FILES]) == 0
    err = capsys.readouterr().err
    assert "tabletop: warning: This log is torn" in err
    assert "torn" in (log.parent / "exports" / "reports" / "drill-20260122.md").read_text()[:1500]


def test_usage_errors_exit_2(log: Path) -> None:
    assert main(["report", str(log), "--template", "no-such-folder"]) == 2
    assert main(["report", str(log), "--runbooks", "no-such-folder"]) == 2


def test_help_documents_exit_codes() -> None:
    out = subprocess.run([sys.executable, "-m", "engine", "report", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "exit codes:" in out.stdout and "3  the log cannot be read" in out.stdout
