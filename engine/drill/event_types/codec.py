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
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from engine.drill.event_types.errors import DecodeError

if TYPE_CHECKING:
    from engine.drill.event_types.base import P, Payload

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


class Codec:
    """The decode and encode of one payload class, planned once from its fields."""

    __slots__ = ("reads", "writes", "values")

    def __init__(self, cls: type) -> None:
        fields = dataclasses.fields(cls)
        missing = [f.name for f in fields if not isinstance(f.metadata.get("wire"), Wire)]
        if missing:
            raise TypeError(f"{cls.__name__}: declare {', '.join(missing)} with codec.key")
        specs: list[Wire] = [f.metadata["wire"] for f in fields]
        named = [(f.name if s.name is None else s.name, s) for f, s in zip(fields, specs, strict=True)]
        self.reads = tuple((name, s.absent, s.read) for name, s in named)
        self.writes = tuple((name, s.omit, s.write) for name, s in named)
        attrs = [f.name for f in fields]
        getter = attrgetter(*attrs) if attrs else None
        self.values: Callable[[Any], tuple[Any, ...]] = (
            (lambda _: ()) if getter is None else (lambda p: (getter(p),)) if len(attrs) == 1 else getter)

    def decode(self, cls: type[P], data: Mapping[str, Any]) -> P:
        """The payload of `data`. Raises DecodeError naming the field at fault."""
        values = []
        name = ""
        get = data.get
        try:
            for name, absent, read in self.reads:
                values.append(read(get(name, absent), data))
        except Bad as bad:
            raise DecodeError(cls.WIRE, bad.message, name if bad.field == THIS_KEY else bad.field) from None
        payload = cls(*values)
        wrong = payload.whole()
        if wrong is not None:
            raise DecodeError(cls.WIRE, wrong[0], wrong[1])
        return payload

    def encode(self, payload: Payload) -> dict[str, Any]:
        """The `data` of a payload, keys in field order, those whose `omit` says so left out."""
        out: dict[str, Any] = {}
        for (name, omit, write), value in zip(self.writes, self.values(payload), strict=False):
            if omit is not None and omit(value):
                continue
            out[name] = value if write is None else write(value)
        return out
