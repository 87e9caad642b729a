"""A drill log used as evidence does not verify (`tabletop evidence`)."""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="log-unverified",
    severity=Severity.ERROR,
    doc="a drill log does not verify: a line changed, removed or torn, a seal that does not match, or no drill in it",
    stage="evidence",
)
