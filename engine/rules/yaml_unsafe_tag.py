"""yaml-unsafe-tag: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="yaml-unsafe-tag",
    severity=Severity.ERROR,
    doc="a YAML tag other than the core types is used, such as `!!python/object` or `!include`",
    stage="load",
)
