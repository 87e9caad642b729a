"""The drill console's cache of parsed files (engine/parse_cache.py): a plan read back from the cache is the
plan a fresh parse gives; a changed file, a changed entry or a cache that cannot be written never changes
what is loaded; only parses without a finding are kept; only the drill command uses it."""

from __future__ import annotations

import marshal
import os
import shutil
from pathlib import Path

import pytest

from engine import parse_cache as pc
from engine.cli import main
from engine.load import read_document
from engine.parse_cache import ParseCache
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "scenarios/m365-na-outage-2026-01-22.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped scenario and runbooks, to change, as the working folder."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "runbooks", tmp_path / "runbooks")
    (tmp_path / "scenarios").mkdir()
    shutil.copy(ROOT / SCENARIO, tmp_path / SCENARIO)
    return tmp_path


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / f"parsed-v{pc.FORMAT}").glob("*.marshal"))


def test_a_plan_read_back_from_the_cache_is_the_plan_a_fresh_parse_gives(project: Path) -> None:
    cache_dir = project / "cache"
    fresh = load_plan(str(project / SCENARIO), quick=True)
    first = ParseCache(str(cache_dir))
    assert load_plan(str(project / SCENARIO), quick=True, parse_cache=first) == fresh
    assert first.hits == 0 and first.misses == 4  # the scenario and three runbooks, each parsed and kept
    assert len(_entries(cache_dir)) == 4
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"  # never committed with the runbooks
    again = ParseCache(str(cache_dir))
    assert load_plan(str(project / SCENARIO), quick=True, parse_cache=again) == fresh
    assert again.hits == 4 and again.misses == 0
    doc = read_document(str(project / SCENARIO), parse_cache=ParseCache(str(cache_dir)))
    plain = read_document(str(project / SCENARIO))
    assert (doc.data, doc.values, doc.keys) == (plain.data, plain.values, plain.keys)


def test_a_changed_file_is_parsed_again(project: Path) -> None:
    cache_dir = project / "cache"
    load_plan(str(project / SCENARIO), quick=True, parse_cache=ParseCache(str(cache_dir)))
    runbook = project / "runbooks" / "inbound-mail-continuity.yaml"
    text = runbook.read_text(encoding="utf-8")
    title = "title: Keep inbound mail flowing through SMTP 4xx deferrals"
    assert title in text
    runbook.write_text(text.replace(title, "title: Mail keeps arriving", 1), encoding="utf-8")
    cache = ParseCache(str(cache_dir))
    plan = load_plan(str(project / SCENARIO), quick=True, parse_cache=cache)
    assert cache.misses == 1 and cache.hits == 3
    assert "Mail keeps arriving" in [r.title for r in plan.runbooks]


@pytest.mark.parametrize("damage", ["torn", "garbage", "other key", "wrong shape", "empty"])
def test_a_damaged_entry_is_ignored_and_written_again(project: Path, damage: str) -> None:
    cache_dir = project / "cache"
    fresh = load_plan(str(project / SCENARIO), quick=True)
    load_plan(str(project / SCENARIO), quick=True, parse_cache=ParseCache(str(cache_dir)))
    for entry in _entries(cache_dir):
        raw = entry.read_bytes()
        entry.write_bytes({
            "torn": raw[: len(raw) // 2],
            "garbage": b"\x00not marshal at all" * 10,
            "other key": marshal.dumps(("0" * 64,) + marshal.loads(raw)[1:]),
            "wrong shape": marshal.dumps(["a", "list", "of", "text"]),
            "empty": b"",
        }[damage])
    cache = ParseCache(str(cache_dir))
    assert load_plan(str(project / SCENARIO), quick=True, parse_cache=cache) == fresh
    assert cache.hits == 0
    healed = ParseCache(str(cache_dir))
    assert load_plan(str(project / SCENARIO), quick=True, parse_cache=healed) == fresh
    assert healed.hits == 4


def test_a_file_with_a_finding_is_never_kept(project: Path) -> None:
    """A parse with a finding (here a duplicate key, which the parser reports) is parsed every time, so the
    finding is never lost."""
    runbook = project / "runbooks" / "admin-console-loss.yaml"
    text = runbook.read_text(encoding="utf-8")
    runbook.write_text(text.replace("\ntitle:", "\ntitle: First title\ntitle:", 1), encoding="utf-8")
    cache_dir = project / "cache"
    for _ in range(2):
        doc = read_document(str(runbook), parse_cache=ParseCache(str(cache_dir)))
        assert any(f.rule == "yaml-duplicate-key" for f in doc.findings)
    assert _entries(cache_dir) == []


def test_a_cache_that_cannot_be_written_changes_nothing(project: Path) -> None:
    blocker = project / "cache"
    blocker.write_text("a file where the cache folder would be\n", encoding="utf-8")
    cache = ParseCache(str(blocker))
    assert load_plan(str(project / SCENARIO), quick=True, parse_cache=cache) == \
        load_plan(str(project / SCENARIO), quick=True)
    assert blocker.read_text(encoding="utf-8") == "a file where the cache folder would be\n"


def test_an_entry_that_is_a_symlink_is_not_written_through(project: Path, tmp_path: Path) -> None:
    cache_dir = project / "cache"
    cache = ParseCache(str(cache_dir))
    raw = (project / SCENARIO).read_bytes()
    folder = cache_dir / f"parsed-v{pc.FORMAT}"
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (folder / f"{cache.key(raw)}.marshal").symlink_to(victim)
    read_document(str(project / SCENARIO), parse_cache=cache)
    assert victim.read_text(encoding="utf-8") == "keep me\n"


def test_at_most_max_entries_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pc, "MAX_ENTRIES", 3)
    folder = tmp_path / "cache" / f"parsed-v{pc.FORMAT}"
    folder.mkdir(parents=True)
    for n in range(6):
        old = folder / f"{n:064x}.marshal"
        old.write_bytes(b"x")
        os.utime(old, ns=(n * 10**9, n * 10**9))
    path = tmp_path / "a.yaml"
    path.write_text("runbook: a\ntitle: A\nsteps:\n  one:\n    title: One\n", encoding="utf-8")
    read_document(str(path), parse_cache=ParseCache(str(tmp_path / "cache")))
    kept = sorted(p.name for p in folder.glob("*.marshal"))
    assert len(kept) == 3
    assert f"{5:064x}.marshal" in kept and f"{4:064x}.marshal" in kept  # the newest old ones, and the new one
    assert f"{0:064x}.marshal" not in kept


