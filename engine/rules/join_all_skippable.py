"""A join whose every need can be skipped on one path: it would then go ahead with none of that work done.

On some combination of decisions (all services up, no events) every step
the join needs is skipped, while the join itself is not. Main steps are
never skipped, so only steps that need nothing but branch steps are looked
at, and only the decisions that open those steps are combined
(engine.paths.join_skip), which keeps the check fast on big runbooks.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.paths import join_skip
from engine.rules._runbook import ids
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="join-all-skippable",
    severity=Severity.WARNING,
    doc="on some path of decisions every step a join needs is skipped, so it goes ahead with none of that work done",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    graph = runbook.graph
    if graph.cycles():  # the cycle rule says so; paths through a loop mean nothing
        return
    for sid, step in runbook.model.steps.items():
        needs = [n for n in step.needs if n in graph.steps]
        if not needs or not all(graph.is_branch(n) for n in needs):
            continue
        found = join_skip(runbook.model, graph, sid, needs)
        if found.example is None:
            continue
        path = ", ".join(f"{d}={o}" for d, o in found.example.items())
        where = "every path" if found.always else f"the path {path}"
        what = f"`{needs[0]}`, the only step" if len(needs) == 1 else f"{ids(needs)}, every step"
        yield runbook.finding(
            RULE,
            f"on {where}, {what} that `{sid}` needs is skipped, so `{sid}` goes ahead with none of that work done",
            ("steps", sid),
            key=True,
            hint=f"make `{sid}` also need a step that always runs, or open it from the same branch",
        )
