"""A contingency inject waits for a step or decision that its runbooks do not have."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import Known, Placed, did_you_mean, known, listing, placed_injects
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-unknown-step",
    severity=Severity.ERROR,
    doc="`after.step` or `after.decision` names no step (or no decision step) of the scenario's runbooks",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    for placed in placed_injects(scenario):
        after = placed.inject.after
        if after is None:
            continue
        if after.step is not None:
            yield from _step(scenario, runbooks, placed, after.step)
        if after.decision is not None:
            yield from _decision(scenario, runbooks, placed, after.decision)


def _step(scenario: Subject, runbooks: Known, placed: Placed, step_id: str) -> Iterator[Finding]:
    steps = runbooks.steps()
    if step_id in steps:
        return
    yield scenario.finding(
        RULE,
        f"inject `{placed.inject.id}` waits for step `{step_id}`, which is not a step of its runbooks",
        placed.at("after", "step"),
        hint=did_you_mean(step_id, steps),
    )


def _decision(scenario: Subject, runbooks: Known, placed: Placed, step_id: str) -> Iterator[Finding]:
    decisions = runbooks.decisions()
    if step_id in decisions:
        return
    if runbooks.steps_named(step_id):  # the step exists but asks no question
        known_ones = f"the decision steps are {listing(decisions)}" if decisions else "its runbooks have no decisions"
        yield scenario.finding(
            RULE,
            f"inject `{placed.inject.id}` waits for a decision at step `{step_id}`, which has no `decision:`",
            placed.at("after", "decision"),
            hint=f"{known_ones}; to wait for the step to be done, write `after: {{step: {step_id}}}`",
        )
        return
    yield scenario.finding(
        RULE,
        f"inject `{placed.inject.id}` waits for decision `{step_id}`, which is not a step of its runbooks",
        placed.at("after", "decision"),
        hint=did_you_mean(step_id, decisions) or did_you_mean(step_id, runbooks.steps()),
    )
