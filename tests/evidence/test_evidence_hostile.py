"""`tabletop evidence` given what a careless or hostile user gives it: the same drill under several names, a
folder that only looks like a pack, controls whose ids make no file name, dates at the edge of the calendar,
things that are not log files. Each is counted once, refused in one line, or written whole."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from evidencekit import drill, live_drill, pack, project


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = project(tmp_path)
    live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0))
    return root


def test_one_drill_given_under_several_names_counts_once(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = root / "exports" / "drills" / "live-1.jsonl"
    (root / "archive").mkdir()
    shutil.copyfile(log, root / "archive" / "live-1-copy.jsonl")  # a copy kept in an archive
    os.symlink(log, root / "archive" / "link.jsonl")
    code, out, err = pack(capsys, root, "exports/drills", "archive", "./exports/drills/live-1.jsonl",
                          "-o", "audit")
    assert code == 0, err
    data = json.loads((root / "audit" / "evidence.json").read_text(encoding="utf-8"))
    assert [d["log"] for d in data["drills"]] == ["live-1.jsonl"]
    cc74 = next(c for c in data["controls"] if c["control"] == "soc2:CC7.4")
    assert cc74["live"] == 1 and cc74["drills"] == ["live-1.jsonl"]
    logs = {c["name"]: c for c in data["logs"]}
    assert sorted(logs) == ["link.jsonl", "live-1-copy.jsonl", "live-1.jsonl"]
    assert "the same drill as live-1.jsonl" in logs["live-1-copy.jsonl"]["result"]
    index = (root / "audit" / "index.md").read_text(encoding="utf-8")
    assert "1 drill in the period, 1 of them live and verified" in index


def test_a_folder_with_a_sha256sums_that_is_not_a_pack_is_never_replaced(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "release").mkdir()
    (root / "release" / "SHA256SUMS").write_text("0" * 64 + "  tabletop-1.0.tar.gz\n", encoding="utf-8")
    (root / "release" / "tabletop-1.0.tar.gz").write_bytes(b"the release")
    code, _, err = pack(capsys, root, "-o", "release", "--force")
    assert code == 2, err
    assert err == ("tabletop: error: release is not empty and holds no evidence pack; give an empty or new "
                   "folder\n")
    assert (root / "release" / "tabletop-1.0.tar.gz").read_bytes() == b"the release"


def _catalogue(root: Path, ids: list[str]) -> None:
    (root / "controls").mkdir()
    rows = "".join(f'"{i}" = "Control {n}"\n' for n, i in enumerate(ids))
    (root / "controls" / "acme.toml").write_text(f'catalogue = "acme"\ntitle = "Acme"\n[controls]\n{rows}',
                                                 encoding="utf-8")
    (root / "tabletop.toml").write_text('catalogues = ["controls/acme.toml"]\n', encoding="utf-8")
    path = root / "runbooks" / "inbound-mail-continuity.yaml"
    text = path.read_text(encoding="utf-8")
    listed = "".join(f'  - "acme:{i}"\n' for i in ids)
    path.write_text(text.replace("\ncontrols:\n", "\ncontrols:\n" + listed, 1), encoding="utf-8")


def test_controls_whose_ids_make_long_or_equal_file_names_each_get_their_page(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = ["X" * 300, "BC-7", "bc-7", "BC(7)"]
    _catalogue(root, ids)
    code, out, err = pack(capsys, root, "-o", "audit")
    assert code == 0, err
    data = json.loads((root / "audit" / "evidence.json").read_text(encoding="utf-8"))
    pages = {c["control"]: c["page"] for c in data["controls"] if c["control"].startswith("acme:")}
    assert sorted(pages) == sorted(f"acme:{i}" for i in ids)
    assert len(set(pages.values())) == len(ids)
    for control, page in pages.items():
        assert len(Path(page).name) <= 120, page
        text = (root / "audit" / page).read_text(encoding="utf-8")
        assert f"<h1>{control}: " in text


def test_dates_at_the_edge_of_the_calendar_are_one_line(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = pack(capsys, root, "--today", "0001-01-01")  # no year before it: the period starts at it
    assert code == 0, err
    assert "0001-01-01..0001-01-01" in out
    for period in ("2026-W01-1..2026-12-31", "20260101..20261231"):
        code, out, err = pack(capsys, root, "--period", period)
        assert code == 2 and out == "" and len(err.splitlines()) == 1
        assert "each end is a date like 2026-01-01" in err


@pytest.mark.parametrize("args, said", [
    (["/dev/null"], "/dev/null: not a log file or a folder of logs"),
    (["-o", ""], "-o: give the folder to write the pack in"),
    (["--runbooks", "exports/drills/live-1.jsonl"], "--runbooks exports/drills/live-1.jsonl is not a folder"),
    (["--check", "--runbooks", "runbooks"], None),
    (["-o", "."], ". holds the folder tabletop runs in; give the pack a folder of its own, like evidence/2026"),
])
def test_what_is_not_a_log_or_a_folder_is_one_line(root: Path, capsys: pytest.CaptureFixture[str],
                                                   args: list[str], said: str | None) -> None:
    if said is None:  # run from another folder, CI must not pass on no runbooks at all
        shutil.rmtree(root / "runbooks")
        said = "runbooks: no such folder; run tabletop evidence in the project's folder, or give --runbooks"
    code, out, err = pack(capsys, root, *args)
    assert code == 2 and out == "", err
    assert err == f"tabletop: error: {said}\n"


def test_a_headless_play_alone_is_said_in_the_singular(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    drill(root, "play-1.jsonl", datetime(2026, 4, 2, 9, 0), mode="headless")
    (root / "improvements").mkdir()
    (root / "improvements" / "mail.yaml").write_text(
        "improvements: mail\nitems:\n  - id: probe\n    action: Keep a probe mailbox\n    owner: Dana Okafor\n"
        "    due: 2026-04-01\n    status: done\n    completed: 2026-03-20\n    touches:\n"
        "      objectives: [inbound-mail-continuity/route-decision]\n", encoding="utf-8")
    code, out, err = pack(capsys, root)
    assert "(1 headless play does not count)" in out, out


def test_a_control_no_live_drill_rated_and_a_drill_never_ended_are_said_so(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    killed = drill(root, "killed.jsonl", datetime(2026, 4, 2, 9, 0))
    lines = killed.read_bytes().splitlines(keepends=True)
    end = next(n for n, line in enumerate(lines) if b'"type":"drill.ended"' in line)
    killed.write_bytes(b"".join(lines[:end]))  # the console was killed before the drill ended
    code, out, err = pack(capsys, root, "-o", "audit")
    assert code == 0, err
    index = (root / "audit" / "index.md").read_text(encoding="utf-8")
    # live-1 rated the mail route decision (soc2:CC7.4) and no objective of admin-console-loss (soc2:CC9.2)
    assert "| [soc2:CC7.4](controls/soc2-cc7.4.md) |" in index
    row = next(line for line in index.splitlines() if line.startswith("| [soc2:CC7.4]"))
    assert row.endswith("| exercised |"), row
    row = next(line for line in index.splitlines() if line.startswith("| [soc2:CC9.2]"))
    assert row.endswith("| exercised, no objective of it rated |"), row
    assert "| killed.jsonl | live, not ended |" in index
    assert "exercised by a live drill whose log verifies, 7 of them with an objective of theirs rated." in index
    page = (root / "audit" / "controls" / "soc2-cc9.2.md").read_text(encoding="utf-8")
    assert "none of which rated an objective of it" in page


def test_a_log_name_with_escapes_and_markup_never_reaches_a_page_raw(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = root / "exports" / "drills" / "live-1.jsonl"
    odd = "a\x1b[2J\u202e|<b>[x](y)#1.jsonl"
    log.rename(log.with_name(odd))
    live_drill(root, "A\x1b[2J\u202e|<b>[x](y)#1.jsonl", datetime(2026, 3, 3, 9, 0))  # the same name in capitals
    code, out, err = pack(capsys, root, "-o", "audit")
    assert code == 0, err
    folder = root / "audit"
    for page in [folder / "index.md", folder / "index.html", *sorted((folder / "controls").iterdir())]:
        text = page.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\u202e" not in text, page.name
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert "a\\\\x1b\\[2J\\\\u202e\\|\\<b\\>\\[x\\](y)\\#1.jsonl" in index
    aars = sorted(p.name for p in (folder / "aar").iterdir())
    assert aars == ["A-2J-b-x-y-1-2.html", "a-2J-b-x-y-1.html"], aars  # not one file on Windows


def test_a_pack_interrupted_while_written_leaves_nothing_beside_it(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.evidence.pack as pack_module

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    assert pack(capsys, root, "-o", "first")[0] == 0  # fills the cache: the next pack copies its AARs from it
    monkeypatch.setattr(pack_module.shutil, "copyfile", interrupted)
    code, _, err = pack(capsys, root, "-o", "audit")
    assert code == 130 and err == "tabletop: interrupted\n"
    assert not [p.name for p in root.iterdir() if p.name.startswith(".audit")]
    assert not (root / "audit").exists()


def test_a_copy_of_a_drill_is_not_a_second_retest_of_an_improvement_item(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "improvements").mkdir()
    (root / "improvements" / "mail.yaml").write_text(
        "improvements: mail\nitems:\n  - id: status-page\n    action: Move the status page off the tenancy\n"
        "    owner: Lee Park\n    due: 2026-05-01\n    status: done\n    completed: 2026-02-20\n    touches:\n"
        "      objectives: [admin-console-loss/know-status]\n", encoding="utf-8")
    (root / "archive").mkdir()
    shutil.copyfile(root / "exports" / "drills" / "live-1.jsonl", root / "archive" / "live-1.jsonl")
    code, out, err = pack(capsys, root, "exports/drills", "archive")
    assert "1 later live drill since 2026-02-20, none rated what it touches" in out, out
