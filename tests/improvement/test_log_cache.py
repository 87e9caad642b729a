"""Drill-log summaries cached by the log's hash: the same answer from the cache, and a damaged entry is
never believed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from planskit import ACCOUNTABLE, drill, project

from engine.readiness.cache import LogCache, read_drills
from engine.readiness.drills import summarize


@pytest.fixture
def log(tmp_path: Path) -> Path:
    root = project(tmp_path)
    return drill(root, "live.jsonl", datetime(2026, 2, 2, 9), body=lambda d, c: d.rate(ACCOUNTABLE, "S", "ok"))


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("drills-v*/*.json"))


def test_a_cached_summary_equals_a_fresh_one(log: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    first = LogCache(str(folder)).summary(str(log))
    again = LogCache(str(folder))
    assert again.summary(str(log)) == first == summarize(str(log))
    assert (again.hits, again.misses) == (1, 0)
    assert first.mode == "live" and first.ratings == {ACCOUNTABLE: ["S", first.ratings[ACCOUNTABLE][1]]}
    assert (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f0688")
    [entry] = _entries(folder)
    assert entry.stem == first.sha256


@pytest.mark.parametrize("damage", [
    b"", b"{", b"\x00\xff garbage", b"[]", b'{"sha256": "0", "summary": {}}', b"null",
    "same-sha-wrong-shape", "same-sha-other-summary",
])
def test_a_damaged_entry_is_ignored_and_written_again(log: Path, tmp_path: Path, damage: object) -> None:
    folder = tmp_path / "cache"
    fresh = LogCache(str(folder)).summary(str(log))
    [entry] = _entries(folder)
    if damage == "same-sha-wrong-shape":
        entry.write_text(json.dumps({"sha256": fresh.sha256, "summary": {"name": 1, "ratings": []}}), encoding="utf-8")
    elif damage == "same-sha-other-summary":
        other = fresh.to_json() | {"sha256": "f" * 64, "ratings": {ACCOUNTABLE: ["P", 9]}}
        entry.write_text(json.dumps({"sha256": fresh.sha256, "summary": other}), encoding="utf-8")
    else:
        entry.write_bytes(damage)  # type: ignore[arg-type]
    cache = LogCache(str(folder))
    assert cache.summary(str(log)) == fresh
    assert (cache.hits, cache.misses) == (0, 1)
    assert json.loads(entry.read_text(encoding="utf-8"))["summary"] == fresh.to_json()


def test_a_cache_that_cannot_be_written_only_costs_time(log: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    cache = LogCache(str(blocker))
    assert cache.summary(str(log)) == summarize(str(log))
    assert cache.problems and cache.problems[0].startswith(f"cannot write the cache in {blocker}")


def test_a_log_that_grows_gets_a_new_entry(log: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    before = LogCache(str(folder)).summary(str(log))
    with open(log, "ab") as handle:
        handle.write(b'{"torn": ')
    after = LogCache(str(folder)).summary(str(log))
    assert after.sha256 != before.sha256 and after.problem and "incomplete" in after.problem
    assert len(_entries(folder)) == 2


def test_logs_that_cannot_be_read_are_named_not_raised(log: Path, tmp_path: Path) -> None:
    (log.parent / "binary.jsonl").write_bytes(b"\x00\x01\x02")
    (log.parent / "folder.jsonl").mkdir()
    drills, unreadable = read_drills(str(log.parent), LogCache(None))
    assert [d.name for d in drills] == ["live.jsonl"]
    assert unreadable == [("binary.jsonl", "this is a binary file, not a drill log")]


def test_an_unchanged_log_is_not_read_again(log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    first = LogCache(str(folder)).summary(str(log))
    import builtins

    opened: list[str] = []
    real_open = builtins.open

    def watching_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    assert LogCache(str(folder)).summary(str(log)) == first
    assert str(log) not in opened


@pytest.mark.parametrize("damage", [b"{", b'{"file": {}, "sha256": "x"}', "other-sha", "foreign-file"])
def test_a_damaged_file_index_entry_means_reading_the_log(log: Path, tmp_path: Path, damage: object) -> None:
    folder = tmp_path / "cache"
    fresh = LogCache(str(folder)).summary(str(log))
    [entry] = sorted(folder.glob("files-v*/*.json"))
    data = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "other-sha":
        data["sha256"] = "0" * 64
        entry.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "foreign-file":
        data["file"]["bytes"] += 1
        entry.write_text(json.dumps(data), encoding="utf-8")
    else:
        entry.write_bytes(damage)  # type: ignore[arg-type]
    assert LogCache(str(folder)).summary(str(log)) == fresh


def test_rule_ids_without_importing_the_rules_match_the_rules() -> None:
    from engine.rules import all_rules, rule_ids

    assert rule_ids() == set(all_rules())
