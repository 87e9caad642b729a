"""GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=...::message`.

Escaping follows actions/toolkit `packages/core/src/command.ts` (escapeData, escapeProperty).
"""

from __future__ import annotations

import re

from engine.findings import Finding, Severity
from engine.formats import RenderContext

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

# Control characters GitHub would pass through to the log; CR and LF are escaped separately.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _defang(s: str) -> str:
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", s)


def escape_data(s: str) -> str:
    """Escape a command's message: `%`, CR and LF."""
    return _defang(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """Escape a property value: as escape_data, plus `:` and `,`."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _command(f: Finding) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (("file", f.path), ("line", f.line), ("col", f.column), ("title", f.rule))
    )
    message = f.message if not f.hint else f"{f.message}\nhint: {f.hint}"
    return f"::{_COMMANDS[f.severity]} {props}::{escape_data(message)}"


def render(findings: list[Finding], ctx: RenderContext) -> str:
    return "".join(_command(f) + "\n" for f in findings)
