"""The import contract between layers.

- engine.drill, the drill core (plan, fold, log, replay, play, explore), sits beside engine.rules, not
  above it: it imports neither the validator (engine.validate), nor its rules (engine.rules), nor its
  settings (engine.config), nor the module above it that loads files into plans (engine.plans).
- Nothing outside engine.tui imports Textual or Rich (tests/test_import_hygiene.py checks it at run
  time; here every import statement is read, including those inside functions).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "engine"
NOT_FROM_DRILL = ("engine.validate", "engine.rules", "engine.config", "engine.plans")
UI = ("textual", "rich")


def imported(path: Path) -> set[str]:
    """Every module an `import` or `from ... import` in the file names, wherever the statement is."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{alias.name}" for alias in node.names}
    return out


def under(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_drill_imports_neither_validate_rules_config_nor_plans() -> None:
    files = sorted((ENGINE / "drill").rglob("*.py"))
    assert files
    bad = {f"{path.relative_to(ENGINE.parent)}: {name}" for path in files for name in imported(path)
           if under(name, NOT_FROM_DRILL)}
    assert bad == set()


def test_only_the_tui_imports_textual_or_rich() -> None:
    bad = {f"{path.relative_to(ENGINE.parent)}: {name}" for path in sorted(ENGINE.rglob("*.py"))
           if "tui" not in path.relative_to(ENGINE).parts[:1] for name in imported(path) if under(name, UI)}
    assert bad == set()


def test_importing_the_drill_core_loads_no_validator() -> None:
    probe = (
        "import importlib, json, pkgutil, sys\n"
        "import engine.drill\n"
        "for m in pkgutil.walk_packages(engine.drill.__path__, 'engine.drill.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(json.dumps(sorted(k for k in sys.modules if k.startswith({NOT_FROM_DRILL!r}))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ENGINE.parent, capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []


def test_the_contract_test_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from engine.validate import validate\n    import rich.text\n", encoding="utf-8")
    assert {"engine.validate", "rich.text"} <= imported(module)
