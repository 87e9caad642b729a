"""On some path, played against the scenario, a step is still blocked when everything else is over.

Reported by `tabletop explore`. The step requires a service the scenario
takes down and never brings back up, and it has no fallback, or its
fallback never gets done, so the drill cannot finish.
"""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="explore-blocked-forever",
    severity=Severity.ERROR,
    doc="played against the scenario, a step stays blocked: its service never returns and no done fallback covers it",
    stage="explore",
)
