"""yaml-syntax: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="yaml-syntax",
    severity=Severity.ERROR,
    doc="the file is not well-formed YAML, nests too deeply, or holds more than one YAML document",
    stage="load",
)
