"""A runbook with a drill cadence has not been drilled live within it (`tabletop readiness`)."""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="drill-overdue",
    severity=Severity.ERROR,
    doc="a runbook with a `drill_every` cadence (its own, or in the settings) has not been drilled live within it",
    stage="readiness",
)
