""""Last drilled" from drill logs: the latest wall time per item across logs, and logs that are flagged
(do not verify, files changed) or not used (not a drill log, a scenario not given)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coverkit import coverage_json, fixture_set, play_log, tabletop

D = "cov-drill/"
MARCH_2 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MARCH_5 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


def last(data: dict[str, Any]) -> dict[str, tuple[str, str, bool] | None]:
    out = {}
    for item in data["items"]:
        found = item["last_drilled"]
        out[item["key"]] = (found["wall"], found["log"], found["flagged"]) if found else None
    return out


def two_drills(tmp_path: Path) -> tuple[Path, Path]:
    """Alpha on 2 March choosing right, beta on 5 March taking the default (left)."""
    root = fixture_set(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    play_log(root, "sc-alpha", logs / "alpha.jsonl", MARCH_2, {D + "choose": "right"})
    play_log(root, "sc-beta", logs / "beta.jsonl", MARCH_5)
    return root, logs


def test_last_drilled_is_the_latest_wall_time_in_any_log(tmp_path: Path, capsys: Any) -> None:
    root, logs = two_drills(tmp_path)
    drilled = last(coverage_json(capsys, root, "--logs", logs))
    # Steps take their default ten minutes in headless play.
    assert drilled["step:" + D + "start"] == ("2026-03-05T09:10:00.000Z", "beta.jsonl", False)  # later than alpha
    assert drilled["option:" + D + "choose=left"] == ("2026-03-05T09:20:00.000Z", "beta.jsonl", False)
    assert drilled["option:" + D + "choose=right"] == ("2026-03-02T09:20:00.000Z", "alpha.jsonl", False)
    assert drilled["step:" + D + "right-work"] == ("2026-03-02T09:30:00.000Z", "alpha.jsonl", False)
    # The fallback opened the moment core went down (T+0), and the alarm's branch when the alarm came.
    assert drilled["fallback:" + D + "use-core"] == ("2026-03-02T09:00:00.000Z", "alpha.jsonl", False)
    assert drilled["event:" + D + "on-alarm"] == ("2026-03-02T09:30:00.000Z", "alpha.jsonl", False)
    assert drilled["step:cov-side/side-task"] == ("2026-03-02T09:10:00.000Z", "alpha.jsonl", False)
    # Never drilled: beta's late outage came after use-core was done; nothing raises never-sent.
    assert drilled["fallback:" + D + "use-aux"] is None
    assert drilled["event:" + D + "on-never"] is None


def test_text_names_the_log_of_each_last_drill(tmp_path: Path, capsys: Any) -> None:
    root, logs = two_drills(tmp_path)
    code, out, err = tabletop(capsys, "coverage", root, "--logs", logs)
    assert code == 0, err
    start = next(line for line in out.splitlines() if line.startswith("  start "))
    assert start.endswith("2026-03-05 09:10 [2]")
    assert "\n[1] alpha.jsonl\n[2] beta.jsonl\n" in out
    assert "2 read, 2 counted (0 flagged), 0 not used" in out


def test_a_log_that_does_not_verify_still_counts_and_is_flagged(tmp_path: Path, capsys: Any) -> None:
    root, logs = two_drills(tmp_path)
    late = play_log(root, "sc-beta", logs / "late.jsonl", datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
    lines = late.read_bytes().split(b"\n")
    # Edit the second-to-last line (lines[-1] is the empty tail): the last line's `prev` no longer
    # matches, so only the lines before the last one are good, and the step done at 09:10 is among them.
    record = json.loads(lines[-3])
    record["data"]["edited"] = True
    lines[-3] = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    late.write_bytes(b"\n".join(lines))
    data = coverage_json(capsys, root, "--logs", logs)
    log = next(entry for entry in data["logs"] if entry["name"] == "late.jsonl")
    assert log["used"] and log["flagged"]
    assert log["problems"][0].startswith("does not verify")
    assert log["events"] == log["applied"] == len(lines) - 2  # all but the empty tail and the last line
    assert last(data)["step:" + D + "start"] == ("2026-04-01T09:10:00.000Z", "late.jsonl", True)
    code, out, _ = tabletop(capsys, "coverage", root, "--logs", logs)
    start = next(line for line in out.splitlines() if line.startswith("  start "))
    assert start.endswith("2026-04-01 09:10 [2]!")  # numbered among the logs that are the latest for some item
    assert "[2] late.jsonl  ! does not verify: line " in out


def test_a_log_whose_files_changed_still_counts_and_is_flagged(tmp_path: Path, capsys: Any) -> None:
    root, logs = two_drills(tmp_path)
    scenario = root / "scenarios" / "sc-alpha.yaml"
    scenario.write_text(scenario.read_text(encoding="utf-8") + "# edited after the drill\n", encoding="utf-8")
    data = coverage_json(capsys, root, "--logs", logs)
    alpha = next(entry for entry in data["logs"] if entry["name"] == "alpha.jsonl")
    assert alpha["used"] and alpha["flagged"]
    assert any("has changed since the drill started" in p for p in alpha["problems"])
    assert last(data)["option:" + D + "choose=right"] == ("2026-03-02T09:20:00.000Z", "alpha.jsonl", True)
    beta = next(entry for entry in data["logs"] if entry["name"] == "beta.jsonl")
    assert not beta["flagged"]


def test_logs_of_other_scenarios_and_other_files_are_listed_not_counted(tmp_path: Path, capsys: Any) -> None:
    root, logs = two_drills(tmp_path)
    (logs / "notes.jsonl").write_text("hello\n", encoding="utf-8")
    (logs / "empty.jsonl").write_bytes(b"")
    (logs / "binary.jsonl").write_bytes(b"\x00\x01\x02")
    (logs / "ignored.txt").write_text("not a log", encoding="utf-8")
    # Only beta is given: alpha's log names a scenario outside the set.
    data = coverage_json(capsys, root / "runbooks", root / "scenarios" / "sc-beta.yaml", "--logs", logs)
    by_name = {entry["name"]: entry for entry in data["logs"]}
    assert sorted(by_name) == ["alpha.jsonl", "beta.jsonl", "binary.jsonl", "empty.jsonl", "notes.jsonl"]
    assert [name for name, entry in by_name.items() if entry["used"]] == ["beta.jsonl"]
    assert "sc-alpha is not among the scenarios given" in by_name["alpha.jsonl"]["reason"]
    assert "binary" in by_name["binary.jsonl"]["reason"]
    assert by_name["notes.jsonl"]["reason"].startswith("not a drill log")
    assert last(data)["option:" + D + "choose=right"] is None  # only alpha chose right


# ----- live drills and headless rehearsals -----

APRIL_1 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def live_and_headless(tmp_path: Path) -> tuple[Path, Path]:
    """Alpha drilled live on 2 March choosing right; alpha played headless on a made-up 1 April choosing left."""
    root = fixture_set(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    play_log(root, "sc-alpha", logs / "live.jsonl", MARCH_2, {D + "choose": "right"})
    play_log(root, "sc-alpha", logs / "play.jsonl", APRIL_1, {D + "choose": "left"}, mode="headless")
    return root, logs


def test_by_default_only_the_live_drill_counts(tmp_path: Path, capsys: Any) -> None:
    root, logs = live_and_headless(tmp_path)
    data = coverage_json(capsys, root, "--logs", logs)
    by_name = {entry["name"]: entry for entry in data["logs"]}
    assert (by_name["live.jsonl"]["used"], by_name["live.jsonl"]["mode"], by_name["live.jsonl"]["rehearsal"]) == \
        (True, "live", False)
    play = by_name["play.jsonl"]
    assert (play["used"], play["mode"], play["rehearsal"], play["applied"]) == (False, "headless", True, 0)
    assert "--include-headless" in play["reason"]
    assert (data["include_headless"], data["headless_left_out"]) == (False, 1)
    drilled = last(data)
    assert drilled["step:" + D + "start"] == ("2026-03-02T09:10:00.000Z", "live.jsonl", False)  # not 1 April
    assert drilled["option:" + D + "choose=left"] is None  # only the rehearsal chose left
    assert all(item["last_rehearsed"] is None for item in data["items"])
    assert data["totals"]["rehearsed_only"] == 0
    code, out, err = tabletop(capsys, "coverage", root, "--logs", logs)
    assert code == 0, err
    assert "2 read, 1 counted (0 flagged), 0 not used, 1 headless play not counted; --include-headless counts it" \
        in out
    assert "2026-04-01" not in out and "play.jsonl" not in out


def test_include_headless_counts_both_and_labels_the_rehearsal(tmp_path: Path, capsys: Any) -> None:
    root, logs = live_and_headless(tmp_path)
    data = coverage_json(capsys, root, "--logs", logs, "--include-headless")
    assert (data["include_headless"], data["headless_left_out"]) == (True, 0)
    assert all(entry["used"] for entry in data["logs"])
    drilled = last(data)
    # The rehearsal's later, made-up date never stands as the last drill.
    assert drilled["step:" + D + "start"] == ("2026-03-02T09:10:00.000Z", "live.jsonl", False)
    assert drilled["option:" + D + "choose=left"] is None
    items = {item["key"]: item for item in data["items"]}
    assert items["option:" + D + "choose=left"]["last_rehearsed"] == \
        {"wall": "2026-04-01T09:20:00.000Z", "log": "play.jsonl", "flagged": False}
    assert items["step:" + D + "start"]["last_rehearsed"]["log"] == "play.jsonl"
    # left and left-work were drilled only in the rehearsal; they count as drilled, and are told apart.
    rehearsed_only = [k for k, i in items.items() if i["last_rehearsed"] and not i["last_drilled"]]
    assert sorted(rehearsed_only) == ["option:" + D + "choose=left", "step:" + D + "left-work"]
    assert data["totals"]["rehearsed_only"] == 2
    live_only = coverage_json(capsys, root, "--logs", logs)["totals"]["drilled"]
    assert data["totals"]["drilled"] == live_only + 2
    code, out, err = tabletop(capsys, "coverage", root, "--logs", logs, "--include-headless")
    assert code == 0, err
    rows = {line.split()[0] + (" " + line.split()[1] if line.split()[0] == "option" else ""): line
            for line in out.splitlines() if line.startswith("  ") and line.split()}
    assert rows["start"].endswith("2026-03-02 09:10 [1]")
    assert rows["option left"].endswith("rehearsal [2]") and rows["left-work"].endswith("rehearsal [2]")
    assert "2026-04-01" not in out  # the made-up date is never shown
    assert "[1] live.jsonl\n[2] play.jsonl  (headless rehearsal)\n" in out
    assert "(2 only in a headless rehearsal)" in out
    code, md, err = tabletop(capsys, "coverage", root, "--logs", logs, "--include-headless", "--format", "markdown")
    assert code == 0, err
    assert "2026-04-01" not in md and "rehearsal \\[2\\]" in md
