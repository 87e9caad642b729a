"""`tabletop explore` stopped at its path limit before every path of decisions was played.

Reported by `tabletop explore` when --limit cut the search: the findings
then speak for the paths played only. The summary says exactly what was and
was not explored (the branches not followed and where, the options no path
took). A warning, so `--strict` (and CI that fails on warnings) fails on it.
"""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="explore-incomplete",
    severity=Severity.WARNING,
    doc="the search stopped at --limit: some paths of decisions were not played, so their problems are unknown",
    stage="explore",
)
