"""Machine-readable findings as one JSON document (format version 1)."""

from __future__ import annotations

import json

from engine.findings import Finding, Severity
from engine.formats import RenderContext


def render(findings: list[Finding], ctx: RenderContext) -> str:
    def count(sev: Severity) -> int:
        return sum(1 for f in findings if f.severity is sev)

    doc = {
        "version": 1,
        "tool": {"name": "tabletop", "version": ctx.tool_version},
        "files": list(ctx.files),
        "summary": {
            "errors": count(Severity.ERROR),
            "warnings": count(Severity.WARNING),
            "infos": count(Severity.INFO),
        },
        "findings": [f.to_dict() for f in findings],
    }
    # ensure_ascii: every control or bidi character in user text comes out as \uXXXX.
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"
