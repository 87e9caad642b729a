"""schema-unknown-key: reported by engine.schema while checking the file against its model (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="schema-unknown-key",
    severity=Severity.ERROR,
    doc="a key the format does not define, usually a typo; the hint names the closest known key",
    stage="schema",
)
