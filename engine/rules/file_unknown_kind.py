"""file-unknown-kind: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="file-unknown-kind",
    severity=Severity.ERROR,
    doc="the top of the file is not a mapping with exactly one of `runbook:` or `scenario:`",
    stage="load",
)
