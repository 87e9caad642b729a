"""A short quiet time after the screen under the keyboard changes, so keys a person had already
started typing for the screen that just went away do not act on the one that just came.

The console starts one when a form or dialog closes; a confirmation starts one when it opens.
The clock is the app's `key_clock` (time.monotonic by default; a test passes a frozen one), and
the length is the app's `key_guard` in seconds (0 turns the guard off).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEFAULT_SECONDS = 0.4  # longer than a burst of typing runs on, shorter than a deliberate next key


class KeyGuard:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.until = clock() + seconds if seconds > 0 else float("-inf")

    @classmethod
    def of(cls, app: Any) -> KeyGuard:
        """A guard starting now, with the app's length and clock."""
        return cls(getattr(app, "key_guard", DEFAULT_SECONDS), getattr(app, "key_clock", time.monotonic))

    def holding(self) -> bool:
        """True while keys are still to be ignored."""
        return self.clock() < self.until
