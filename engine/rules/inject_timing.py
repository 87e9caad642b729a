"""An inject whose time and condition do not say when it fires."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._scenario import Placed, placed_injects, show_time
from engine.rules.base import Project, Rule, Subject

RULE = Rule(
    id="inject-timing",
    severity=Severity.ERROR,
    doc="an inject has no time and no condition, mixes them up, or its `after` condition is malformed",
    stage="scenario",
)


def check(scenario: Subject, project: Project) -> Iterator[Finding]:
    for placed in placed_injects(scenario):
        yield from _when(scenario, placed)
        yield from _condition(scenario, placed)


def _when(scenario: Subject, placed: Placed) -> Iterator[Finding]:
    inject = placed.inject
    # A key the schema threw out still counts as written: its own finding says what is wrong with it.
    has_at = inject.at is not None or placed.has("at")
    has_after = inject.after is not None or placed.has("after")
    if not has_at and not has_after:
        yield scenario.finding(
            RULE,
            f"inject `{inject.id}` has neither `at` nor `after`, so nothing says when it fires",
            placed.at("id"),
            hint="schedule it with `at: T+20m`, or make it a contingency with `after:` and `at: +5m`",
        )
        return
    if inject.at is None:
        return
    kind, seconds = inject.at
    if kind == "absolute" and has_after:
        yield scenario.finding(
            RULE,
            f"inject `{inject.id}` waits for a condition but its time `{show_time(inject.at)}` is on the "
            "exercise clock",
            placed.at("at"),
            hint=f"write the delay after the condition as `{show_time(('relative', seconds))}`, "
            "or drop `after:` to schedule it",
        )
    elif kind == "relative" and not has_after:
        yield scenario.finding(
            RULE,
            f"inject `{inject.id}` has the relative time `{show_time(inject.at)}` but no `after:` "
            "condition to count from",
            placed.at("at"),
            hint=f"write `{show_time(('absolute', seconds))}` for a time on the exercise clock, or add `after:`",
        )


def _condition(scenario: Subject, placed: Placed) -> Iterator[Finding]:
    after = placed.inject.after
    if after is None:
        return
    raw = placed.raw.get("after")
    # Which parts are written: from the file when it is at hand, so a bad id is not read as a missing one.
    written = ({k for k in ("decision", "option", "step") if raw.get(k) is not None} if isinstance(raw, dict)
               else {k for k in ("decision", "option", "step") if getattr(after, k) is not None})
    name = placed.inject.id
    if {"decision", "step"} <= written:
        yield scenario.finding(
            RULE,
            f"inject `{name}` waits for both a decision and a step; `after` takes one condition",
            placed.at("after", "step"),
            hint="split it into two injects, one for each condition",
        )
    elif not written & {"decision", "step"}:
        yield scenario.finding(
            RULE,
            f"inject `{name}` has an `after` that names neither a `decision` nor a `step` to wait for",
            placed.at("after"),
            hint="write `after: {decision: STEP, option: OPTION}` or `after: {step: STEP}`",
        )
    elif "decision" in written and "option" not in written:
        yield scenario.finding(
            RULE,
            f"inject `{name}` waits for decision `{after.decision}` but names no `option`",
            placed.at("after", "decision"),
            hint="add `option:` with the option whose choice sets the inject off",
        )
    elif "option" in written and "decision" not in written:
        yield scenario.finding(
            RULE,
            f"inject `{name}` names option `{after.option}` without the `decision` it belongs to",
            placed.at("after", "option"),
            hint="wait for a step with `step:` alone, or for a decision with `decision:` and `option:`",
        )
