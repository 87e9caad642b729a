"""Controls: the audit controls (SOC 2, NIST SP 800-53, ISO 22301, ...) a runbook's objectives exercise.

A control is written `catalogue:id` (`soc2:CC7.4`, `nist-800-53:CP-4`). An
objective names them when it is written as a mapping (`text:` and
`controls:`), a runbook under its own `controls:` for what it covers as a
whole. engine.controls.catalogue reads the catalogues that say which ids
exist. These helpers read a runbook model (pydantic or engine.quick_check's
records) without importing pydantic.
"""

from __future__ import annotations

from typing import Any


def objective_text(entry: Any) -> str:
    """The text of an objective as a runbook writes it (plain text, or the mapping's `text`)."""
    return entry if isinstance(entry, str) else str(entry.text)


def objective_controls(entry: Any) -> list[str]:
    """The controls (catalogue:id) an objective names; none for one written as plain text."""
    return [] if isinstance(entry, str) else list(entry.controls)


def split(control: str) -> tuple[str, str]:
    """`soc2:CC7.4` -> (`soc2`, `CC7.4`)."""
    catalogue, _, ident = control.partition(":")
    return catalogue, ident
