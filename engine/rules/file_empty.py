"""file-empty: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="file-empty",
    severity=Severity.ERROR,
    doc="the file holds no YAML document: it is empty or only comments",
    stage="load",
)
