"""A module waits for a step, decision or option that the scenario's runbooks do not have."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import Known, PlacedModule, did_you_mean, known, listing, placed_modules
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="module-unknown-condition",
    severity=Severity.ERROR,
    doc="a module's `after` names a step, decision or option its scenario's runbooks do not have",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    for placed in placed_modules(scenario):
        after = placed.module.after
        if after is None:
            continue
        if after.step is not None and after.step not in runbooks.steps():
            yield scenario.finding(
                RULE,
                f"module `{placed.module.id}` waits for step `{after.step}`, which is not a step of its runbooks",
                placed.at("after", "step"),
                hint=did_you_mean(after.step, runbooks.steps()),
            )
        if after.decision is not None:
            yield from _decision(scenario, runbooks, placed)


def _decision(scenario: Subject, runbooks: Known, placed: PlacedModule) -> Iterator[Finding]:
    after = placed.module.after
    assert after is not None and after.decision is not None
    name = placed.module.id
    deciding = [s for s in runbooks.steps_named(after.decision) if s.decision]
    if not deciding:
        decisions = runbooks.decisions()
        yield scenario.finding(
            RULE,
            f"module `{name}` waits for decision `{after.decision}`, which is not a decision of its runbooks",
            placed.at("after", "decision"),
            hint=did_you_mean(after.decision, decisions,
                              f"the decision steps are {listing(decisions)}" if decisions else None),
        )
        return
    options = list(dict.fromkeys(o for s in deciding if s.decision for o in s.decision.options))
    if after.option is not None and after.option not in options:
        yield scenario.finding(
            RULE,
            f"module `{name}` waits for option `{after.option}` of decision `{after.decision}`, "
            "which has no such option",
            placed.at("after", "option"),
            hint=did_you_mean(after.option, options, f"its options are {listing(options)}"),
        )
