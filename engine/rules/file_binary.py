"""file-binary: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="file-binary",
    severity=Severity.ERROR,
    doc="the file holds binary data (NUL bytes), not YAML text",
    stage="load",
)
