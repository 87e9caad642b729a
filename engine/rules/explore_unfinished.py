"""On some path, played against the scenario, the drill is still going a day after its planned end.

Reported by `tabletop explore`. Steps take their `target` (ten minutes
without one); a path still running 24 hours after the scenario's duration
(or its last scheduled inject) is cut off there. It is a warning: nothing is
stuck, but the plan cannot be drilled in anything like the time given.
"""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="explore-unfinished",
    severity=Severity.WARNING,
    doc="played against the scenario, some path is still running 24 hours after the scenario's planned duration",
    stage="explore",
)
