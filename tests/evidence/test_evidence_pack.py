"""`tabletop evidence` read as an auditor reads it: every file listed in SHA256SUMS and checked by
sha256sum, every link inside the pack resolving, the same bytes from the same logs, and per control the
drills that exercised it with their mode, ratings, attendance and after-action report."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from evidencekit import MAIL, drill, links, live_drill, pack, project

CC74 = "controls/soc2-cc7.4"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = project(tmp_path)
    live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0))
    drill(root, "play-1.jsonl", datetime(2026, 4, 2, 9, 0), mode="headless")
    drill(root, "old.jsonl", datetime(2024, 3, 2, 9, 0))  # long before the period
    return root


def test_the_pack_holds_what_an_auditor_asks_for(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pack(capsys, root, "-o", "audit")
    assert code == 0, err
    assert out == "evidence for 2025-06-02..2026-06-01: no findings\n"
    folder = root / "audit"
    page = (folder / f"{CC74}.md").read_text(encoding="utf-8")
    assert "exercised by 1 live drill whose log verifies" in page
    assert f"| 2026-03-02 | live-1.jsonl | live | m365-na-outage-2026-01-22 | yes | {MAIL} S | 1 named, 2 seats |" \
        in page
    assert "| 2026-04-02 | play-1.jsonl | headless rehearsal (not an exercise) |" in page
    # who attended: the facilitator drill.started names (the console's start screen), then the room's seats
    assert "| live-1.jsonl | Sam | facilitator | named at the start | - | - |" in page
    assert "| live-1.jsonl | Dana Okafor | incident-commander | a seat in the drill room | T+0:00 | stayed |" in page
    assert "| live-1.jsonl | Lee Park | observer | a seat in the drill room | T+0:00 | T+0:00 |" in page
    assert "old.jsonl" not in (folder / "index.md").read_text(encoding="utf-8")  # outside the period
    aar = (folder / "aar" / "live-1.html").read_text(encoding="utf-8")
    assert aar.startswith("<!DOCTYPE html>") and "<title>After-action report: " in aar
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "| live-1.jsonl | " in index and "| verifies: " in index
    data = json.loads((folder / "evidence.json").read_text(encoding="utf-8"))
    control = next(c for c in data["controls"] if c["control"] == "soc2:CC7.4")
    assert control["live"] == 1 and control["drills"] == ["live-1.jsonl", "play-1.jsonl"]
    assert data["drills"][0]["facilitator"] == "Sam"
    assert "generated" not in data


def test_sha256sum_accepts_the_pack_and_catches_a_changed_file(root: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    assert pack(capsys, root, "-o", "audit")[0] == 0
    folder = root / "audit"
    listed = [line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()]
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert sorted(listed + ["SHA256SUMS"]) == on_disk
    done = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=folder, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    with (folder / "index.md").open("a", encoding="utf-8") as handle:
        handle.write("one more line\n")
    done = subprocess.run(["sha256sum", "--check", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 1 and "index.md: FAILED" in done.stdout


HOSTILE = "<script>alert(1)</script> | [x](http://example.com) `code` #hash"


def test_every_link_inside_the_pack_resolves(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live_drill(root, "live #2 (east)?.jsonl", datetime(2026, 3, 9, 9, 0), improvement=HOSTILE)
    assert pack(capsys, root, "-o", "audit")[0] == 0
    assert (root / "audit" / "aar" / "live-2-east.html").is_file()  # a name every file system takes
    html = (root / "audit" / f"{CC74}.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; | [x](http://example.com)" in html
    row = next(line for line in (root / "audit" / f"{CC74}.md").read_text(encoding="utf-8").splitlines()
               if "alert(1)" in line)
    assert row.count(" | ") == 3  # the text's own bar is escaped: the table keeps its four columns
    folder = root / "audit"
    pages = [p for p in folder.rglob("*") if p.suffix in (".md", ".html") and p.parent.name != "aar"]
    assert len(pages) > 10
    checked = 0
    for page in pages:
        for target in links(page):
            assert "://" not in target, f"{page.name} links outside the pack: {target}"
            assert (page.parent / target).resolve().is_file(), f"{page.relative_to(folder)} -> {target}"
            checked += 1
    assert checked > 50


def test_the_same_logs_and_files_give_the_same_bytes(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pack(capsys, root, "-o", "one")[0] == 0
    assert pack(capsys, root, "-o", "two", "--no-cache")[0] == 0  # a cold read gives the same pack as the cache
    one, two = root / "one", root / "two"
    names = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert pack(capsys, root, "-o", "three", "--generated", "2026-06-01 by the audit bot")[0] == 0
    assert "Generated 2026-06-01 by the audit bot." in (root / "three" / "index.md").read_text(encoding="utf-8")


def test_a_pack_replaces_only_a_pack_and_only_with_force(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "notes").mkdir()
    (root / "notes" / "mine.txt").write_text("keep me", encoding="utf-8")
    code, _, err = pack(capsys, root, "-o", "notes", "--force")
    assert code == 2 and err == ("tabletop: error: notes is not empty and holds no evidence pack; give an empty "
                                 "or new folder\n")
    assert pack(capsys, root, "-o", "audit")[0] == 0
    code, _, err = pack(capsys, root, "-o", "audit")
    assert code == 2 and "pass --force to replace it" in err
    (root / "audit" / "stale.md").write_text("from before", encoding="utf-8")
    assert pack(capsys, root, "-o", "audit", "--force")[0] == 0
    assert not (root / "audit" / "stale.md").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".audit")]


@pytest.mark.parametrize("args, said", [
    (["--period", "2026-01-01"], "--period '2026-01-01' is not FROM..TO"),
    (["--period", "2026-13-01..2026-12-31"], "each end is a date like 2026-01-01"),
    (["--period", "2026-06-01..2026-01-01"], "ends before it starts"),
    (["no-such.jsonl"], "no-such.jsonl: no such log or folder"),
    (["--runbooks", "nowhere"], "--runbooks nowhere: no such folder"),
])
def test_usage_mistakes_are_one_line_and_exit_2(root: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                                said: str) -> None:
    code, out, err = pack(capsys, root, *args)
    assert code == 2 and out == ""
    assert err.startswith("tabletop: error: ") and said in err and len(err.splitlines()) == 1


def test_a_terminal_sees_how_many_logs_and_reports_are_done(root: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold pack of a year of drills reads every log and renders every report: minutes, shown as they go."""
    from engine import terminal

    monkeypatch.setattr(terminal, "_on_terminal", lambda: True)
    monkeypatch.setattr(terminal, "PROGRESS_AFTER", 0.0)  # "a while" is now
    code, out, err = pack(capsys, root, "-o", "audit")
    assert code == 0, err
    assert "\rreading drill logs: 3 of 3\x1b[K" in err and "\rafter-action reports: 2 of 2\x1b[K" in err
    assert "\r" not in err.rpartition("\r\x1b[K")[2]  # cleared before the "wrote" line
    assert out == "evidence for 2025-06-02..2026-06-01: no findings\n"
