"""A module tabletop needs that cannot be imported is one line naming it and what to install, exit 5 (issue 27).

cli.py took any ModuleNotFoundError raised while loading a command for "not
built yet": a missing dependency or a typo in an import dropped the command
without a word (later, a traceback). Only the command's own module missing
means that now. Each case runs tabletop in a fresh interpreter with one module
made unimportable (`sys.modules[name] = None`, as Python's own tests do).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXIT_MISSING = 5


def tabletop_without(module: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from engine.cli import main\n"
            f"raise SystemExit(main({list(args)!r}))\n")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tabletop: error: "), done.stderr
    return lines[0]


def test_a_module_a_command_imports_at_load_is_named_not_dropped() -> None:
    # engine/commands/report.py imports engine.whole_file when it loads: as if that import had a typo
    for args in (["report", "--help"], ["--help"], ["report", "no-such.jsonl"]):
        done = tabletop_without("engine.whole_file", *args)
        assert done.returncode == EXIT_MISSING, (args, done.stdout, done.stderr)
        line = one_error_line(done)
        assert "`engine.whole_file`" in line and "reinstall tabletop" in line


def test_a_dependency_imported_when_a_command_runs_says_what_to_install() -> None:
    done = tabletop_without("pydantic", "schema", "runbook")
    assert done.returncode == EXIT_MISSING and not done.stdout
    line = one_error_line(done)
    assert "`tabletop schema` needs the Python module `pydantic`" in line and "pip install 'pydantic'" in line


@pytest.mark.parametrize(("module", "install"), [("docx", "python-docx"), ("weasyprint", "tabletop-drills[pdf]"),
                                                  ("some_unknown_thing", "provides `some_unknown_thing`")])
def test_the_message_says_which_package_brings_the_module(module: str, install: str) -> None:
    from engine.missing_module import missing_text

    exc = ModuleNotFoundError(f"No module named '{module}'", name=module)
    text = missing_text(exc, "report")
    assert f"`{module}`" in text and install in text and "\n" not in text


def test_a_command_whose_own_module_is_missing_is_left_out_quietly() -> None:
    done = tabletop_without("engine.commands.msel", "--help")
    assert done.returncode == 0, done.stderr
    assert " msel " not in done.stdout and " report " in done.stdout and not done.stderr


def test_every_module_a_declared_dependency_brings_has_its_install_hint() -> None:
    # A dependency added to pyproject.toml without a line in _INSTALL is named as "the package that
    # provides" it, not by its name on PyPI.
    import re
    import tomllib
    from importlib.metadata import packages_distributions

    from engine.missing_module import _INSTALL

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    with open(ROOT / "pyproject.toml", "rb") as handle:
        declared = {norm(re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0])
                    for d in tomllib.load(handle)["project"]["dependencies"]}
    brought = {module for module, dists in packages_distributions().items()
               if not module.startswith("_") and any(norm(d) in declared for d in dists)}
    assert brought, "no declared dependency is installed: run the tests in the project's venv"
    assert sorted(brought - set(_INSTALL)) == []


def test_the_log_reader_without_orjson_says_what_to_install() -> None:
    done = tabletop_without("orjson", "log", "verify", str(ROOT / "tests" / "drill" / "data" / "v1" / "play.jsonl"))
    assert done.returncode == EXIT_MISSING and not done.stdout
    assert "pip install 'orjson'" in one_error_line(done)
