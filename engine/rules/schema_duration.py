"""schema-duration: reported by engine.schema while checking the file against its model (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="schema-duration",
    severity=Severity.ERROR,
    doc="a duration or scenario time is not written like `15m`, `1h30m`, `T+20m` or `+30m`",
    stage="schema",
)
