"""On some path of decisions the runbook can never finish: a step waits for a step that never resolves.

engine.paths walks the paths of decisions (all services up, no events). A
step left opened but not done at the end of a walk is stuck. Only the first
stuck step of a chain is reported: one that waits for a dormant step which
nothing on that path will open or skip. Steps that wait only for other
stuck steps follow from it, and a step that waits directly for an `on:`
step is already a needs-on-event finding.

Only event branches can leave a step dormant for good (everything else is
opened or skipped once what comes before it is settled), so the rule looks
only at steps that need something downstream of an `on:` step, and does
not walk at all when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.paths import PathOutcome, State, explore, waiting_on_events
from engine.rules._runbook import ids
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="dead-end",
    severity=Severity.ERROR,
    doc="on some path of decisions a step waits forever, so the runbook can never finish",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    if runbook.graph.cycles():  # every walk would stop at the loop; the cycle rule says so
        return
    steps = runbook.model.steps
    events = [sid for sid, step in steps.items() if step.on]
    downstream = set().union(*(runbook.graph.descendants(e) for e in events)) if events else set()
    hanging = {sid for sid in downstream if not steps[sid].on}  # could stay dormant for want of an event
    candidates = [sid for sid, step in steps.items() if any(n in hanging for n in step.needs)]
    if not candidates:
        return
    exploration = explore(runbook.model, graph=runbook.graph)
    first: dict[str, tuple[PathOutcome, list[str]]] = {}
    count: dict[str, int] = {}
    for outcome in exploration:
        for sid in candidates:
            if outcome.states[sid] is not State.OPEN:
                continue
            waits = [n for n in outcome.unmet(sid) if outcome.states[n] is State.DORMANT and not steps[n].on]
            if waits:
                first.setdefault(sid, (outcome, waits))
                count[sid] = count.get(sid, 0) + 1
    for sid, (outcome, waits) in first.items():
        on_every_path = count[sid] == exploration.paths and not exploration.truncated
        where = "every path" if on_every_path else outcome.describe()
        yield runbook.finding(
            RULE,
            f"on {where}, step `{sid}` waits forever for {ids(waits)}",
            ("steps", sid),
            key=True,
            hint=_hint(runbook, outcome, waits),
        )


def _hint(runbook: Subject, outcome: PathOutcome, waits: list[str]) -> str:
    events: list[str] = []
    for wait in waits:
        events += [e for e in waiting_on_events(outcome, wait, runbook.model, runbook.graph) if e not in events]
    if events:
        return (f"nothing opens or skips {ids(waits)} until the event branch {ids(events)} opens, "
                "and its event may never come")
    return f"nothing on this path opens or skips {ids(waits)}"
