"""yaml-alias-bomb: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="yaml-alias-bomb",
    severity=Severity.ERROR,
    doc="aliases expand to more than 10,000 nodes, or an alias refers to a node that contains it",
    stage="load",
)
