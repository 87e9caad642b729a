"""schema-id: reported by engine.schema while checking the file against its model (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="schema-id",
    severity=Severity.ERROR,
    doc="an id is not lowercase kebab-case like `detect-deferrals`",
    stage="schema",
)
