"""schema-type: reported by engine.schema while checking the file against its model (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="schema-type",
    severity=Severity.ERROR,
    doc="a value has the wrong type or form, such as a number where text belongs or text where a list belongs",
    stage="schema",
)
