"""`tabletop validate` over improvement plans: overdue items at their line, as of a date passed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from planskit import tabletop

PLAN = """\
# yaml-language-server: $schema=../schemas/improvements.schema.json
improvements: team
items:
  - id: print-numbers
    action: Print the escalation numbers into the binder
    owner: Kerry Walsh
    due: 2026-03-01
    status: in-progress
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "improvements").mkdir()
    (tmp_path / "improvements" / "team.yaml").write_text(PLAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TABLETOP_TODAY", raising=False)
    return tmp_path


def test_an_overdue_item_is_flagged_at_its_due_line(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = tabletop(capsys, "validate", "improvements", "--today", "2026-03-11")
    assert code == 0  # a warning by default
    assert out.splitlines()[0] == ("improvements/team.yaml:7:10: warning: improvement `print-numbers` was due "
                                   "2026-03-01, 10 days ago, and is still in-progress [improvement-overdue]")
    code, out, _ = tabletop(capsys, "validate", "improvements", "--today", "2026-03-01")
    assert code == 0 and "improvement-overdue" not in out


def test_the_date_can_come_from_the_environment(folder: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TABLETOP_TODAY", "2026-04-01")
    _, out, _ = tabletop(capsys, "validate", "improvements", "--format", "json")
    assert '"rule": "improvement-overdue"' in out and "31 days ago" in out


def test_settings_make_overdue_fail_ci(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (folder / "tabletop.toml").write_text('severity = { improvement-overdue = "error" }\n', encoding="utf-8")
    code, out, _ = tabletop(capsys, "validate", "improvements", "--today", "2026-03-02")
    assert code == 1 and "error: improvement `print-numbers` was due 2026-03-01, 1 day ago" in out
    code, out, _ = tabletop(capsys, "validate", "improvements", "--today", "2026-03-02", "--format", "sarif")
    assert code == 1 and '"ruleId": "improvement-overdue"' in out


@pytest.mark.parametrize("given", ["yesterday", "2026-13-01", "01/03/2026"])
def test_a_bad_date_is_a_usage_error(folder: Path, capsys, given: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = tabletop(capsys, "validate", "improvements", "--today", given)
    assert code == 2 and out == ""
    assert err == f"tabletop: error: --today {given!r} is not a date like 2026-03-01\n"


def test_validate_of_a_folder_with_only_plans_finds_them(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = tabletop(capsys, "validate", ".", "--today", "2026-01-01")
    assert code == 0 and "1 file checked" in out


def test_links_are_checked_against_the_runbooks_of_the_same_run(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from planskit import ROOT

    plan = folder / "improvements" / "team.yaml"
    plan.write_text(PLAN + "    touches:\n      steps: [admin-console-loss/provider-call]\n", encoding="utf-8")
    code, out, _ = tabletop(capsys, "validate", "improvements", ROOT / "runbooks", "--today", "2026-01-01")
    assert code == 1
    assert ("improvements/team.yaml:10:15: error: improvement `print-numbers` touches step "
            "`admin-console-loss/provider-call`, but runbook `admin-console-loss` has no step `provider-call` "
            "[improvement-unknown-link]") in out
