"""Human-readable findings: `path:line:col: severity: message [rule-id]`, then a summary."""

from __future__ import annotations

import unicodedata

from engine.findings import Finding, Severity
from engine.formats import RenderContext
from engine.terminal import escape

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"

def sanitize(text: str) -> str:
    """Make user-derived text inert on a terminal (engine.terminal.escape)."""
    return escape(text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(findings: list[Finding], files: int, skipped: int = 0) -> str:
    """`3 files checked: 2 errors, 1 warning`, or `... : no problems`; then `; 12 other YAML files skipped`."""
    counts = [sum(1 for f in findings if f.severity is sev) for sev in Severity]
    parts = [_plural(n, sev.value) for sev, n in zip(Severity, counts, strict=False) if n]
    line = f"{_plural(files, 'file')} checked: {', '.join(parts) or 'no problems'}"
    return line + (f"; {skipped_text(skipped)}" if skipped else "")


def skipped_text(count: int) -> str:
    """`1 other YAML file skipped` / `12 other YAML files skipped` (not tabletop files)."""
    return f"{count} other YAML {'file' if count == 1 else 'files'} skipped (not tabletop files)"


def _snippet(finding: Finding, ctx: RenderContext) -> list[str]:
    lines = ctx.source(finding.path)
    if not lines or not 1 <= finding.line <= len(lines):
        return []
    raw = lines[finding.line - 1].rstrip("\r\n")
    col = min(max(finding.column, 1), len(raw) + 1)
    # Keep tabs so the caret lines up, widen for escapes and East Asian wide characters.
    pad = "".join(
        "\t" if ch == "\t" else " " * (2 if unicodedata.east_asian_width(ch) in "WF" else 1)
        for ch in _keep_tabs(raw[: col - 1])
    )
    return [f"    {_keep_tabs(raw)}", f"    {pad}^"]


def _keep_tabs(text: str) -> str:
    """A source line escaped for the terminal but for its tabs, so the caret under it lines up."""
    return "\t".join(sanitize(part) for part in text.split("\t"))


def render(findings: list[Finding], ctx: RenderContext) -> str:
    out: list[str] = []
    for f in findings:
        sev = f.severity.value
        if ctx.color:
            sev = f"{_COLORS[f.severity]}{sev}{_RESET}"
        out.append(f"{sanitize(f.path)}:{f.line}:{f.column}: {sev}: {sanitize(f.message)} [{sanitize(f.rule)}]")
        if ctx.snippets:
            out.extend(_snippet(f, ctx))
        if f.hint:
            out.append(f"  hint: {sanitize(f.hint)}")
        out.extend(f"  related: {sanitize(r)}" for r in f.related)
    out.append(summary_line(findings, len(ctx.files), ctx.skipped))
    return "\n".join(out) + "\n"
