"""`tabletop plan add LOG`: areas for improvement become plan items, once each, never overwriting."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from planskit import ACCOUNTABLE, ESCALATION, drill, project, tabletop, team_drill

from engine.improvement.files import read_plans


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = project(tmp_path)
    monkeypatch.chdir(repo)
    return repo


def test_the_team_drill_becomes_an_item_linked_to_its_step_and_objective(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    log = team_drill(capsys, root)
    code, out, err = tabletop(capsys, "plan", "add", log.relative_to(root))
    assert code == 0, err
    assert "wrote improvements/team-drill.yaml: 1 item" in out
    [plan] = read_plans("improvements")
    assert plan.ok
    [item] = plan.items
    assert item.status == "open" and item.owner is None and item.due is None
    assert item.finding.log == "exports/drills/team-drill.jsonl"
    assert item.finding.note == "Nobody knew where the printed provider escalation numbers were kept."
    assert item.finding.line == 49 and len(item.finding.drill) == 16
    assert item.touches.steps == [ESCALATION] and item.touches.objectives == [ACCOUNTABLE]
    text = Path(plan.path).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/improvements.schema.json\n")
    # The item is a finding of validate until someone owns it.
    code, out, _ = tabletop(capsys, "validate", "improvements", "runbooks", "--today", "2026-02-01")
    assert code == 0 and "improvements/team-drill.yaml:7:9: warning: improvement `ip-20260122-49` has no owner " \
                          "and no due date [improvement-unassigned]" in out


def test_adding_again_adds_nothing_and_changes_nothing(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    log = team_drill(capsys, root)
    tabletop(capsys, "plan", "add", log)
    path = root / "improvements" / "team-drill.yaml"
    edited = path.read_text(encoding="utf-8").replace("    owner:\n", "    owner: Kerry Walsh\n")
    path.write_text(edited, encoding="utf-8")
    # The same log by another path (absolute) is still the same drill.
    code, out, _ = tabletop(capsys, "plan", "add", log.resolve())
    assert code == 0
    assert "already in the plan: line 49 of the log is ip-20260122-49 in improvements/team-drill.yaml" in out
    assert "wrote" not in out and "added" not in out
    assert path.read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in (root / "improvements").iterdir()) == ["team-drill.yaml"]


def test_a_later_note_in_the_same_log_is_appended_after_the_items_there(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    log = drill(root, "one.jsonl", datetime(2026, 2, 2, 9), body=lambda d, c: d.note(
        "improvement", "The bridge number was wrong", ESCALATION, "Sam", action="Fix the number", owner="Kerry",
        due="2026-03-01", element="planning"))
    tabletop(capsys, "plan", "add", log)
    path = root / "improvements" / "one.yaml"
    before = path.read_text(encoding="utf-8")
    from engine.drill.clock import FakeClock
    from engine.drill.session import Drill
    from engine.plans import load_plan

    plan = load_plan(str(root / "scenarios" / "m365-na-outage-2026-01-22.yaml"), [str(root / "runbooks")])
    session = Drill.resume(plan, str(log), FakeClock(datetime.fromisoformat("2026-02-02T12:00:00+00:00")))
    session.note("improvement", "Nobody took minutes", None, "Sam", due="next sprint")
    session.close()
    code, out, err = tabletop(capsys, "plan", "add", log)
    assert code == 0 and "added to improvements/one.yaml: 1 item" in out
    assert 'the due date "next sprint" is not a date like 2026-03-01' in err
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    [plan_file] = read_plans("improvements")
    first, second = plan_file.items
    assert (first.action, first.owner, first.due, first.element) == (
        "Fix the number", "Kerry", "2026-03-01", "planning")
    assert second.finding.note == "Nobody took minutes" and second.due is None and second.touches.steps == []


def test_hostile_note_text_is_data_in_the_yaml_and_on_the_terminal(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    nasty = 'key: value # not a comment\n- item &anchor *alias !!python/object "quoted" \x1b[31mred\x1b[0m \u202eevil'
    log = drill(root, "nasty.jsonl", datetime(2026, 2, 2, 9), body=lambda d, c: d.note(
        "improvement", nasty, None, "Sam", owner="<script>alert(1)</script>"))
    code, out, _ = tabletop(capsys, "plan", "add", log)
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    [plan] = read_plans("improvements")
    assert plan.ok, plan.doc.findings
    [item] = plan.items
    assert item.finding.note == ('key: value # not a comment - item &anchor *alias !!python/object "quoted" '
                                 "[31mred [0m evil")
    assert item.owner == "<script>alert(1)</script>"


def test_a_plan_file_with_problems_stops_plan_add(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    log = team_drill(capsys, root)
    (root / "improvements").mkdir()
    (root / "improvements" / "broken.yaml").write_text("improvements: broken\nitems:\n  - id: x\n    status: ok\n",
                                                       encoding="utf-8")
    code, out, err = tabletop(capsys, "plan", "add", log)
    assert code == 2 and out == ""
    assert err.startswith("tabletop: error: improvements/broken.yaml has problems; fix them first")
    assert sorted(p.name for p in (root / "improvements").iterdir()) == ["broken.yaml"]


@pytest.mark.parametrize("content", [None, b"", b"\x00\x01binary", b'{"not": "a drill"}\n'])
def test_a_log_that_is_not_a_drill_is_exit_3(root: Path, capsys, content: bytes | None) -> None:  # type: ignore[no-untyped-def]
    log = root / "exports" / "drills" / "bad.jsonl"
    if content is not None:
        log.write_bytes(content)
    code, out, err = tabletop(capsys, "plan", "add", log)
    assert code == 3 and out == "" and err.startswith("tabletop: error: ") and "Traceback" not in err
    assert not (root / "improvements").exists()


def test_a_drill_without_areas_for_improvement_adds_nothing(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    log = drill(root, "clean.jsonl", datetime(2026, 2, 2, 9))
    code, out, _ = tabletop(capsys, "plan", "add", log)
    assert code == 0 and "holds no area for improvement; nothing to add" in out
    assert not (root / "improvements").exists()
