"""Renderers for findings: text, json, github, sarif, junit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from engine.findings import Finding
from engine.rules.base import Rule


@dataclass
class RenderContext:
    """What a renderer may need besides the findings themselves."""

    rules: Mapping[str, Rule]  # every known rule, by id (engine.rules.RuleBook imports as it is read)
    files: list[str]  # every file that was checked, in order
    tool_version: str
    color: bool = False  # ANSI colour (text format on a terminal)
    snippets: bool = False  # show the source line with a caret (text format on a terminal)
    source: Callable[[str], list[str] | None] = field(default=lambda path: None)  # lines of a file
    skipped: int = 0  # YAML files found in folders that are not tabletop's, left unread
    strict: bool = False  # warnings fail too (validate --strict): JUnit files them as failures only then
    timestamp: str = "1970-01-01T00:00:00"  # when the check ran, UTC, no zone (JUnit); the command sets it


FORMATS = ("text", "json", "github", "sarif", "junit")


def render(name: str, findings: list[Finding], ctx: RenderContext) -> str:
    """Render findings in the named format; the result ends with a newline when non-empty."""
    if name == "text":
        from engine.formats import text as mod
    elif name == "json":
        from engine.formats import json as mod  # type: ignore[no-redef]
    elif name == "github":
        from engine.formats import github as mod  # type: ignore[no-redef]
    elif name == "sarif":
        from engine.formats import sarif as mod  # type: ignore[no-redef]
    elif name == "junit":
        from engine.formats import junit as mod  # type: ignore[no-redef]
    else:
        raise ValueError(f"unknown format {name!r}")
    return mod.render(findings, ctx)
