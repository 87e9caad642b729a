"""A log that fails verification, or whose files are missing or changed, still gives a report that says so first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.drill.log import LogError
from engine.report import render
from engine.report.builder import build_report

DATA = Path(__file__).resolve().parent / "data"
GOLDEN = DATA / "golden.jsonl"


def _copy(tmp_path: Path, lines: list[bytes] | None = None, tail: bytes = b"") -> Path:
    log = tmp_path / "drill.jsonl"
    raw = GOLDEN.read_bytes()
    log.write_bytes((b"".join(lines) if lines is not None else raw) + tail)
    return log


def _first_section(text: str, marker: str) -> str:
    return text[: text.index(marker)]


def test_a_torn_log_says_so_at_the_top(tmp_path: Path) -> None:
    raw = GOLDEN.read_bytes()
    log = tmp_path / "torn.jsonl"
    log.write_bytes(raw[:-40])  # a crash in the middle of writing the last line
    report = build_report(str(log), roots=[str(DATA / "files")])
    total = raw.count(b"\n")
    assert not report.verification.ok and report.verification.torn
    assert report.verification.events_applied == total - 1
    assert report.notices[0].level == "error" and "torn" in report.notices[0].text
    assert f"line {total}" in report.notices[0].text
    md = render.render_markdown(report)
    assert "torn" in _first_section(md, "## 1. Exercise overview")
    html = render.render_html(report)
    assert "torn" in _first_section(html, 'id="overview"')
    assert json.loads(render.render_json(report))["verification"]["torn"] is True


def test_an_edited_log_says_so_at_the_top(tmp_path: Path) -> None:
    lines = GOLDEN.read_bytes().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if b"within 11 minutes" in line)
    lines[index] = lines[index].replace(b"within 11 minutes", b"within 1 minutes!")  # still canonical JSON
    report = build_report(str(_copy(tmp_path, lines)), roots=[str(DATA / "files")])
    notice = report.notices[0]
    assert notice.level == "error" and "failed verification" in notice.text
    # The edited line itself is well formed; the next one no longer chains to it.
    assert f"line {index + 2}" in notice.text and "edited" in notice.text
    assert report.verification.events_applied == index + 1
    assert "Not verified" in _first_section(render.render_markdown(report), "## 1.")
    assert 'class="notice error"' in _first_section(render.render_html(report), 'id="overview"')


def test_an_event_that_cannot_have_happened_stops_the_report_there(tmp_path: Path) -> None:
    from engine.drill import events as ev
    from engine.drill.log import DrillLog, read_log

    read = read_log(str(GOLDEN))
    log = tmp_path / "impossible.jsonl"
    out = DrillLog.create(str(log))
    for event in read.events[:10]:
        out.append(event)
    out.append(ev.Event(10, read.events[9].wall, read.events[9].t, ev.STEP_DONE,
                        {"step": "security-telemetry-gap/report-gap"}))  # waiting, cannot be done
    out.close()
    report = build_report(str(log), roots=[str(DATA / "files")])
    assert report.verification.events_read == 11 and report.verification.events_applied == 10
    assert not report.verification.ok and "event 10" in report.verification.apply_problem
    assert report.notices[0].level == "error"


def test_missing_files_give_a_report_with_ids(tmp_path: Path) -> None:
    report = build_report(str(_copy(tmp_path)), roots=[str(tmp_path)])
    assert report.source.plan_from == "log"
    assert {f.status for f in report.source.files} == {"missing"}
    texts = " ".join(n.text for n in report.notices)
    assert "scenario file scenarios/m365-na-outage-2026-01-22.yaml is missing" in texts
    assert "ids instead of titles" in texts
    assert report.verification.ok  # the log itself is fine
    assert report.overview.scenario_title == "m365-na-outage-2026-01-22"
    assert report.figures.steps_done == 36  # the figures still come from the log
    assert report.not_exercised == [] and report.graphs == []
    md = render.render_markdown(report)
    assert "cannot be listed" in md and "**Warning:**" in _first_section(md, "## 1.")


def test_changed_files_are_stated_and_still_used(tmp_path: Path) -> None:
    files = tmp_path / "files"
    shutil.copytree(DATA / "files", files)
    runbook = files / "runbooks" / "admin-console-loss.yaml"
    runbook.write_text(runbook.read_text().replace("version: 1", "version: 2"))
    report = build_report(str(_copy(tmp_path)), roots=[str(files)])
    assert report.source.plan_from == "files"
    status = {f.id: f.status for f in report.source.files}
    assert status["admin-console-loss"] == "changed" and status["inbound-mail-continuity"] == "same"
    assert any("has changed since the drill started" in n.text for n in report.notices)


@pytest.mark.parametrize("content, message", [
    (None, "no such log file"), (b"", "empty"), (b"\x00\x01binary", "binary"),
    (b'{"seq": 0, "broken"\n', "no report can be made"),
])
def test_unreadable_logs_raise(tmp_path: Path, content: bytes | None, message: str) -> None:
    log = tmp_path / "log.jsonl"
    if content is not None:
        log.write_bytes(content)
    with pytest.raises(LogError, match=message):
        build_report(str(log))
