"""What the runbook-stage rules share: hints for misspelt ids and short lists of ids.

Not a rule module (the leading underscore keeps it out of the rule registry).
"""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """`did you mean `x`?` for the closest of choices, or None when nothing is close."""
    import difflib  # only when there is a name to match

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def ids(names: Iterable[str], limit: int = 6) -> str:
    """`a`, `b` and `c`; longer lists end with `(and 3 more)`."""
    items = [f"`{n}`" for n in names]
    shown, more = items[:limit], len(items) - limit
    if more > 0:
        return ", ".join(shown) + f" (and {more} more)"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
