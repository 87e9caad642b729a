"""file-encoding: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="file-encoding",
    severity=Severity.ERROR,
    doc="the file is not valid UTF-8 text",
    stage="load",
)
