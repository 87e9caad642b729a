"""file-too-large: reported by engine.load while reading the file (no check here)."""

from engine.findings import Severity
from engine.rules.base import Rule

RULE = Rule(
    id="file-too-large",
    severity=Severity.ERROR,
    doc="the file is bigger than the size limit (max-file-bytes, 5 MB by default), so it is not read",
    stage="load",
)
