"""A short quiet time after the screen under the keyboard changes, so keys a person had already
started typing for the screen that just went away do not act on the one that just came.

The console starts one when a form or dialog closes; a confirmation starts one when it opens.
The clock is the app's `key_clock` (time.monotonic by default; a test passes a frozen one), and
the length is the app's `key_guard` in seconds (0 turns the guard off). What the guard drops it
says it dropped: one notice a burst, naming the keys, so nothing typed vanishes without a word.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.notifications import Notification, Notify

DEFAULT_SECONDS = 0.4  # longer than a burst of typing runs on, shorter than a deliberate next key
KEY_NAMES = {"up": "↑", "down": "↓", "left": "←", "right": "→", "enter": "Enter", "space": "space",
             "tab": "Tab", "backspace": "Backspace", "escape": "Esc"}


def key_name(event: events.Key) -> str:
    """How a key reads in a notice: the character typed, or ↑, Enter, ctrl+s."""
    if event.is_printable and event.character and event.key != "space":
        return event.character
    return KEY_NAMES.get(event.key, event.key)


class KeyGuard:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.until = clock() + seconds if seconds > 0 else float("-inf")
        self.dropped: list[str] = []
        self._notice: Notification | None = None

    @classmethod
    def of(cls, app: Any) -> KeyGuard:
        """A guard starting now, with the app's length and clock."""
        return cls(getattr(app, "key_guard", DEFAULT_SECONDS), getattr(app, "key_clock", time.monotonic))

    def holding(self) -> bool:
        """True while keys are still to be ignored."""
        return self.clock() < self.until

    def drop(self, event: events.Key, app: Any, when: str) -> bool:
        """While holding: stop `event` and say which keys were dropped (one notice for the burst, `when`
        naming the moment, e.g. "as the form closed"); returns whether it was dropped."""
        if not self.holding():
            return False
        event.stop()
        event.prevent_default()
        self.say_dropped(key_name(event), app, when)
        return True

    def say_dropped(self, key: str, app: Any, when: str) -> None:
        """Note `key` (as it reads) as dropped, and say so in the burst's one notice."""
        self.dropped.append(key)
        if self._notice is not None and self._notice in app._notifications:
            app._unnotify(self._notice, refresh=False)  # the burst's notice grows rather than piling up
        keys = " ".join(self.dropped[-12:])
        self._notice = Notification(f"Not taken, typed {when}: {keys}. Type again what was meant.",
                                    "Keys dropped", "warning", 5, markup=False)
        app.post_message(Notify(self._notice))
