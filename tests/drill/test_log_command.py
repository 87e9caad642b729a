"""`tabletop log verify|show` on good, tampered, torn and hostile logs: one line, a documented exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from drillkit import ROOT, SHIPPED, TEAM, tabletop

from engine.drill.clock import FakeClock
from engine.drill.events import Event
from engine.drill.log import encode, line_hash, read_log
from engine.drill.session import Drill, replay
from engine.plans import load_plan


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished drill of the shipped scenario with the example team file (notes, ratings, hot wash)."""
    from engine.cli import main

    log = tmp_path_factory.mktemp("played") / "drill.jsonl"
    assert main(["play", str(SHIPPED), "--team", str(TEAM), "--log", str(log)]) == 0
    return log


def copy_of(played: Path, tmp_path: Path) -> Path:
    log = tmp_path / "drill.jsonl"
    shutil.copyfile(played, log)
    return log


def one_error_line(err: str) -> str:
    assert err.startswith("tabletop: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err.removeprefix("tabletop: error: ").rstrip("\n")


def test_a_good_log_verifies(played: Path, capsys: Any) -> None:
    code, out, err = tabletop(capsys, "log", "verify", played)
    assert code == 0, err
    n = len(played.read_bytes().splitlines())
    assert out.startswith(f"ok: {n} events, chain intact, head ")
    assert "every event follows scenario m365-na-outage-2026-01-22 and its 3 runbooks" in out


def test_changing_one_character_of_a_note_fails_at_that_line(played: Path, tmp_path: Path, capsys: Any) -> None:
    log = copy_of(played, tmp_path)
    lines = log.read_bytes().split(b"\n")
    number = next(i for i, raw in enumerate(lines, 1) if b'"type":"note"' in raw)
    assert number < len(lines) - 2  # not the last line: the chain shows an edit through the line after it
    lines[number - 1] = lines[number - 1].replace(b"The external probe", b"The external probs")
    log.write_bytes(b"\n".join(lines))
    assert json.loads(lines[number - 1])  # still valid JSON
    code, out, err = tabletop(capsys, "log", "verify", log)
    assert code == 1
    assert one_error_line(err).startswith(f"{log}:{number}: was changed after it was written")


def test_a_hand_edited_seq_is_named(played: Path, tmp_path: Path, capsys: Any) -> None:
    log = copy_of(played, tmp_path)
    lines = log.read_bytes().split(b"\n")
    lines[12] = lines[12].replace(b'"seq":12,', b'"seq":21,')
    log.write_bytes(b"\n".join(lines))
    code, _, err = tabletop(capsys, "log", "verify", log)
    assert code == 1
    assert one_error_line(err) == f"{log}:13: is numbered 21, expected 12"


def test_a_missing_line_is_named(played: Path, tmp_path: Path, capsys: Any) -> None:
    log = copy_of(played, tmp_path)
    lines = log.read_bytes().split(b"\n")
    del lines[9]
    log.write_bytes(b"\n".join(lines))
    code, _, err = tabletop(capsys, "log", "verify", log)
    assert code == 1
    assert one_error_line(err).startswith(f"{log}:10: does not follow the line before it and is numbered 10")


def test_a_torn_last_line_is_reported_and_resume_completes_the_drill(
        played: Path, tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    lines = played.read_bytes().splitlines(keepends=True)
    torn = lines[30][:25]
    log.write_bytes(b"".join(lines[:30]) + torn)  # play died writing line 31
    code, _, err = tabletop(capsys, "log", "verify", log)
    assert code == 1
    assert one_error_line(err) == f"{log}: torn last line 31 (a crash mid-write); resume continues from line 30"

    code, out, err = tabletop(capsys, "play", "--resume", log, "--team", TEAM)
    assert code == 0, err
    assert (tmp_path / "drill.jsonl.torn").read_bytes() == torn
    assert tabletop(capsys, "log", "verify", log)[0] == 0

    def story(path: Path) -> list[tuple[str, float, str]]:
        events = read_log(str(path)).events
        return [(e.type, e.t, json.dumps(e.data)) for e in events if not e.type.startswith("clock.")]

    assert story(log) == story(played)  # the resumed drill is the drill that was interrupted
    kinds = [e.type for e in read_log(str(log)).events]
    assert kinds[30:32] == ["clock.paused", "clock.resumed"]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the log is empty"),
    (b"\x00\x01\x02binary\x00", "binary file"),
])
def test_an_empty_or_binary_file_exits_3(tmp_path: Path, capsys: Any, content: bytes, expected: str) -> None:
    log = tmp_path / "drill.jsonl"
    log.write_bytes(content)
    for action in ("verify", "show"):
        code, out, err = tabletop(capsys, "log", action, log)
        assert code == 3 and out == ""
        assert expected in one_error_line(err)


