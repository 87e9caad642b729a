"""A runbook or scenario file a drill ran with has changed since the drill (`tabletop evidence`)."""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="log-files-changed",
    severity=Severity.WARNING,
    doc="a runbook or scenario a drill ran with has changed since; its AAR is read from the log alone",
    stage="evidence",
)
