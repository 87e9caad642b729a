"""A control the runbooks name had no live drill in the evidence period (`tabletop evidence`)."""

from __future__ import annotations

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="control-undrilled",
    severity=Severity.ERROR,
    doc="a control the runbooks name had no live drill that verifies in the evidence period",
    stage="evidence",
)
