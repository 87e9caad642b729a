"""The core never imports the UI: validate must not pay for Textual or Rich."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import importlib, json, pkgutil, sys
import engine
for m in pkgutil.walk_packages(engine.__path__, "engine."):
    if not m.name.startswith("engine.tui"):
        importlib.import_module(m.name)
print(json.dumps(sorted(k for k in sys.modules if k.split(".")[0] in ("textual", "rich"))))
"""


def test_core_modules_import_neither_textual_nor_rich() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_validate_command_loads_no_ui_modules() -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['tabletop', 'validate', 'runbooks', 'scenarios']\n"
        "from engine.cli import main\n"
        "code = main()\n"
        "ui = sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'rich'))\n"
        "print('UI:' + ','.join(ui), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "UI:\n" in out.stderr
