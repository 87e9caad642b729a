"""SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.

GitHub code scanning refuses a run of more than 25,000 results and a file of
more than 20 runs. Up to RUN_LIMIT findings make one run; more are split into
runs of at most RUN_LIMIT, errors first, each with its own automationDetails
id (`tabletop/validate/part-2-of-3/`, since GitHub refuses two runs of one tool
in one category); past MAX_RUNS runs the rest are left out and the last run's
invocation says how many.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from engine.findings import Finding, Severity
from engine.formats import RenderContext
from engine.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tabletop-drills/tabletop"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
RUN_LIMIT = 25_000  # results per run GitHub accepts
MAX_RUNS = 20  # runs per file GitHub accepts
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


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
    if len(findings) <= RUN_LIMIT:
        runs = [_run(findings, rules, rule_index, file_index, ctx)]
    else:
        ordered = sorted(findings, key=lambda f: _RANK[f.severity])  # stable: file order within a severity
        kept = ordered[:RUN_LIMIT * MAX_RUNS]
        parts = [kept[i:i + RUN_LIMIT] for i in range(0, len(kept), RUN_LIMIT)]
        runs = []
        for number, part in enumerate(parts, start=1):
            run = _run(part, rules, rule_index, file_index, ctx)
            run["automationDetails"] = {"id": f"tabletop/validate/part-{number}-of-{len(parts)}/"}
            runs.append(run)
        left_out = len(ordered) - len(kept)
        if left_out:
            text = (f"{left_out} of {len(ordered)} findings are left out: a SARIF file for GitHub holds at most "
                    f"{MAX_RUNS} runs of {RUN_LIMIT} results; run `tabletop validate` for all of them")
            runs[-1]["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
                {"level": "warning", "message": {"text": text}}]}]
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": runs}
    return json.dumps(log, indent=2, ensure_ascii=True) + "\n"


def _run(findings: list[Finding], rules: list[Rule], rule_index: dict[str, int], file_index: dict[str, int],
         ctx: RenderContext) -> dict[str, object]:
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
    return {
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
