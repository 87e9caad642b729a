"""Findings: what validation reports about a file, with where and why."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column in a file."""

    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Finding:
    """One problem found in one file, at one place."""

    path: str  # as given on the command line or found in a folder, POSIX style
    line: int  # 1-based
    column: int  # 1-based
    rule: str  # stable rule id, e.g. "unknown-need"
    severity: Severity
    message: str
    hint: str | None = None
    # Extra facts a renderer may show (a cycle's path, the decisions of a dead end).
    related: tuple[str, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.hint:
            out["hint"] = self.hint
        return out
