"""Readers shared by several event types (codec.key's `read`): each takes the raw value and the whole
`data`, returns the field's value, or raises codec.Bad with the message tabletop has always given."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.drill.event_types.codec import Bad, Reader, empty, none  # noqa: F401  (empty, none: for `omit`)

HEALTH = ("up", "degraded", "down")


def text(message: str) -> Reader:
    """Text, or Bad(message)."""
    def read(value: Any, data: Mapping[str, Any]) -> str:
        if not isinstance(value, str):
            raise Bad(message)
        return value
    return read


def filled(message: str) -> Reader:
    """Text that is not blank, or Bad(message)."""
    def read(value: Any, data: Mapping[str, Any]) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Bad(message)
        return value
    return read


def optional_text(message: str, then: Callable[[Any], Any] | None = None) -> Reader:
    """Text or None (then `then(value)` when given: `or ""`, `or None`), or Bad(message)."""
    def read(value: Any, data: Mapping[str, Any]) -> Any:
        if value is not None and not isinstance(value, str):
            raise Bad(message)
        return value if then is None else then(value)
    return read


def anything_as_text(value: Any, data: Mapping[str, Any]) -> str:
    """Whatever was written, as text ("" for nothing): `by`, `rationale`, `comment`."""
    return str(value or "")


def step(value: Any, data: Mapping[str, Any]) -> str:
    """A step key (`runbook/step`); whether the step exists is the fold's check."""
    if not isinstance(value, str):
        raise Bad(f"no step {value!r} in the drill's runbooks")
    return value


def inject(value: Any, data: Mapping[str, Any]) -> str:
    """An inject id; whether the scenario has it is the fold's check."""
    if not isinstance(value, str):
        raise Bad(f"no inject {value!r} in the scenario")
    return value


def reason(value: Any, data: Mapping[str, Any]) -> str:
    """A correction's reason, never blank."""
    if not isinstance(value, str) or not value.strip():
        raise Bad("a correction needs a reason, never empty")
    return value


def new_text(value: Any, data: Mapping[str, Any]) -> str:
    """A correction's new text, never blank."""
    if not isinstance(value, str) or not value.strip():
        raise Bad("a correction needs a text, never empty")
    return value


def event_number(what: str) -> Reader:
    """The seq of an earlier event (a whole number from 0), named in the message as `what`."""
    def read(value: Any, data: Mapping[str, Any]) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise Bad(f"{what} is named by its event number, not {value!r}")
        return value
    return read


def services(value: Any, data: Mapping[str, Any]) -> dict[str, str]:
    """service id -> up, degraded or down."""
    if not isinstance(value, dict):
        raise Bad("services must map service ids to up, degraded or down")
    for health in value.values():
        if health not in HEALTH:
            raise Bad(f"service health must be up, degraded or down, not {health!r}")
    return dict(value)


def option(value: Any, data: Mapping[str, Any]) -> str:
    """A decision's option id (the decision is the `step` of the same data)."""
    if not isinstance(value, str):
        raise Bad(f"decision {data.get('step')} has no option {value!r}")
    return value


def text_named(template: str) -> Reader:
    """Text, or Bad(template with the value's repr in its `{!r}`)."""
    def read(value: Any, data: Mapping[str, Any]) -> str:
        if not isinstance(value, str):
            raise Bad(template.format(value))
        return value
    return read


def flag(value: Any, data: Mapping[str, Any]) -> bool:
    """true or false (a flag written only when true, so absent reads as false)."""
    if not isinstance(value, bool):
        raise Bad(f"expected true or false, not {value!r}")
    return value
