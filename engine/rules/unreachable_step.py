"""A branch step that nothing can ever open, so its work can never happen.

Reachable steps are the main steps and, repeatedly, the `next` targets of
options of decisions on reachable steps, the `fallback` of a reachable step
that `requires` a service (the service may go down), and every `on:` step
(its event may come). Everything else is unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from engine.findings import Finding, Severity
from engine.graph import Opener
from engine.rules.base import Rule, Subject

if TYPE_CHECKING:
    from engine.model import Runbook

RULE = Rule(
    id="unreachable-step",
    severity=Severity.ERROR,
    doc="a branch step that nothing can ever open: no reachable decision, live fallback or event leads to it",
    stage="runbook",
)


def reachable(runbook: Runbook, main: list[str]) -> set[str]:
    """The steps some sequence of decisions, service failures and events can open."""
    steps = runbook.steps
    found = set(main) | {sid for sid, step in steps.items() if step.on}
    todo = list(found)
    while todo:
        step = steps[todo.pop()]
        targets = [t for option in step.decision.options.values() for t in option.next] if step.decision else []
        if step.requires and step.fallback:
            targets.append(step.fallback)
        for target in targets:
            if target in steps and target not in found:
                found.add(target)
                todo.append(target)
    return found


def check(runbook: Subject) -> Iterator[Finding]:
    graph = runbook.graph
    found = reachable(runbook.model, graph.main_steps())
    for sid in runbook.model.steps:
        if sid not in found:
            ways = [_describe(runbook.model, o, found) for o in graph.openers[sid]]
            yield runbook.finding(
                RULE,
                f"nothing can ever open step `{sid}`",
                ("steps", sid),
                key=True,
                hint="it is opened only by " + "; ".join(ways),
            )


def _describe(runbook: Runbook, opener: Opener, found: set[str]) -> str:
    if opener.kind == "next":
        return f"option `{opener.option}` of `{opener.source}`, which nothing can open either"
    if runbook.steps[opener.source].requires and opener.source not in found:
        return f"the fallback of `{opener.source}`, which nothing can open either"
    return f"the fallback of `{opener.source}`, which requires no service and so never falls back"
