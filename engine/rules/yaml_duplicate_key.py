"""yaml-duplicate-key: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="yaml-duplicate-key",
    severity=Severity.ERROR,
    doc="a key appears twice in one mapping; only the first is kept, so the second is lost",
    stage="load",
)
