"""`tabletop readiness`: cadences CI can fail on, rating trends, items; the same inputs give the same bytes."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from planskit import ACCOUNTABLE, drill, project, tabletop

ADMIN = "runbooks/admin-console-loss.yaml"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = project(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("TABLETOP_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TABLETOP_TODAY", raising=False)
    return repo


def _rate(rating: str):  # type: ignore[no-untyped-def]
    return lambda d, c: d.rate(ACCOUNTABLE, rating, "")


def _view(capsys, *args: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def, type-arg]
    code, out, err = tabletop(capsys, "readiness", "--format", "json", *args)
    assert "Traceback" not in err
    return code, json.loads(out)


def test_cadence_from_the_settings_makes_an_overdue_runbook_a_finding(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (root / "tabletop.toml").write_text('drill_every = "90d"\n', encoding="utf-8")
    drill(root, "live.jsonl", datetime(2026, 1, 10, 9), body=_rate("S"))
    drill(root, "play.jsonl", datetime(2026, 3, 1, 9), mode="headless")
    code, view = _view(capsys, "--today", "2026-04-10")
    assert code == 0 and view["findings"] == []
    admin = next(r for r in view["runbooks"] if r["id"] == "admin-console-loss")
    assert admin["last_live"] == {"log": "live.jsonl", "date": "2026-01-10"}
    assert (admin["next_due"], admin["overdue_days"], admin["live_drills"], admin["headless_plays"]) == (
        "2026-04-10", None, 1, 1)
    code, out, _ = tabletop(capsys, "readiness", "--today", "2026-04-12")
    assert code == 1
    assert (f"{ADMIN}:2:1: error: runbook `admin-console-loss` was last drilled live 2026-01-10; its 90-day cadence "
            "made it due 2026-04-10, 2 days ago [drill-overdue]") in out


def test_a_runbook_s_own_cadence_wins_and_is_flagged_at_its_line(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = root / ADMIN
    text = path.read_text(encoding="utf-8").replace("version: 1\n", "version: 1\ndrill_every: 30d\n")
    path.write_text(text, encoding="utf-8")
    (root / "tabletop.toml").write_text('drill_every = "365d"\n', encoding="utf-8")
    code, view = _view(capsys, "--today", "2026-04-12")
    assert code == 1
    [finding] = [f for f in view["findings"] if f["path"] == ADMIN]
    assert (finding["path"], finding["line"], finding["rule"]) == (ADMIN, 5, "drill-overdue")
    assert len(view["findings"]) == 3  # the other two, never drilled, by the settings' 365 days
    assert "should be drilled live every 30 days and never has been" in finding["message"]
    # Headless plays never count as drilled; settings can soften the rule.
    drill(root, "play.jsonl", datetime(2026, 4, 1, 9), mode="headless")
    (root / "tabletop.toml").write_text('drill_every = "365d"\nseverity = { drill-overdue = "warning" }\n',
                                        encoding="utf-8")
    code, view = _view(capsys, "--today", "2026-04-12")
    assert code == 0 and {f["severity"] for f in view["findings"]} == {"warning"}
    code, _ = _view(capsys, "--today", "2026-04-12", "--strict")
    assert code == 1


def test_a_runbook_changed_since_its_last_live_drill_says_so(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    drill(root, "live.jsonl", datetime(2026, 1, 10, 9))
    _, view = _view(capsys, "--today", "2026-02-01")
    assert {r["id"]: r["changed_since_last_live"] for r in view["runbooks"]}["admin-console-loss"] is False
    with open(root / ADMIN, "a", encoding="utf-8") as handle:
        handle.write("# edited after the drill\n")
    _, view = _view(capsys, "--today", "2026-02-01")
    assert {r["id"]: r["changed_since_last_live"] for r in view["runbooks"]}["admin-console-loss"] is True
    _, out, _ = tabletop(capsys, "readiness", "--today", "2026-02-01")
    assert "last live 2026-01-10 (changed since)" in out


def test_ratings_trend_over_live_drills_and_plays_only_when_asked(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    drill(root, "a.jsonl", datetime(2026, 1, 10, 9), body=_rate("U"))
    drill(root, "b.jsonl", datetime(2026, 2, 10, 9), mode="headless", body=_rate("P"))
    drill(root, "c.jsonl", datetime(2026, 3, 10, 9), body=_rate("S"))
    drill(root, "d.jsonl", datetime(2026, 5, 10, 9), body=_rate("P"))  # after --today: not yet known
    _, view = _view(capsys, "--today", "2026-04-01")
    trend = next(o for o in view["objectives"] if o["key"] == ACCOUNTABLE)
    assert [(p["date"], p["rating"], p["live"]) for p in trend["ratings"]] == [
        ("2026-01-10", "U", True), ("2026-03-10", "S", True)]
    assert (trend["latest"], trend["direction"]) == ("S", "better")
    _, view = _view(capsys, "--today", "2026-04-01", "--include-headless")
    trend = next(o for o in view["objectives"] if o["key"] == ACCOUNTABLE)
    assert [p["rating"] for p in trend["ratings"]] == ["U", "P", "S"] and trend["direction"] == "worse"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_the_same_inputs_give_the_same_bytes_cold_and_cached(root: Path, capsys, fmt: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (root / "tabletop.toml").write_text('drill_every = "30d"\n', encoding="utf-8")
    for n, rating in enumerate("UMSP"):
        drill(root, f"d{n}.jsonl", datetime(2026, 1 + n, 10, 9), body=_rate(rating))
    outputs = []
    for extra in (["--cache", str(tmp_path / "fresh")], ["--cache", str(tmp_path / "fresh")], ["--no-cache"]):
        _, out, _ = tabletop(capsys, "readiness", "--format", fmt, "--today", "2026-06-01", *extra)
        outputs.append(out)
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0]


def test_the_html_page_is_self_contained_and_escapes_user_text(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = root / ADMIN
    hostile = "Admin <script>alert(1)</script> & \"quotes\" <img src=x onerror=alert(2)>"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = f"title: '{hostile}'\n"
    path.write_text("".join(lines), encoding="utf-8")
    drill(root, "live.jsonl", datetime(2026, 1, 10, 9), body=_rate("S"))
    code, out, _ = tabletop(capsys, "readiness", "--format", "html", "--today", "2026-02-01")
    assert code == 0 and out.startswith("<!DOCTYPE html>")
    assert "<script" not in out and "<img" not in out and "onerror=alert(2)>" not in out
    assert "Admin &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in out
    assert not re.search(r"https?:|<[^>]*\s(src|href)=|url\(|@import", out)
    assert out.count("<svg ") == 2  # cadence and rating trend (no improvement items here)


def test_bad_inputs_are_one_line_and_exit_2(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = tabletop(capsys, "readiness", "--today", "someday")
    assert code == 2 and out == "" and err == "tabletop: error: --today 'someday' is not a date like 2026-03-01\n"
    code, _, err = tabletop(capsys, "readiness", "--logs", "nowhere")
    assert code == 2 and err == "tabletop: error: --logs nowhere: no such folder\n"
    (root / "tabletop.toml").write_text('drill_every = "quarterly"\n', encoding="utf-8")
    code, _, err = tabletop(capsys, "readiness")
    assert code == 2 and "drill_every must be a duration like \"90d\", not 'quarterly'" in err


def test_a_fresh_repository_without_logs_is_not_an_error(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (root / "exports" / "drills").rmdir()
    code, out, err = tabletop(capsys, "readiness", "--today", "2026-02-01")
    assert code == 0 and err == ""
    assert out.startswith("Readiness as of 2026-02-01: 0 live drills, 0 headless plays; 0 of 3 runbooks overdue")
    code, out, err = tabletop(capsys, "plan", "status", "--today", "2026-02-01")
    assert code == 0 and "No improvement items in improvements/" in out
    code, _, err = tabletop(capsys, "plan", "status", "--runbooks", "missing")
    assert code == 2 and err == "tabletop: error: --runbooks missing: no such folder\n"


@pytest.mark.parametrize("wall", ["garbage", "9999-12-31T23:59:59.000Z", "0001-01-01T00:00:00.000Z"])
def test_a_log_with_an_absurd_start_time_is_listed_not_counted(root: Path, capsys, wall: str) -> None:  # type: ignore[no-untyped-def]
    from engine.drill.events import Event
    from engine.drill.log import GENESIS, encode

    (root / "tabletop.toml").write_text('drill_every = "90d"\n', encoding="utf-8")
    files = {"scenario": {"id": "x", "path": "x.yaml", "sha256": "0"},
             "runbooks": [{"id": "admin-console-loss", "path": "a.yaml", "sha256": "0"}]}
    start = Event(0, wall, 0, "drill.started", {"version": 1, "mode": "live", **files})
    (root / "exports" / "drills" / "odd.jsonl").write_bytes(encode(start, GENESIS) + b"\n")
    for fmt in ("text", "html", "json"):
        code, out, err = tabletop(capsys, "readiness", "--format", fmt, "--today", "2026-02-01")
        assert code == 1 and "Traceback" not in err  # overdue: never drilled live, the odd log does not count
    logs = json.loads(tabletop(capsys, "readiness", "--format", "json", "--today", "2026-02-01")[1])["logs"]
    assert logs["not_counted"] == [{"log": "odd.jsonl",
                                    "why": "drill.started has no wall time between the years 1900 and 2999"}]


def test_output_follows_the_o_convention(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    page = root / "readiness.html"
    code, out, err = tabletop(capsys, "readiness", "--format", "html", "-o", page, "--today", "2026-02-01")
    assert code == 0 and out == "" and err == f"wrote {page}\n" and page.read_text(encoding="utf-8").startswith("<!")
    page.write_text("keep me", encoding="utf-8")
    code, _, err = tabletop(capsys, "readiness", "-o", page, "--today", "2026-02-01")
    assert code == 2 and "exists already; pass --force to overwrite it" in err
    assert page.read_text(encoding="utf-8") == "keep me"
    code, _, _ = tabletop(capsys, "readiness", "-o", page, "--force", "--today", "2026-02-01")
    assert code == 0 and page.read_text(encoding="utf-8").startswith("Readiness as of 2026-02-01")
    code, out, _ = tabletop(capsys, "readiness", "-o", "-", "--today", "2026-02-01")
    assert code == 0 and out.startswith("Readiness as of 2026-02-01")


def test_output_into_a_fifo_is_written_into_never_replaced(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A device or a FIFO named by -o (/dev/null, /dev/stdout) is written into like a shell redirection:
    moving a file over /dev/null as root would break the machine."""
    import os
    import stat
    import threading

    fifo = root / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, err = tabletop(capsys, "readiness", "--format", "json", "-o", fifo, "--today", "2026-02-01")
    reader.join(timeout=600)  # a last-resort net: tabletop has returned, so the reader has its end of file
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0])["as_of"] == "2026-02-01"


