"""yaml-tab: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="yaml-tab",
    severity=Severity.ERROR,
    doc="a tab character is used for indentation; YAML indents with spaces only",
    stage="load",
)
