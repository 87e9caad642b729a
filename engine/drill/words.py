"""Short texts the console and the report both print about a drill's records."""

from __future__ import annotations


def cut(text: str, limit: int = 48) -> str:
    """`text` on one line, at most `limit` characters (… where it was cut)."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[:limit - 1].rstrip() + "…"


def decision_words(rationale: str, by: str) -> str:
    """`Relay untested (decided by Dana)`: a decision's rationale and decider in one line."""
    return f"{rationale or 'no rationale'} (decided by {by or 'no one named'})"
