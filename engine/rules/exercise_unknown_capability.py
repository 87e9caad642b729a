"""The exercise names a core capability that the National Preparedness Goal does not have."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.hseep import CORE_CAPABILITIES, capability_named
from engine.rules._scenario import did_you_mean
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="exercise-unknown-capability",
    severity=Severity.WARNING,
    doc="`exercise.core-capabilities` names something that is not one of the 32 core capabilities of "
    "the National Preparedness Goal",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    exercise = scenario.model.exercise
    if exercise is None:
        return
    for index, name in enumerate(exercise.core_capabilities):
        if capability_named(name) is not None:
            continue
        yield scenario.finding(
            RULE,
            f"core capability {name!r} is not one of the National Preparedness Goal's",
            ("exercise", "core-capabilities", index),
            hint=did_you_mean(name, CORE_CAPABILITIES,
                              "for IT outages the usual ones are `Cybersecurity`, `Operational Communications`, "
                              "`Operational Coordination` and `Situational Assessment`"),
        )