def test_a_folder_or_a_missing_file_exits_3(tmp_path: Path, capsys: Any) -> None:
    code, _, err = tabletop(capsys, "log", "verify", tmp_path)
    assert code == 3 and "is a folder" in one_error_line(err)
    code, _, err = tabletop(capsys, "log", "verify", tmp_path / "nope.jsonl")
    assert code == 3 and "no such log file" in one_error_line(err)


def test_an_event_for_an_unknown_step_is_named(played: Path, tmp_path: Path, capsys: Any) -> None:
    first = played.read_bytes().split(b"\n")[0]
    started = read_log(str(played)).events[0]
    bogus = Event(1, started.wall, 0.0, "step.started", {"step": "inbound-mail-continuity/no-such-step"})
    second = encode(bogus, line_hash(first))
    log = tmp_path / "drill.jsonl"
    log.write_bytes(first + b"\n" + second + b"\n")
    code, _, err = tabletop(capsys, "log", "verify", log)
    assert code == 1
    assert one_error_line(err) == f"{log}:2: no step 'inbound-mail-continuity/no-such-step' in the drill's runbooks"


def repo_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "scenarios", copy / "scenarios")
    shutil.copytree(ROOT / "runbooks", copy / "runbooks")
    return copy


def test_a_log_from_a_different_version_of_the_scenario_fails(tmp_path: Path, capsys: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    copy = repo_copy(tmp_path)
    monkeypatch.chdir(copy)  # run from the project, so the log names its files relative to it
    scenario = copy / "scenarios" / SHIPPED.name
    log = copy / "exports" / "drill.jsonl"
    assert tabletop(capsys, "play", scenario, "--log", log)[0] == 0
    assert tabletop(capsys, "log", "verify", log)[0] == 0
    text = scenario.read_text()
    scenario.write_text(text.replace("14:33 Eastern.", "14:33 ET."))
    assert scenario.read_text() != text
    code, _, err = tabletop(capsys, "log", "verify", log)
    assert code == 1
    assert "log from a different version of scenario m365-na-outage-2026-01-22" in one_error_line(err)


def test_a_log_from_a_different_version_of_a_runbook_fails(tmp_path: Path, capsys: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    copy = repo_copy(tmp_path)
    monkeypatch.chdir(copy)
    log = copy / "exports" / "drill.jsonl"
    assert tabletop(capsys, "play", copy / "scenarios" / SHIPPED.name, "--log", log)[0] == 0
    runbook = copy / "runbooks" / "admin-console-loss.yaml"
    runbook.write_text(runbook.read_text() + "# edited after the drill\n")
    code, _, err = tabletop(capsys, "log", "verify", log)
    assert code == 1
    assert "runbook" in one_error_line(err) and "admin-console-loss.yaml has changed" in err


def test_without_the_files_only_the_chain_is_verified_and_it_says_so(tmp_path: Path, capsys: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    copy = repo_copy(tmp_path)
    log = tmp_path / "drill.jsonl"
    assert tabletop(capsys, "play", copy / "scenarios" / SHIPPED.name, "--log", log)[0] == 0
    shutil.rmtree(copy)
    monkeypatch.chdir(tmp_path)  # the log names its files from the project, and none are here
    code, out, err = tabletop(capsys, "log", "verify", log)
    assert code == 0, err
    assert "chain intact" in out and "events not checked against the runbooks" in out
    code, out, _ = tabletop(capsys, "log", "verify", log, "--scenario", SHIPPED)
    assert code == 0 and "every event follows" in out  # the same files elsewhere: their hashes match


def test_show_prints_readable_lines_with_control_characters_escaped(tmp_path: Path, capsys: Any) -> None:
    plan = load_plan(str(SHIPPED))
    clock = FakeClock(FakeClock().now())
    drill = Drill.start(plan, clock, log_path=str(tmp_path / "drill.jsonl"), facilitator="Fay")
    clock.advance(95 * 60)
    drill.note("observation", "two lines\nand \x1b[2Jclear \u202eevil", None, "Fay")
    drill.close()
    code, out, err = tabletop(capsys, "log", "show", drill.path)
    assert code == 0, err
    first, second = out.splitlines()
    assert first.startswith("  T+0:00  2026-01-01T00:00:00Z  drill.started")
    assert second == ("  T+1:35  2026-01-01T01:35:00Z  note             observation (by Fay): "
                      "two lines\\nand \\x1b[2Jclear \\u202eevil")
    assert "\x1b" not in out and "\u202e" not in out
    assert replay(plan, read_log(drill.path)).notes[0].text.startswith("two lines\n")  # the log keeps it as typed


def test_show_prints_the_good_part_of_a_torn_log_and_exits_1(played: Path, tmp_path: Path, capsys: Any) -> None:
    log = tmp_path / "drill.jsonl"
    lines = played.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:5]) + lines[5][:10])
    code, out, err = tabletop(capsys, "log", "show", log)
    assert code == 1
    assert len(out.splitlines()) == 5
    assert "torn last line 6" in one_error_line(err)
