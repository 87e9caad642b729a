"""The real console (`python -m engine drill ...`) in a pseudo-terminal, for the room's end-to-end tests:
keys are typed into it, its screen output is drained (and kept) so it never blocks, and it can be killed."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from engine.tui.key_guard import DEFAULT_SECONDS

ROOT = Path(__file__).resolve().parents[2]
# Every wait here waits for what it needs (text on the screen, a line in the log, a file); this is only the
# last-resort limit that stops a hung console, far past the slowest loaded run seen (about 20 s).
SAFETY = 600.0
# Keys typed for a question in its first moments are dropped (engine/tui/key_guard.py: 0.4 s after it opens or
# after a form closes). Waited only once the question is on the screen, so it has been open at least that long.
GUARD = DEFAULT_SECONDS + 0.3
# A lone Esc is told from the start of a key sequence (Alt+key, an arrow) by the quiet after it: a key typed
# right behind it is read with it as one. Only a console too busy to read for this long merges them, and the
# keys that must not be merged are typed again (press_until, its `first`).
ESC_GAP = 0.5
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


def need_browser() -> str:
    """The Chromium to drive; skips (or, where .ci/run installed it, fails) when it or Playwright is missing."""
    why = None
    if CHROMIUM is None:
        why = "Chromium is not installed (apt-get install chromium)"
    else:
        try:
            import axe_playwright_python  # noqa: F401
            import playwright.sync_api  # noqa: F401
        except ImportError:
            why = "the playwright and axe-playwright-python packages are not installed (pip install '.[test]')"
    if why:
        if os.environ.get("TABLETOP_REQUIRE_BROWSER"):  # .ci/run installed them: a skip would hide a break
            pytest.fail(f"TABLETOP_REQUIRE_BROWSER is set but {why}")
        pytest.skip(f"{why}; the room's browser tests need it")
    assert CHROMIUM is not None
    return CHROMIUM


class Console:
    def __init__(self, *args: str, cols: int = 160, rows: int = 48) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        self.proc = subprocess.Popen([sys.executable, "-m", "engine", "drill", *args], stdin=slave, stdout=slave,
                                     stderr=slave, cwd=ROOT, env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def mark(self) -> int:
        """Where the screen output is now: `wait_for(text, since=mark)` looks only at what comes after."""
        return len(self.output)

    def wait_for(self, text: str, since: int = 0, timeout: float = SAFETY) -> None:
        """Wait until the console has drawn `text` (after output position `since`); fails if it exits first."""
        deadline = time.monotonic() + timeout
        while self.output.find(text.encode(), since) < 0:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"the console never showed {text!r} (exit {self.proc.poll()})")
            time.sleep(0.05)

    def shows(self, text: str, since: int, within: float) -> bool:
        """Whether `text` is drawn after `since` within `within` seconds (a retry interval, not a limit)."""
        try:
            self.wait_for(text, since, within)
        except AssertionError:
            if self.proc.poll() is not None:
                raise
            return False
        return True

    def press_until(self, key: str, text: str, every: float = 5.0, timeout: float = SAFETY,
                    first: str = "") -> int:
        """Type `key` until the console draws `text` after it: a key that opens something, typed while the
        console is busy or its key guard holds, is dropped, so it is typed again every `every` seconds of
        nothing new. Only for keys that do nothing once what they open is up. `first` is typed before each
        try after the first (Esc: close an announcement still up). Returns the output position before the
        key that drew `text`."""
        deadline = time.monotonic() + timeout
        tries = 0
        while True:
            if tries and first:
                self.keys(first, pause=ESC_GAP if first == "\x1b" else GUARD)
            tries += 1
            since = self.mark()
            os.write(self.master, key.encode())
            if self.shows(text, since, every):
                return since
            if time.monotonic() > deadline:
                raise AssertionError(f"typing {key!r} never showed {text!r}")

    def answer(self, question: str, key: str, since: int = 0) -> None:
        """Type `key` for a question once it is on the screen (after `since`) and past its key guard."""
        self.wait_for(question, since)
        time.sleep(GUARD)  # the guard started when the question opened, before it was drawn
        os.write(self.master, key.encode())
        if key == "\x1b":
            time.sleep(ESC_GAP)

    def keys(self, *keys: str, pause: float = 0.4) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            time.sleep(pause)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(SAFETY)
        try:
            os.close(self.master)
        except OSError:
            pass

    def quit(self) -> None:
        """Ctrl+Q, then `y` to confirm (the dialog opens with Cancel focused, so Enter would cancel). A console
        that does not close is killed and fails the test: quitting must work (an Enter here once cancelled
        the dialog in silence, and each test waited a minute for the kill)."""
        closed = True
        if self.proc.poll() is None:
            self.keys("\x11", "y", pause=0.6)
            try:
                self.proc.wait(SAFETY)
            except subprocess.TimeoutExpired:
                closed = False
        self.kill()
        assert closed, "the console did not close on ctrl+q, y"


def wait_file(path: Path, timeout: float = SAFETY) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)
