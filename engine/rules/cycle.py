"""Steps that wait for or open each other in a loop: none of them can ever go first."""

from __future__ import annotations

from collections.abc import Iterator

from engine.findings import Finding, Severity
from engine.rules._runbook import ids
from engine.rules.base import Rule, Subject

RULE = Rule(
    id="cycle",
    severity=Severity.ERROR,
    doc="steps wait for or open each other in a loop (through `needs`, `next` or `fallback`)",
    stage="runbook",
)


def check(runbook: Subject) -> Iterator[Finding]:
    graph = runbook.graph
    for path in graph.cycles():
        members = list(dict.fromkeys(path))
        who = f"step `{members[0]}` waits for or opens itself" if len(members) == 1 else (
            f"steps {ids(members, limit=len(members))} wait for or open each other"
        )
        links = tuple(_link(runbook, a, b) for a, b in zip(path, path[1:], strict=False))
        yield runbook.finding(
            RULE,
            f"{who}: `{' -> '.join(path)}`",
            ("steps", path[0]),
            key=True,
            hint="break one link of the loop; each arrow is a `needs`, a decision's `next` or a `fallback`",
            related=links,
        )


def _link(runbook: Subject, source: str, target: str) -> str:
    """How `source -> target` comes about, in words (one edge may carry several kinds)."""
    step = runbook.model.steps[source]
    kinds = runbook.graph.edge_kinds(source, target)
    words = []
    if "needs" in kinds:
        words.append(f"`{target}` needs `{source}`")
    if "next" in kinds and step.decision:
        options = [o for o, option in step.decision.options.items() if target in option.next]
        words.append(f"option {ids(options)} of `{source}` opens `{target}`")
    if "fallback" in kinds:
        words.append(f"`{target}` is the fallback of `{source}`")
    return "; ".join(words)
