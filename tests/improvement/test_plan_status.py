"""Which drills verify a done item: later, live, intact, and showing the objective or step it touches."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from planskit import ACCOUNTABLE, ESCALATION, drill, project, tabletop

PLAN = """\
improvements: loop
items:
  - id: print-numbers
    finding: {{log: exports/drills/source.jsonl, line: 3, note: Nobody knew the numbers}}
    owner: Kerry Walsh
    due: 2026-03-01
    status: {status}
    completed: 2026-02-01
    touches: {{steps: [{steps}], objectives: [{objectives}]}}
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = project(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("TABLETOP_CACHE", str(tmp_path / "cache"))
    drill(repo, "source.jsonl", datetime(2026, 1, 22, 9), mode="headless")
    return repo


def _plan(root: Path, status: str = "done", steps: str = "", objectives: str = ACCOUNTABLE) -> None:
    (root / "improvements").mkdir(exist_ok=True)
    (root / "improvements" / "loop.yaml").write_text(
        PLAN.format(status=status, steps=steps, objectives=objectives), encoding="utf-8")


def _why(capsys, *extra: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = tabletop(capsys, "plan", "status", "--today", "2026-03-01", *extra)
    assert code == 0, err
    return " ".join(out.split())


def _rate(rating: str):  # type: ignore[no-untyped-def]
    return lambda d, c: d.rate(ACCOUNTABLE, rating, "")


def test_a_headless_play_rating_s_does_not_verify(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _plan(root)
    drill(root, "play.jsonl", datetime(2026, 2, 5, 9), mode="headless", body=_rate("S"))
    assert "done; waiting for a live drill since 2026-02-01 (1 headless play does not count)" in _why(capsys)


def test_a_live_drill_before_the_item_was_done_does_not_verify(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _plan(root)
    drill(root, "early.jsonl", datetime(2026, 1, 30, 9), body=_rate("P"))
    assert "waiting for a live drill since 2026-02-01" in _why(capsys)


def test_a_later_live_drill_rating_m_does_not_verify_and_says_so(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _plan(root)
    drill(root, "later.jsonl", datetime(2026, 2, 10, 9), body=_rate("M"))
    assert (f"done; 1 later live drill since 2026-02-01, none rated what it touches P or S or did its steps within "
            f"target; in the latest (later.jsonl): {ACCOUNTABLE} rated M") in _why(capsys)


def test_the_first_good_later_live_drill_verifies(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _plan(root)
    drill(root, "a.jsonl", datetime(2026, 2, 10, 9), body=_rate("U"))
    drill(root, "b.jsonl", datetime(2026, 2, 20, 9), body=_rate("P"))
    drill(root, "c.jsonl", datetime(2026, 2, 25, 9), body=_rate("S"))
    assert "verified by b.jsonl (2026-02-20), line" in _why(capsys)


def test_a_step_done_within_its_target_verifies(root: Path, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _plan(root, steps=ESCALATION, objectives="")

    def within(minutes: int):  # type: ignore[no-untyped-def]
        def body(d, clock) -> None:  # type: ignore[no-untyped-def]
            from engine.drill.play import Player
            from engine.drill.team import load_team

            team = tmp_path / f"team-{minutes}.yaml"
            team.write_text(f"team: ops\ndurations: {{provider-escalation: {minutes}m}}\n", encoding="utf-8")
            Player(d, clock, team=load_team(str(team), d.plan)).run()
        return body

    drill(root, "slow.jsonl", datetime(2026, 2, 10, 9), body=within(45))
    assert "provider-escalation done in 45m (target 30m)" in _why(capsys)
    drill(root, "fast.jsonl", datetime(2026, 2, 12, 9), body=within(20))
    assert "verified by fast.jsonl (2026-02-12), line" in _why(capsys)
    assert f"step {ESCALATION} done in 20m, within its 30m target" in _why(capsys)


def test_open_and_wont_fix_items_say_where_they_stand(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _plan(root, status="open")
    assert "not done yet (status open)" in _why(capsys) and "38d open" in _why(capsys)
    _plan(root, status="wont-fix")
    assert "won't fix (no reason given)" in _why(capsys)


def test_a_broken_later_log_does_not_verify(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _plan(root)
    log = drill(root, "edited.jsonl", datetime(2026, 2, 10, 9), body=_rate("S"))
    log.write_text(log.read_text(encoding="utf-8").replace('"facilitator":"Sam"', '"facilitator":"Eve"'),
                   encoding="utf-8")
    assert "waiting for a live drill since 2026-02-01" in _why(capsys)


def test_user_text_is_data_in_every_format(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (root / "improvements").mkdir()
    (root / "improvements" / "p.yaml").write_text(
        'improvements: hostile\nitems:\n  - id: x\n    status: wont-fix\n'
        '    reason: "| a | b |\\n<b>bold</b> \\e[2J\\u202eevil"\n    owner: "[x](javascript:alert(1))"\n',
        encoding="utf-8")
    text = _why(capsys)
    assert "\x1b" not in text and "\u202e" not in text and "won't fix: | a | b | <b>bold</b>" in text
    code, out, _ = tabletop(capsys, "plan", "status", "--format", "markdown", "--today", "2026-03-01")
    assert code == 0 and "<b>" not in out and "\x1b" not in out and "](javascript" not in out
    row = next(line for line in out.splitlines() if line.startswith("| `x`"))
    assert row.count(" | ") == 5  # the reason's pipes do not make new cells
    code, out, _ = tabletop(capsys, "plan", "status", "--format", "json", "--today", "2026-03-01")
    assert json.loads(out)["items"][0]["why"] == "won't fix: | a | b |\n<b>bold</b> \x1b[2J\u202eevil"


def test_a_live_drill_with_a_decision_revised_to_an_option_never_chosen_first_verifies(  # type: ignore[no-untyped-def]
        root: Path, capsys, tmp_path: Path) -> None:
    """Issue 20, fault 3: readiness rebuilt the runbooks from the log alone, refused the revision to
    `fail-over` ("has no option") and left the drill not counted, so the item waited for ever."""
    _plan(root)
    team = tmp_path / "team.yaml"
    team.write_text("team: ops\ndecisions: {failover-decision: {option: hold}}\n"
                    "ratings: {provider-accountability: {rating: P}}\nactions:\n"
                    "  - after: failover-decision\n"
                    "    revise: {decision: failover-decision, option: fail-over, reason: the relay is ready}\n",
                    encoding="utf-8")

    def body(d, clock) -> None:  # type: ignore[no-untyped-def]
        from engine.drill.play import Player
        from engine.drill.team import load_team

        outcome = Player(d, clock, team=load_team(str(team), d.plan)).run()
        assert outcome.actions_refused == []

    log = drill(root, "revised.jsonl", datetime(2026, 2, 10, 9), body=body)
    assert '"decision.revised"' in log.read_text(encoding="utf-8")
    assert "verified by revised.jsonl (2026-02-10), line" in _why(capsys)
    code, out, _ = tabletop(capsys, "readiness", "--format", "json", "--today", "2026-03-01")
    assert json.loads(out)["logs"]["not_counted"] == []
