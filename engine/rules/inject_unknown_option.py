"""A contingency inject waits for an option that its decision does not offer."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import did_you_mean, known, listing, placed_injects
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-unknown-option",
    severity=Severity.ERROR,
    doc="`after.option` is not an option of the decision the inject waits for",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    runbooks = known(scenario, project)
    if not runbooks.resolved:
        return
    for placed in placed_injects(scenario):
        after = placed.inject.after
        if after is None or after.decision is None or after.option is None:
            continue
        deciding = [s for s in runbooks.steps_named(after.decision) if s.decision]
        if not deciding:  # an unknown decision is inject-unknown-step's finding
            continue
        options = list(dict.fromkeys(o for s in deciding if s.decision for o in s.decision.options))
        if after.option in options:
            continue
        yield scenario.finding(
            RULE,
            f"inject `{placed.inject.id}` waits for option `{after.option}` of decision `{after.decision}`, "
            "which has no such option",
            placed.at("after", "option"),
            hint=did_you_mean(after.option, options, f"its options are {listing(options)}"),
        )
