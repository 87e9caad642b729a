"""Modules, questions and the exercise overview: what the fixtures do not show on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.findings import Finding
from engine.hseep import CORE_CAPABILITIES, MISSION_AREAS
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"
RUNBOOK = (ROOT / "tests" / "fixtures" / "scenario-timing" / "mail-outage.yaml").read_text(encoding="utf-8")


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: str) -> list[Finding]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mail-outage.yaml").write_text(RUNBOOK, encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(scenario, encoding="utf-8")
    return validate(["mail-outage.yaml", "scenario.yaml"]).findings


HEAD = "scenario: s\ntitle: S\nrunbooks: [mail-outage]\n"


def test_a_key_written_with_underscores_is_pointed_at_its_kebab_spelling(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    findings = run(tmp_path, monkeypatch, HEAD + "exercise:\n  core_capabilities: [Cybersecurity]\n")
    assert [(f.rule, f.line, f.hint) for f in findings] == [
        ("schema-unknown-key", 5, "did you mean 'core-capabilities'?")]


def test_a_misspelt_key_under_an_optional_mapping_gets_a_hint(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    findings = run(tmp_path, monkeypatch, HEAD + "exercise:\n  contacts:\n    - {name: A, emial: a@example.com}\n")
    assert [(f.rule, f.hint) for f in findings] == [("schema-unknown-key", "did you mean 'email'?")]


def test_capabilities_match_whatever_the_case_and_spacing_and_hint_the_nearest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + "exercise:\n  core-capabilities: ['operational   COMMUNICATIONS', Cyber security]\n"
    findings = run(tmp_path, monkeypatch, text)
    assert [(f.rule, f.hint) for f in findings] == [
        ("exercise-unknown-capability", "did you mean `Cybersecurity`?")]


def test_the_goal_has_32_core_capabilities_in_five_mission_areas() -> None:
    assert len(CORE_CAPABILITIES) == 32
    assert {area for areas in CORE_CAPABILITIES.values() for area in areas} == set(MISSION_AREAS)


def test_markup_and_terminal_escapes_in_questions_are_plain_text(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + (
        "modules:\n  - id: m\n    title: '<b>[red]x[/red]</b>'\n    at: T+0m\n"
        "    questions:\n      - {id: q, ask: \"<script>alert(1)</script> \\e[31m\", prompts: ['`rm -rf /`']}\n"
    )
    assert run(tmp_path, monkeypatch, text) == []


def test_shipped_scenario_puts_every_inject_in_exactly_one_module() -> None:
    result = validate([str(p) for p in sorted((ROOT / "runbooks").glob("*.yaml"))] + [str(SHIPPED)])
    assert result.findings == []
    scenario = result.documents[-1].model
    listed = [i for m in scenario.modules for i in m.injects]
    assert sorted(listed) == sorted(i.id for i in scenario.injects)
    assert [m.id for m in scenario.modules] == ["mail-stops", "long-evening", "long-tail"]
    for module in scenario.modules:
        assert module.situation and len(module.questions) >= 3
        assert all(q.objectives and q.to and q.expect for q in module.questions)
    assert scenario.exercise is not None and scenario.exercise.core_capabilities and scenario.exercise.contacts
