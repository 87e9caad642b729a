"""The errors of reading and applying an event (re-exported by engine.drill.events)."""

from __future__ import annotations


class EventError(ValueError):
    """An event that cannot be applied: a bad shape (DecodeError) or one that cannot happen in this state
    (an unknown step, a step not ready). The message says what is wrong, in words for the facilitator."""


class DecodeError(EventError):
    """An event's `data` does not have the shape of its type. `type` is the wire name, `field` the key at
    fault (None: the whole event)."""

    def __init__(self, type: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.type = type
        self.field = field


class UnknownEventType(DecodeError):
    """The event's `type` is not one this version of tabletop knows."""

    def __init__(self, type: str) -> None:
        super().__init__(type, f"unknown event type {type!r}")
