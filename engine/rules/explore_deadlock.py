"""On some path of decisions, played against the scenario's injects, the drill cannot finish.

Reported by `tabletop explore` (engine.drill.explore), not by validate: it
needs the whole drill played, every runbook of a scenario with its injects.
A step opened on that path waits for a step that nothing will ever open: an
event branch whose event no inject brings on that path, a fallback of a
step that is never blocked, a branch of a decision that is itself stuck.
"""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="explore-deadlock",
    severity=Severity.ERROR,
    doc="played against the scenario, some path of decisions leaves a step waiting for a step nothing opens",
    stage="explore",
)