def test_a_copy_of_a_drill_log_in_the_folder_is_not_a_second_drill(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    log = drill(root, "a.jsonl", datetime(2026, 1, 10, 9), body=_rate("U"))
    (log.parent / "a (copy).jsonl").write_bytes(log.read_bytes())  # a backup kept beside it
    code, out, err = tabletop(capsys, "readiness", "--format", "json", "--today", "2026-04-01")
    view = json.loads(out)
    assert [d["log"] for d in view["drills"]] == ["a.jsonl"]
    trend = next(o for o in view["objectives"] if o["key"] == ACCOUNTABLE)
    assert [p["rating"] for p in trend["ratings"]] == ["U"]
    assert "tabletop: warning: a (copy).jsonl holds the same drill as a.jsonl; counted once" in err
    code, out, err = tabletop(capsys, "plan", "status", "--today", "2026-04-01")
    assert "a (copy).jsonl holds the same drill as a.jsonl; counted once" in err


@pytest.mark.parametrize("command", [["readiness"], ["plan", "status"]])
def test_a_terminal_sees_how_many_logs_are_read(root: Path, capsys, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                command: list[str]) -> None:
    from engine import terminal

    drill(root, "one.jsonl", datetime(2026, 1, 10, 9))
    drill(root, "two.jsonl", datetime(2026, 1, 12, 9))
    code, out, err = tabletop(capsys, *command, "--today", "2026-02-01")
    assert "\r" not in err  # not a terminal: nothing
    monkeypatch.setattr(terminal, "_on_terminal", lambda: True)
    monkeypatch.setattr(terminal, "PROGRESS_AFTER", 0.0)  # "a while" is now
    code, again, err = tabletop(capsys, *command, "--today", "2026-02-01")
    assert "\rreading drill logs: 1 of 2\x1b[K" in err and "\rreading drill logs: 2 of 2\x1b[K" in err
    assert "\r" not in err.rpartition("\r\x1b[K")[2] and again == out