def test_the_key_changes_with_the_parser() -> None:
    cache = ParseCache("unused")
    before = cache.key(b"runbook: a\n")
    pc._FINGERPRINT[:] = [b"another parser"]
    try:
        assert cache.key(b"runbook: a\n") != before
    finally:
        pc._FINGERPRINT.clear()
    assert cache.key(b"runbook: a\n") == before


def test_validate_keeps_no_cache_and_drill_no_cache_writes_none(project: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABLETOP_CACHE", raising=False)
    assert main(["validate", SCENARIO, "runbooks"]) == 0
    assert not (project / ".tabletop-cache").exists()
    assert main(["drill", SCENARIO, "--no-cache", "--runbooks", "nowhere"]) == 2  # usage error, before the console
    assert not (project / ".tabletop-cache").exists()


def test_the_drill_command_uses_the_cache_folder_it_is_given(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to the console: the plan is loaded (through the cache) before Textual is imported, so a scenario
    that names a missing runbook exits 3 after the files that were read were kept."""
    monkeypatch.setenv("TABLETOP_CACHE", str(project / "elsewhere"))
    scenario = project / "scenarios" / "broken.yaml"
    text = (project / SCENARIO).read_text(encoding="utf-8")
    scenario.write_text(text.replace("runbooks:\n", "runbooks:\n  - not-a-runbook\n", 1), encoding="utf-8")
    assert main(["drill", str(scenario)]) == 3
    assert _entries(project / "elsewhere")
    assert not (project / ".tabletop-cache").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_an_entry_that_is_a_pipe_is_neither_waited_on_nor_written_into(project: Path) -> None:
    """A FIFO (or a device) where an entry should be: read_document would wait forever to open it, and to
    write into it; it is not a usable entry, so the file is parsed and nothing is kept."""
    import threading

    cache = ParseCache(str(project / "cache"))
    raw = (project / SCENARIO).read_bytes()
    cache.folder.mkdir(parents=True)
    pipe = cache.folder / f"{cache.key(raw)}.marshal"
    os.mkfifo(pipe)
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(read_document(str(project / SCENARIO), parse_cache=cache)),
                              daemon=True)
    reader.start()
    reader.join(30)
    stuck = reader.is_alive()
    while reader.is_alive():  # let it go: a writer that comes and goes, then a reader for what it writes
        for flags in (os.O_WRONLY | os.O_NONBLOCK, os.O_RDONLY | os.O_NONBLOCK):
            try:
                os.close(os.open(pipe, flags))
            except OSError:
                pass
        reader.join(0.1)
    assert not stuck
    assert [doc.data for doc in got] == [read_document(str(project / SCENARIO)).data]  # type: ignore[attr-defined]
    assert cache.hits == 0


def test_the_key_covers_every_module_the_parser_reads_its_limits_from() -> None:
    """A parse depends on the engine modules compose.py and load.py import (engine.bounds caps whole numbers):
    a change to any of them must ask for new entries, so each is in the fingerprint. engine.findings only
    describes findings, and a parse with a finding is never kept."""
    import ast

    used = set()
    for name in ("compose.py", "load.py"):
        tree = ast.parse((ROOT / "engine" / name).read_text(encoding="utf-8"))
        used |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module and node.module.startswith("engine.")}
    used -= {"engine.findings", "engine.parse_cache"}  # findings are never kept; the cache itself
    assert used and {f"{m.removeprefix('engine.')}.py" for m in used} <= set(pc.SOURCES)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_project_in_git_never_sees_the_cache(project: Path) -> None:
    """The cache folder ignores itself: a team that keeps its runbooks in git does not commit parsed entries."""
    import subprocess

    subprocess.run(["git", "init", "-q", str(project)], check=True)
    load_plan(str(project / SCENARIO), quick=True, parse_cache=ParseCache(str(project / ".tabletop-cache")))
    assert _entries(project / ".tabletop-cache")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project, check=True,
                            capture_output=True, text=True).stdout
    assert "runbooks/" in status and ".tabletop-cache" not in status
