"""schema-missing-key: reported by engine.schema while checking the file against its model (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="schema-missing-key",
    severity=Severity.ERROR,
    doc="a required key, such as a step's `title`, is missing",
    stage="schema",
)
