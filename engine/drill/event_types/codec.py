"""One codec for every event type, derived from the payload class's dataclass fields.

Each field is declared with `key(read, ...)`: the wire key is the field's
name (or `name=`), fields are written in the order declared, and

- `read(value, data)` turns the raw value (the key's value in `data`, or
  `absent` when the key is not there) into the field's value, or raises
  `Bad(message)` (DecodeError names this key) or `Bad(message, None)` (the
  whole event) or `Bad(message, "other")`; `data` is the whole mapping, for a
  message that names another key's value;
- `omit(value)` true leaves the key out when writing;
- `write(value)` is what is written (default: the value itself).

After the fields, `Payload.whole()` may refuse the combination. Nothing here
knows any event type; readers shared by several types are in `readers`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from engine.drill.event_types.errors import DecodeError

Reader = Callable[[Any, Mapping[str, Any]], Any]
THIS_KEY = "\0this key"  # Bad's default field: the key being read


class Bad(Exception):
    """A reader's refusal. message: in words; field: the key at fault (THIS_KEY: the one read; None: none)."""

    def __init__(self, message: str, field: str | None = THIS_KEY) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclasses.dataclass(frozen=True, slots=True)
class Wire:
    """How one field is read from and written to `data` (see the module doc)."""

    read: Reader
    absent: Any = None
    omit: Callable[[Any], bool] | None = None
    write: Callable[[Any], Any] | None = None
    name: str | None = None


def key(read: Reader, *, absent: Any = None, omit: Callable[[Any], bool] | None = None,
        write: Callable[[Any], Any] | None = None, name: str | None = None, default: Any = dataclasses.MISSING,
        default_factory: Any = dataclasses.MISSING) -> Any:
    """A dataclass field with its wire spec; `default` / `default_factory` as for dataclasses.field."""
    return dataclasses.field(default=default, default_factory=default_factory,
                             metadata={"wire": Wire(read, absent, omit, write, name)})


def empty(value: Any) -> bool:
    """`omit` for keys written only when there is one (a truthy value)."""
    return not value


def none(value: Any) -> bool:
    """`omit` for keys written only when given (not None)."""
    return value is None


class Codec:
    """The decode and encode of one payload class, planned once from its fields.

    `decode(data)` returns the payload or raises DecodeError naming the
    field at fault (then the payload's `whole()` answer, when `whole` is
    true); `encode(payload)` returns the `data`, keys in field order, those
    whose `omit` says so left out. Both are compiled from the field specs
    (as dataclasses compiles `__init__`), so a decode costs what a
    hand-written one did; each is compiled on its first call, so a command
    pays only for the types it meets (a log holds a few of the types there are).
    """

    __slots__ = ("decode", "encode", "_plan")

    def __init__(self, cls: type, whole: bool) -> None:
        fields = dataclasses.fields(cls)
        missing = [f.name for f in fields if not isinstance(f.metadata.get("wire"), Wire)]
        if missing:
            raise TypeError(f"{cls.__name__}: declare {', '.join(missing)} with codec.key")
        specs: list[tuple[str, str, Wire]] = [
            (f.name, f.name if f.metadata["wire"].name is None else f.metadata["wire"].name, f.metadata["wire"])
            for f in fields]
        self._plan = (cls, specs, whole)
        self.decode: Callable[[Mapping[str, Any]], Any] = self._first_decode
        self.encode: Callable[[Any], dict[str, Any]] = self._first_encode

    def _first_decode(self, data: Mapping[str, Any]) -> Any:
        cls, specs, whole = self._plan
        self.decode = _compiled(_decode_source(specs, whole), _space(cls, specs))
        return self.decode(data)

    def _first_encode(self, payload: Any) -> dict[str, Any]:
        cls, specs, _ = self._plan
        self.encode = _compiled(_encode_source(specs), _space(cls, specs))
        return self.encode(payload)


def _space(cls: type, specs: list[tuple[str, str, Wire]]) -> dict[str, Any]:
    """The names a compiled decode or encode refers to."""
    space: dict[str, Any] = {"Bad": Bad, "DecodeError": DecodeError, "THIS_KEY": THIS_KEY, "cls": cls}
    for number, (_, _, spec) in enumerate(specs):
        space.update({f"read{number}": spec.read, f"absent{number}": spec.absent,
                      f"omit{number}": spec.omit, f"write{number}": spec.write})
    return space


def _compiled(source: str, space: dict[str, Any]) -> Any:
    local: dict[str, Any] = {}
    exec(compile(source, f"<codec of {space['cls'].__name__}>", "exec"), space, local)
    return next(iter(local.values()))


def _decode_source(specs: list[tuple[str, str, Wire]], whole: bool) -> str:
    lines = ["def decode(data):", "    get = data.get", "    key = None", "    try:"]
    for number, (_, name, spec) in enumerate(specs):
        absent = "" if spec.absent is None else f", absent{number}"
        lines += [f"        key = {name!r}", f"        v{number} = read{number}(get({name!r}{absent}), data)"]
    lines += ["        pass",
              "    except Bad as bad:",
              "        raise DecodeError(cls.WIRE, bad.message, key if bad.field == THIS_KEY else bad.field) from None",
              f"    payload = cls({', '.join(f'v{n}' for n in range(len(specs)))})"]
    if whole:
        lines += ["    wrong = payload.whole()", "    if wrong is not None:",
                  "        raise DecodeError(cls.WIRE, wrong[0], wrong[1])"]
    return "\n".join([*lines, "    return payload", ""])


def _encode_source(specs: list[tuple[str, str, Wire]]) -> str:
    lead = 0  # the keys always written before the first that may be left out: one dict display
    while lead < len(specs) and specs[lead][2].omit is None:
        lead += 1
    first = ", ".join(f"{name!r}: {_written(number, attr, spec)}"
                      for number, (attr, name, spec) in enumerate(specs[:lead]))
    lines = ["def encode(p):", f"    out = {{{first}}}"]
    for number, (attr, name, spec) in list(enumerate(specs))[lead:]:
        value = _written(number, attr, spec)
        if spec.omit is None:
            lines.append(f"    out[{name!r}] = {value}")
            continue
        test = (f"p.{attr}" if spec.omit is empty else f"p.{attr} is not None" if spec.omit is none
                else f"not omit{number}(p.{attr})")
        lines += [f"    if {test}:", f"        out[{name!r}] = {value}"]
    return "\n".join([*lines, "    return out", ""])


def _written(number: int, attr: str, spec: Wire) -> str:
    return f"p.{attr}" if spec.write is None else f"write{number}(p.{attr})"
