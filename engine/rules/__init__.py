"""Validation rules: one module a rule, each with RULE (id, severity, doc) and, unless it is
emitted while loading, a `check` function for its stage.

Stages and the signature of `check`:
  load, schema  -- none: engine.load and engine.schema emit these findings
  runbook       -- check(runbook: Subject) -> Iterable[Finding]
  scenario      -- check(scenario: Subject, project: Project) -> Iterable[Finding]
  project       -- check(project: Project) -> Iterable[Finding]
  improvements  -- check(plan: Subject, project: Project) -> Iterable[Finding], per improvement-plan file
  readiness     -- none: `tabletop readiness` (engine.readiness.cadence) emits these findings
  explore       -- none: `tabletop explore` (engine.explore_findings) emits these
                   findings after playing every path of a scenario; validate never does
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType

from engine.rules.base import Rule

_NOT_RULES = {"base"}


@lru_cache(maxsize=1)
def rule_modules() -> tuple[ModuleType, ...]:
    """Every rule module, sorted by rule id."""
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_RULES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if not isinstance(getattr(module, "RULE", None), Rule):
            raise RuntimeError(f"rule module {module.__name__} has no RULE")
        modules.append(module)
    return tuple(sorted(modules, key=lambda m: m.RULE.id))


def rule_ids() -> set[str]:
    """Every rule id, without importing the rules (a rule's module is named after its id, a test checks):
    enough to check settings that name rules, for commands that run none."""
    return {info.name.replace("_", "-") for info in pkgutil.iter_modules(__path__)
            if info.name not in _NOT_RULES and not info.name.startswith("_")}


def all_rules() -> dict[str, Rule]:
    """Every rule, by id, in id order."""
    return {m.RULE.id: m.RULE for m in rule_modules()}


def checks(stage: str) -> list[ModuleType]:
    """The rule modules that run at a stage (runbook, scenario or project)."""
    return [m for m in rule_modules() if m.RULE.stage == stage]
