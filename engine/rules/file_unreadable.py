"""file-unreadable: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="file-unreadable",
    severity=Severity.ERROR,
    doc="the file cannot be opened or read (no permission, a broken link, a special file)",
    stage="load",
)
