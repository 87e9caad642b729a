"""When an inject or a module happens: the checks inject-timing and module-timing share.

Not a rule module (the leading underscore keeps it out of the rule registry).
Both are written the same way: `at: T+20m` on the exercise clock, or
`after:` a decision option or a step with `at: +5m` counted from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.findings import Finding
from engine.load import Path_
from engine.rules._scenario import show_time
from engine.rules.base import Rule, Subject

if TYPE_CHECKING:
    from engine.model import After


@dataclass(frozen=True)
class Timed:
    """An inject or a module as the timing checks see it."""

    noun: str  # "inject" or "module"
    name: str  # its id
    at: tuple[str, int] | None
    after: After | None
    raw: dict[str, Any]  # its entry in the file
    place: Callable[..., Path_]  # path of a part of the entry: place("after", "step")

    def has(self, key: str) -> bool:
        return self.raw.get(key) is not None


def timing(scenario: Subject, rule: Rule, item: Timed, contingency: str) -> Iterator[Finding]:
    """Findings for an item whose time and condition do not say when it happens.

    `contingency` names, for the hint, what the item becomes with `after:` ("a contingency").
    """
    yield from _when(scenario, rule, item, contingency)
    yield from _condition(scenario, rule, item)


def _when(scenario: Subject, rule: Rule, item: Timed, contingency: str) -> Iterator[Finding]:
    # A key the schema threw out still counts as written: its own finding says what is wrong with it.
    has_at = item.at is not None or item.has("at")
    has_after = item.after is not None or item.has("after")
    verb = "fires" if item.noun == "inject" else "starts"
    if not has_at and not has_after:
        yield scenario.finding(
            rule,
            f"{item.noun} `{item.name}` has neither `at` nor `after`, so nothing says when it {verb}",
            item.place("id"),
            hint=f"schedule it with `at: T+20m`, or make it {contingency} with `after:` and `at: +5m`",
        )
        return
    if item.at is None:
        return
    kind, seconds = item.at
    if kind == "absolute" and has_after:
        yield scenario.finding(
            rule,
            f"{item.noun} `{item.name}` waits for a condition but its time `{show_time(item.at)}` is on the "
            "exercise clock",
            item.place("at"),
            hint=f"write the delay after the condition as `{show_time(('relative', seconds))}`, "
            "or drop `after:` to schedule it",
        )
    elif kind == "relative" and not has_after:
        yield scenario.finding(
            rule,
            f"{item.noun} `{item.name}` has the relative time `{show_time(item.at)}` but no `after:` "
            "condition to count from",
            item.place("at"),
            hint=f"write `{show_time(('absolute', seconds))}` for a time on the exercise clock, or add `after:`",
        )


def _condition(scenario: Subject, rule: Rule, item: Timed) -> Iterator[Finding]:
    after = item.after
    if after is None:
        return
    raw = item.raw.get("after")
    # Which parts are written: from the file when it is at hand, so a bad id is not read as a missing one.
    written = ({k for k in ("decision", "option", "step") if raw.get(k) is not None} if isinstance(raw, dict)
               else {k for k in ("decision", "option", "step") if getattr(after, k) is not None})
    name = f"{item.noun} `{item.name}`"
    if {"decision", "step"} <= written:
        yield scenario.finding(
            rule,
            f"{name} waits for both a decision and a step; `after` takes one condition",
            item.place("after", "step"),
            hint=f"split it into two {item.noun}s, one for each condition",
        )
    elif not written & {"decision", "step"}:
        yield scenario.finding(
            rule,
            f"{name} has an `after` that names neither a `decision` nor a `step` to wait for",
            item.place("after"),
            hint="write `after: {decision: STEP, option: OPTION}` or `after: {step: STEP}`",
        )
    elif "decision" in written and "option" not in written:
        yield scenario.finding(
            rule,
            f"{name} waits for decision `{after.decision}` but names no `option`",
            item.place("after", "decision"),
            hint=f"add `option:` with the option whose choice sets the {item.noun} off",
        )
    elif "option" in written and "decision" not in written:
        yield scenario.finding(
            rule,
            f"{name} names option `{after.option}` without the `decision` it belongs to",
            item.place("after", "option"),
            hint="wait for a step with `step:` alone, or for a decision with `decision:` and `option:`",
        )
