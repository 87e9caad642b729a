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

ROOT = Path(__file__).resolve().parents[2]
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

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"the console never showed {text!r} (exit {self.proc.poll()})")
            time.sleep(0.05)

    def keys(self, *keys: str, pause: float = 0.4) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            time.sleep(pause)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        try:
            os.close(self.master)
        except OSError:
            pass

    def quit(self) -> None:
        """Ctrl+Q, then confirm; killed if it does not close."""
        if self.proc.poll() is None:
            self.keys("\x11", "\r", pause=0.6)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


def wait_file(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)
