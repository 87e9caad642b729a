"""The rule registry keeps its promises: one module a rule, stable ids, docs, and a fixture for each."""

from __future__ import annotations

import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

from engine.rules import all_rules, rule_modules

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
STAGES = {"load", "schema", "runbook", "scenario", "project", "explore", "improvements", "readiness", "evidence"}
CHECKED_STAGES = {"runbook": 1, "scenario": 2, "project": 1, "improvements": 2}  # stage -> parameters of check()
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
EMITTED = re.compile(r"""\.add\(\s*["']([a-z0-9-]+)["']\s*,\s*Severity\.([A-Z]+)""")
EXPECT = re.compile(rb"#\s*expect:\s*([a-z0-9-]+)\s*@")

# Rules no fixture can show, tested by the named file instead.
TESTED_ELSEWHERE = {
    "file-too-large": "test_load_limits.py",  # a fixture over 5 MB has no place in the repository
    "file-unreadable": "test_load_limits.py",  # a dangling link or a folder cannot be committed as a case
    # Explore findings come from playing a drill, which validate (and so the fixture corpus) never does.
    "explore-deadlock": "../drill/test_explore.py",
    "explore-blocked-forever": "../drill/test_explore.py",
    "explore-unfinished": "../drill/test_explore.py",
    "explore-incomplete": "../drill/test_explore.py",
    # Readiness findings come from drill logs and a date, which validate never reads.
    "drill-overdue": "../improvement/test_readiness.py",
    # Evidence findings come from drill logs, the improvement plan and a period, which validate never reads.
    "control-undrilled": "../evidence/test_evidence_findings.py",
    "improvement-unverified": "../evidence/test_evidence_findings.py",
    "log-unverified": "../evidence/test_evidence_findings.py",
    "log-files-changed": "../evidence/test_evidence_findings.py",
}

MODULES = rule_modules()


def _emitted(source: str) -> dict[str, str]:
    """Rule ids a shared module reports through `doc.add(...)`, with their severities."""
    text = (ROOT / "engine" / source).read_text(encoding="utf-8")
    return {rule: severity.lower() for rule, severity in EMITTED.findall(text)}


def _expected_in_fixtures() -> set[str]:
    """Every rule some fixture declares with `# expect:` (or in the harness's EXPECT_BINARY)."""
    found = {rule for rules in _harness().EXPECT_BINARY.values() for rule, _ in rules}
    for file in FIXTURES.rglob("*"):
        if file.is_file():
            found |= {m.decode() for m in EXPECT.findall(file.read_bytes())}
    return found


def _harness() -> ModuleType:
    """tests/test_fixtures.py, loaded by path (the tests tree has no packages)."""
    spec = importlib.util.spec_from_file_location("_fixture_harness", ROOT / "tests" / "test_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_a_rule_module_declares_its_rule_properly(module: object) -> None:
    rule = module.RULE  # type: ignore[attr-defined]
    name = module.__name__.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
    assert KEBAB.match(rule.id), f"{rule.id!r} is not kebab-case"
    assert name == rule.id.replace("-", "_"), f"module {name} holds rule {rule.id}"
    assert rule.doc.strip() and rule.doc == rule.doc.strip() and "\n" not in rule.doc, "doc must be one line"
    assert rule.stage in STAGES
    check = getattr(module, "check", None)
    if rule.stage in CHECKED_STAGES:
        assert callable(check), f"{rule.id}: a {rule.stage} rule needs check()"
        assert len(inspect.signature(check).parameters) == CHECKED_STAGES[rule.stage]
    else:
        assert check is None, f"{rule.id}: {rule.stage} findings come from shared code, not from check()"


def test_rule_ids_are_unique() -> None:
    assert len(all_rules()) == len(MODULES)


def test_every_rule_the_loader_and_the_schema_report_is_registered_with_its_severity() -> None:
    rules = all_rules()
    emitted = {**_emitted("load.py"), **_emitted("compose.py"), **_emitted("schema.py")}
    assert "yaml-syntax" in emitted and "schema-unknown-key" in emitted  # the pattern still finds them
    missing = sorted(set(emitted) - set(rules))
    assert not missing, f"reported but not registered: {missing}"
    for rule_id, severity in emitted.items():
        assert rules[rule_id].severity.value == severity, rule_id
        assert rules[rule_id].stage in ("load", "schema"), rule_id
    for rule_id in _emitted("schema.py"):
        assert rules[rule_id].stage == "schema", rule_id


def test_every_load_and_schema_rule_is_reported_somewhere() -> None:
    emitted = {**_emitted("load.py"), **_emitted("compose.py"), **_emitted("schema.py")}
    silent = sorted(r.id for r in all_rules().values() if r.stage in ("load", "schema") and r.id not in emitted)
    assert not silent, f"registered but reported by nothing: {silent}"


def test_every_rule_has_a_fixture_expecting_it() -> None:
    covered = _expected_in_fixtures()
    missing = sorted(rid for rid in all_rules() if rid not in covered and rid not in TESTED_ELSEWHERE)
    assert not missing, f"rules without a fixture in tests/fixtures: {missing}"
    for rule_id, test_file in TESTED_ELSEWHERE.items():
        assert rule_id in all_rules()
        assert rule_id in (Path(__file__).parent / test_file).read_text(encoding="utf-8")


def test_the_stage_table_lists_every_rule_module_at_its_stage() -> None:
    """engine.rules.STAGES (what validate imports by stage) and the folder agree: a new rule module
    must be added there, at the stage its RULE declares."""
    from engine.rules import STAGES

    folder = sorted(p.stem.replace("_", "-") for p in (ROOT / "engine" / "rules").glob("*.py")
                    if not p.stem.startswith("_") and p.stem != "base")
    listed = sorted(rule_id for ids in STAGES.values() for rule_id in ids)
    assert listed == folder, "add the new rule's id to STAGES in engine/rules/__init__.py"
    for stage, ids in STAGES.items():
        for rule_id in ids:
            module = importlib.import_module(f"engine.rules.{rule_id.replace('-', '_')}")
            assert module.RULE.stage == stage, f"{rule_id} is listed under {stage}, its RULE says {module.RULE.stage}"
