"""Validation rules: one module a rule, each with RULE (id, severity, doc) and, unless it is
emitted while loading, a `check` function for its stage.

Stages and the signature of `check`:
  load, schema  -- none: engine.load, engine.compose and engine.schema emit these findings
  runbook       -- check(runbook: Subject) -> Iterable[Finding]
  scenario      -- check(scenario: Subject, project: Project) -> Iterable[Finding]
  project       -- check(project: Project) -> Iterable[Finding] (unknown-control: the project's catalogues)
  improvements  -- check(plan: Subject, project: Project) -> Iterable[Finding], per improvement-plan file
  readiness     -- none: `tabletop readiness` (engine.readiness.cadence) emits these findings
  evidence      -- none: `tabletop evidence` (engine.evidence.findings) emits these findings
  explore       -- none: `tabletop explore` (engine.explore_findings) emits these
                   findings after playing every path of a scenario; validate never does

STAGES names every rule by stage, so a run imports only the modules of the
stages it runs (validate of one runbook: the runbook rules, nothing else)
and settings can check rule ids without importing any. Module `x_y` holds
rule `x-y`; tests/rules/test_rule_registry.py keeps STAGES and the folder
in agreement.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from functools import cache
from types import ModuleType

from engine.rules.base import Rule

STAGES: dict[str, tuple[str, ...]] = {
    "load": ("file-binary", "file-empty", "file-encoding", "file-too-large", "file-unknown-kind",
             "file-unreadable", "yaml-alias-bomb", "yaml-duplicate-key", "yaml-syntax", "yaml-tab",
             "yaml-unsafe-tag"),
    "schema": ("schema-duration", "schema-id", "schema-missing-key", "schema-type", "schema-unknown-key"),
    "runbook": ("cycle", "dead-end", "decision-default-no-within", "decision-default-unknown", "decision-options",
                "decision-within-no-default", "fallback-without-requires", "join-all-skippable",
                "needs-on-event", "option-no-next", "unknown-fallback", "unknown-need", "unknown-next",
                "unknown-objective", "unknown-role", "unknown-service", "unreachable-step", "unused-objective",
                "unused-role", "unused-service"),
    "scenario": ("exercise-unknown-capability", "inject-after-duration", "inject-empty", "inject-order",
                 "inject-timing", "inject-unheard-event", "inject-unknown-objective", "inject-unknown-option",
                 "inject-unknown-role", "inject-unknown-service", "inject-unknown-step", "module-after-duration",
                 "module-empty", "module-inject-early", "module-inject-outside", "module-order",
                 "module-shared-inject", "module-timing", "module-unknown-condition", "module-unknown-inject",
                 "question-unknown-objective", "question-unknown-role", "unknown-runbook"),
    "project": ("duplicate-id", "unknown-control"),
    "explore": ("explore-blocked-forever", "explore-deadlock", "explore-incomplete", "explore-unfinished"),
    "improvements": ("improvement-duplicate-id", "improvement-no-reason", "improvement-overdue",
                     "improvement-unassigned", "improvement-unknown-link"),
    "readiness": ("drill-overdue",),
    "evidence": ("control-undrilled", "improvement-unverified", "log-files-changed", "log-unverified"),
}


@cache
def rule_module(rule_id: str) -> ModuleType:
    """The module of one rule, imported on first use. KeyError for an id no stage lists."""
    if rule_id not in RuleBook.ids():
        raise KeyError(rule_id)
    module = importlib.import_module(f"{__name__}.{rule_id.replace('-', '_')}")
    if not isinstance(getattr(module, "RULE", None), Rule):
        raise RuntimeError(f"rule module {module.__name__} has no RULE")
    return module


class RuleBook(Mapping[str, Rule]):
    """Every rule by id, in id order; a rule's module is imported only when its Rule is asked for."""

    @staticmethod
    @cache
    def ids() -> tuple[str, ...]:
        return tuple(sorted(rule_id for ids in STAGES.values() for rule_id in ids))

    def __getitem__(self, rule_id: str) -> Rule:
        rule: Rule = rule_module(rule_id).RULE
        return rule

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids())

    def __len__(self) -> int:
        return len(self.ids())

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.ids()


def rule_modules() -> tuple[ModuleType, ...]:
    """Every rule module, sorted by rule id (imports them all)."""
    return tuple(rule_module(rule_id) for rule_id in RuleBook.ids())


def rule_ids() -> set[str]:
    """Every rule id, without importing any rule (from STAGES): enough to check settings
    that name rules, for commands that run none."""
    return set(RuleBook.ids())


def all_rules() -> RuleBook:
    """Every rule, by id, in id order (modules imported as rules are looked at)."""
    return RuleBook()


@cache
def checks(stage: str) -> tuple[ModuleType, ...]:
    """The rule modules that run at a stage (runbook, scenario or project), in id order."""
    return tuple(rule_module(rule_id) for rule_id in STAGES[stage])
