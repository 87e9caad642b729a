"""SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from engine.findings import Finding, Severity
from engine.formats import RenderContext

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tabletop-drills/tabletop"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(path: str) -> dict[str, object]:
    """A POSIX path as a SARIF artifactLocation: relative to %SRCROOT%, or a file: URI if absolute."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/", errors="surrogateescape")}
    while path.startswith("./"):
        path = path[2:]
    return {"uri": quote(path, safe="/", errors="surrogateescape"), "uriBaseId": "%SRCROOT%"}


def fingerprint(f: Finding) -> str:
    """Stable across line moves: rule, path and message only."""
    key = f"{f.rule}\0{f.path}\0{f.message}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _message(f: Finding) -> str:
    text = f.message.rstrip()
    if f.hint:
        if not text.endswith((".", "!", "?")):
            text += "."
        text += " " + f.hint.strip()
    return text


def render(findings: list[Finding], ctx: RenderContext) -> str:
    rules = [ctx.rules[rid] for rid in sorted(ctx.rules)]
    rule_index = {rule.id: i for i, rule in enumerate(rules)}
    file_index = {path: i for i, path in enumerate(ctx.files)}

    results = []
    for f in findings:
        location = artifact_location(f.path)
        if f.path in file_index:
            location["index"] = file_index[f.path]
        result: dict[str, object] = {"ruleId": f.rule}
        if f.rule in rule_index:
            result["ruleIndex"] = rule_index[f.rule]
        result.update(
            level=_LEVELS[f.severity],
            message={"text": _message(f)},
            locations=[
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                    }
                }
            ],
            partialFingerprints={"tabletop/v1": fingerprint(f)},
        )
        results.append(result)

    run = {
        "tool": {
            "driver": {
                "name": "tabletop",
                "version": ctx.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [
                    {
                        "id": rule.id,
                        "shortDescription": {"text": rule.doc},
                        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                    }
                    for rule in rules
                ],
            }
        },
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": artifact_location(path)} for path in ctx.files],
        "results": results,
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=True) + "\n"
