"""Project settings: `[tool.tabletop]` in pyproject.toml, or a tabletop.toml.

    [tool.tabletop]
    disable = ["unused-role"]              # rules not to run
    severity = { option-no-next = "error" } # change a rule's severity
    exclude = ["tests/fixtures/**"]         # paths validate skips inside folders
    max-file-bytes = 5242880                # files bigger than this are not read
    drill_every = "90d"                     # each runbook drilled live this often (`tabletop readiness`)
    catalogues = ["controls/acme.toml"]     # control catalogues of your own, beside the shipped ones
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.findings import Severity
from engine.load import MAX_FILE_BYTES

MAX_SETTING_FILE_BYTES = 1 << 30  # the largest max-file-bytes: 1 GiB


class ConfigError(Exception):
    """Settings that cannot be used; the message names the file and what to fix."""


@dataclass
class Config:
    disable: set[str] = field(default_factory=set)
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    max_file_bytes: int = MAX_FILE_BYTES
    drill_every: int | None = None  # seconds between live drills of a runbook; a runbook's own wins
    source: str | None = None  # the file the settings came from
    catalogues: list[Any] = field(default_factory=list)  # engine.controls.catalogue.Catalogue, the project's own


_KEYS = {"disable", "severity", "exclude", "max-file-bytes", "drill_every", "catalogues"}


def find_config(start: Path) -> Path | None:
    """The nearest tabletop.toml, or pyproject.toml with [tool.tabletop], from start upwards."""
    for folder in [start, *start.parents]:
        own = folder / "tabletop.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.tabletop" in _read(pyproject):
            return pyproject
        if (folder / ".git").exists():
            break
    return None


def load_config(path: Path | None, known_rules: set[str]) -> Config:
    """Read settings from path (None: defaults). Raises ConfigError for settings that make no sense."""
    if path is None:
        return Config()
    import tomllib  # only with a settings file

    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: arrays or tables nest too deeply to read") from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise ConfigError(f"{path}: a value cannot be read: {str(exc).split(':')[0]}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("tabletop", {})
    where = f"{path}" + (" [tool.tabletop]" if path.name == "pyproject.toml" else "")
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown setting {sorted(unknown)[0]!r}; known: {', '.join(sorted(_KEYS))}")
    config = Config(source=os.fspath(path))
    config.disable = set(_str_list(data.get("disable", []), where, "disable"))
    for rule in config.disable:
        _known(rule, known_rules, where)
    severities = data.get("severity", {})
    if not isinstance(severities, dict):
        raise ConfigError(f"{where}: severity must be a table like {{ unused-role = \"error\" }}")
    for rule, level in severities.items():
        _known(rule, known_rules, where)
        try:
            config.severity[rule] = Severity(level)
        except ValueError:
            raise ConfigError(f"{where}: severity of {rule!r} must be error, warning or info, not {level!r}") from None
    config.exclude = _str_list(data.get("exclude", []), where, "exclude")
    size = data.get("max-file-bytes", MAX_FILE_BYTES)
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_SETTING_FILE_BYTES:
        raise ConfigError(f"{where}: max-file-bytes must be a whole number from 1 to {MAX_SETTING_FILE_BYTES:,}")
    config.max_file_bytes = size
    config.drill_every = _cadence(data.get("drill_every"), where)
    config.catalogues = _catalogues(_str_list(data.get("catalogues", []), where, "catalogues"), path)
    return config


def _catalogues(paths: list[str], settings: Path) -> list[Any]:
    """The project's catalogue files, each path relative to the settings file's folder."""
    if not paths:
        return []
    from engine.controls.catalogue import CatalogueError, read_file

    out = []
    for given in paths:
        path = settings.parent / given
        try:
            out.append(read_file(os.fspath(path)))
        except CatalogueError as exc:
            raise ConfigError(f"{settings}: catalogues: {exc}") from None
    return out


_WRITTEN = re.compile(r"(\d+[dhms])+")  # looks like a duration: the parser's reason is the useful part


def _cadence(value: object, where: str) -> int | None:
    from engine.duration import DurationError, parse_duration

    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise DurationError("not text")
        seconds = parse_duration(value)
    except DurationError as exc:
        why = f" ({exc})" if isinstance(value, str) and _WRITTEN.fullmatch(value.strip()) else ""
        raise ConfigError(f"{where}: drill_every must be a duration like \"90d\", not {value!r}{why}") from None
    if seconds <= 0:
        raise ConfigError(f"{where}: drill_every must be longer than nothing")
    return seconds


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _str_list(value: object, where: str, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {name} must be a list of strings")
    return list(value)


def _known(rule: str, known: set[str], where: str) -> None:
    if rule not in known:
        import difflib

        close = difflib.get_close_matches(rule, sorted(known), n=1)
        tip = f"; did you mean {close[0]!r}?" if close else "; `tabletop rules` lists them"
        raise ConfigError(f"{where}: unknown rule {rule!r}{tip}")
