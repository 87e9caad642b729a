"""Text bound for a terminal: the one escaping function for standard output and standard error.

A file, a log or a spreadsheet cell may hold control characters: an escape
sequence that clears the screen, sets the window title or writes the
clipboard (OSC 52), a bidirectional override that makes a line read
differently from what it says. Whatever tabletop prints of such text is
escaped first, so it shows as data (`\\x1b`, `\\u202e`) and does nothing.

`escape` is for one line (newlines become `\\n` too); `escape_lines` keeps
newlines, for streams of whole lines. `guard_stderr` makes every write to
standard error go through `escape_lines`, so no message, warning or
traceback can carry a control character from a file to the terminal.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# C0 and C1 controls, DEL, and the Unicode format characters (Cf: bidi overrides and isolates,
# zero-width joiners, the BOM), line and paragraph separators (Zl, Zp) and lone surrogates (Cs).
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_CONTROL_BUT_NEWLINE = re.compile(_CONTROL.pattern.replace("\x00-\x1f", "\x00-\x09\x0b-\x1f"))
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: Any) -> str:
    """`str(text)` on one line, control and format characters written as escapes (\\n, \\x1b, \\u202e)."""
    return _CONTROL.sub(_escaped, str(text))


def replaced(text: Any) -> str:
    """`str(text)` on one line (runs of whitespace made one space), each control or format character
    replaced by U+FFFD: for tables and lists where an escape's width would break the columns."""
    return _CONTROL.sub("\ufffd", " ".join(str(text).split()))


def escape_lines(text: Any) -> str:
    """Like `escape`, but newlines stay: for whole lines written to a stream."""
    return _CONTROL_BUT_NEWLINE.sub(_escaped, str(text))


class _GuardedStream:
    """A text stream that escapes what is written to it before passing it on."""

    def __init__(self, stream: TextIO) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        self.raw.write(escape_lines(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


@contextmanager
def guard_stderr() -> Iterator[None]:
    """While open, everything written to sys.stderr is escaped (see module doc)."""
    original = sys.stderr
    if isinstance(original, _GuardedStream):
        yield
        return
    sys.stderr = _GuardedStream(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stderr = original


def raw_stderr() -> TextIO:
    """Standard error without the guard: only for tabletop's own terminal controls (a progress line)."""
    stream = sys.stderr
    return stream.raw if isinstance(stream, _GuardedStream) else stream


def wants_color(setting: str, to_terminal: bool, environ: Any = None) -> bool:
    """Whether to colour output: `always`; `never`; `auto` only on a terminal that is not `TERM=dumb` and
    with no non-empty NO_COLOR (https://no-color.org: an empty NO_COLOR does not turn colour off)."""
    import os

    env = os.environ if environ is None else environ
    if setting == "always":
        return True
    if setting == "never":
        return False
    return to_terminal and not env.get("NO_COLOR") and not dumb(env)


def dumb(environ: Any = None) -> bool:
    """Whether the terminal takes no escape sequences at all (TERM=dumb): no colour, no redrawn progress line."""
    import os

    env = os.environ if environ is None else environ
    return env.get("TERM", "") == "dumb"


PROGRESS_AFTER = 1.0  # seconds of work before a progress line shows
PROGRESS_WIDTH = 76  # cells a progress line takes at most


class Progress:
    """One line on standard error, rewritten in place, once the work has taken PROGRESS_AFTER seconds.

    Shown only when standard error is a terminal (a log file or CI gets nothing); the text is escaped.
    Call it with what is being done (`reading row 4,000`); `clear()` removes the line when done.
    """

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = False
        self.on = _on_terminal() and not dumb()  # TERM=dumb takes no redrawn line

    def __call__(self, text: str) -> None:
        if not self.on or time.monotonic() - self.start < PROGRESS_AFTER:
            return
        stream = raw_stderr()
        stream.write(f"\r{fit(escape(text), self.width())}\x1b[K")
        stream.flush()
        self.shown = True

    def width(self) -> int:
        """The cells the line may take: less than the terminal's width, since a line that wraps cannot be
        rewritten or cleared in place (`\\r` goes back to its last row only)."""
        return min(PROGRESS_WIDTH, _stderr_columns() - 1)

    def clear(self) -> None:
        if self.shown:
            stream = raw_stderr()
            stream.write("\r\x1b[K")
            stream.flush()
            self.shown = False


def _stderr_columns() -> int:
    """The terminal's width: $COLUMNS when a positive number, else that of standard error, else 80."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(raw_stderr().fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def _cell(char: str) -> int:
    import unicodedata

    return 0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cells(text: str) -> int:
    """How many terminal cells `text` takes: East Asian wide and fullwidth characters two, combining marks
    none (control characters are escaped before this is asked)."""
    return sum(map(_cell, text))


def fit(text: str, width: int) -> str:
    """`text` in at most `width` cells, cut with "…" when longer."""
    if cells(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        used += _cell(char)
        if used > width - 1:
            break
        out.append(char)
    return "".join(out) + "…" if width > 0 else ""


def _on_terminal() -> bool:
    try:
        return raw_stderr().isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False
