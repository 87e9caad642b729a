"""What to say when a module tabletop needs cannot be imported (a missing package, a broken install).

One line on stderr and exit code EXIT_MISSING (5), for every command: the
message names the module and what to install. Never "not built yet": only a
command's own module missing from engine/commands may mean that (engine.cli).
"""

from __future__ import annotations

EXIT_MISSING = 5

# Top-level module -> how to install it (the package's name on PyPI, or the extra that brings it).
_INSTALL = {
    "ruamel": "ruamel.yaml", "pydantic": "pydantic", "pydantic_core": "pydantic", "networkx": "networkx",
    "jinja2": "jinja2", "markupsafe": "jinja2", "orjson": "orjson", "openpyxl": "openpyxl", "defusedxml": "defusedxml",
    "docx": "python-docx", "lxml": "python-docx", "textual": "textual", "rich": "rich",
    "starlette": "starlette", "uvicorn": "uvicorn", "sse_starlette": "sse-starlette", "segno": "segno",
    "weasyprint": "tabletop-drills[pdf]", "cryptography": "tabletop-drills[seal]",
}


def missing_text(exc: ModuleNotFoundError, command: str | None) -> str:
    """The one-line error for `exc`, raised while `command` (None: while reading the command line) was
    loaded or run: which module is missing and what to install."""
    name = exc.name or str(exc)
    doing = f"`tabletop {command}`" if command else "tabletop"
    if name == "engine" or name.startswith("engine."):
        return (f"{doing} cannot run: tabletop's own module `{name}` is missing, so this installation is broken; "
                "reinstall tabletop (in a checkout: pip install -e .)")
    top = name.split(".")[0]
    package = _INSTALL.get(top)
    how = f"pip install '{package}'" if package else f"install the package that provides `{top}`"
    return f"{doing} needs the Python module `{name}`, which is not installed; {how}"
