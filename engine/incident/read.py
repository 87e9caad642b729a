"""Reading an incident file within the bounds: bytes, UTF-8 text, JSON with line and column in errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.bounds import MAX_INCIDENT_BYTES, MAX_INCIDENT_TEXT, MAX_INCIDENT_UPDATES
from engine.incident import IncidentError


def file_bytes(path: Path) -> bytes:
    """The file's bytes, refused past MAX_INCIDENT_BYTES. Raises IncidentError."""
    try:
        size = path.stat().st_size
        if size > MAX_INCIDENT_BYTES:
            raise IncidentError(f"{path}: {size:,} bytes; an incident file may have at most {MAX_INCIDENT_BYTES:,}")
        with open(path, "rb") as handle:
            data = handle.read(MAX_INCIDENT_BYTES + 1)
    except OSError as exc:
        raise IncidentError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    if len(data) > MAX_INCIDENT_BYTES:
        raise IncidentError(f"{path}: more than {MAX_INCIDENT_BYTES:,} bytes; that is the most an incident file "
                            "may have")
    return data


def text_of(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped). Raises IncidentError naming the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IncidentError(f"{name}: line {line}: byte 0x{data[exc.start]:02x} is not UTF-8; save it as UTF-8") \
            from None


def json_of(text: str, name: str) -> Any:
    """Parsed JSON. Raises IncidentError with line and column, or for nesting too deep to read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IncidentError(f"{name}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise IncidentError(f"{name}: JSON nested too deeply to be an incident record") from None


def field(obj: Any, key: str, where: str, kind: type | tuple[type, ...] = str, *, required: bool = True) -> Any:
    """obj[key] checked to be `kind`; None when absent and not required. Raises IncidentError naming the path."""
    if not isinstance(obj, dict):
        raise IncidentError(f"{where}: expected an object")
    value = obj.get(key)
    if value is None:
        if required:
            raise IncidentError(f"{where}.{key}: missing")
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and bool not in _kinds(kind):
        names = " or ".join(_NAMES.get(k, k.__name__) for k in _kinds(kind))
        raise IncidentError(f"{where}.{key}: expected {names}, got {_NAMES.get(type(value), type(value).__name__)}")
    return value


_NAMES = {str: "text", dict: "an object", list: "a list", int: "a number", float: "a number", bool: "true/false"}


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def check_count(count: int, what: str, name: str) -> None:
    """Refuse more than MAX_INCIDENT_UPDATES updates. Raises IncidentError."""
    if count > MAX_INCIDENT_UPDATES:
        raise IncidentError(f"{name}: {count:,} {what}; at most {MAX_INCIDENT_UPDATES:,} become injects "
                            "(cut the record to the part to rehearse)")


def check_text(text: str, where: str) -> str:
    """`text` if it is within MAX_INCIDENT_TEXT characters. Raises IncidentError naming `where`."""
    if len(text) > MAX_INCIDENT_TEXT:
        raise IncidentError(f"{where}: {len(text):,} characters; an update's text may have at most "
                            f"{MAX_INCIDENT_TEXT:,}")
    return text
