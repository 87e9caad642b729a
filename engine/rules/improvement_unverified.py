"""An improvement item is marked done or verified, but no later live drill verified it (`tabletop evidence`)."""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="improvement-unverified",
    severity=Severity.ERROR,
    doc="an improvement item is marked done or verified but no later live drill verified it",
    stage="evidence",
)
