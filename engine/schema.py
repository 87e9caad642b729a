"""Check a document's data against its model, and export the models as JSON Schema.

Every pydantic error becomes a finding at the line of the offending key or
value. When the data does not fit the model, the offending parts are dropped
and the rest validated again, so the semantic rules still see the parts of
the file that are right ("all findings in one run").
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from engine.findings import Severity
from engine.load import Document, Path_

_REPAIR_ROUNDS = 4


def check_document(doc: Document, *, quick: bool = False) -> None:
    """Validate doc.data against the model of doc.kind; set doc.model when some valid part remains.

    With `quick`, data that certainly fits is accepted without pydantic (engine.quick_check) and
    doc.model holds read-only records with the model's fields instead of model instances; for callers
    that only read the model. Anything else goes through pydantic as without it, so the findings
    are the same either way.
    """
    if quick:
        from engine.quick_check import quick_model

        doc.model = quick_model(doc.kind or "", doc.data)
        if doc.model is not None:
            return
    from pydantic import ValidationError

    from engine.model import model_of

    model = model_of(doc.kind or "")
    data = doc.data
    touched: set[Path_] = set()  # original paths already reported; later rounds stay quiet on them
    rounds: list[list[tuple[Path_, int]]] = []  # list entries removed in each round, to map paths back
    for _ in range(_REPAIR_ROUNDS):
        try:
            doc.model = model.model_validate(data)
            return
        except ValidationError as exc:
            errors: list[dict[str, Any]] = [{**e, "loc": _untagged(e["loc"])} for e in exc.errors(include_url=False)]
        for error in errors:
            original = _original(tuple(error["loc"]), rounds)
            plain = _plain(original)
            if not any(plain[: len(t)] == t for t in touched):
                _report(doc, model, {**error, "loc": original})
        touched.update(_plain(_original(tuple(e["loc"]), rounds)) for e in errors)
        removed: list[tuple[Path_, int]] = []
        data = _repaired(data, errors, removed)
        rounds.append(removed)
        if data is None:
            return


def _original(loc: Path_, rounds: list[list[tuple[Path_, int]]]) -> Path_:
    """Map a path in repaired data back to the path in the file, undoing removed list entries."""
    out = list(loc)
    for removed in reversed(rounds):
        for list_path, index in sorted(removed, key=lambda r: r[1]):
            n = len(list_path)
            if tuple(out[:n]) == list_path and len(out) > n and isinstance(out[n], int) and out[n] >= index:
                out[n] += 1
    return tuple(out)


def _untagged(loc: Any) -> Path_:
    """The location without the tag of the form a value was read as (an objective as text or as a mapping)."""
    from engine.model import MAPPING_TAG, TEXT_TAG

    return tuple(p for p in loc if p not in (TEXT_TAG, MAPPING_TAG))


def _plain(loc: Any) -> Path_:
    return tuple(p for p in loc if p != "[key]")


def _report(doc: Document, model: type, error: dict[str, Any]) -> None:
    loc: Path_ = tuple(error["loc"])
    kind = error["type"]
    where = _describe(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = sorted(fields_at(model, loc[:-1]))
        import difflib  # only when there is a name to match
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else ("allowed here: " + ", ".join(allowed) if allowed else None)
        doc.add("schema-unknown-key", Severity.ERROR, f"unknown key {name!r}{_in(loc[:-1])}",
                doc.where(loc, key=True), hint=hint)
    elif kind == "missing":
        doc.add("schema-missing-key", Severity.ERROR, f"{where} is required but missing",
                doc.where(loc[:-1]), hint=f"add `{loc[-1]}:`")
    elif kind == "duration":
        doc.add("schema-duration", Severity.ERROR, f"{where}: {error['msg']}", doc.where(loc))
    elif kind == "timestamp":
        doc.add("schema-type", Severity.ERROR, f"{where}: {error['msg']}", doc.where(loc))
    elif kind == "id":
        if loc and loc[-1] == "[key]":
            doc.add("schema-id", Severity.ERROR, f"{error['msg']}", doc.where(loc[:-1], key=True))
        else:
            doc.add("schema-id", Severity.ERROR, f"{where}: {error['msg']}", doc.where(loc))
    else:
        doc.add("schema-type", Severity.ERROR, f"{where}: {_message(error)}", doc.where(loc))


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    got = _kind(error.get("input"))
    if kind in ("string_type", "str_type"):
        return f"expected text, got {got}"
    if kind in ("int_type", "int_parsing"):
        return f"expected a whole number, got {got}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {got}"
    if kind == "too_short":
        return f"must not be empty (got {got})"
    if kind == "string_too_short":
        return "must not be empty text"
    return str(error["msg"]).replace("Input should be", "expected")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {value!s}".lower()
    if isinstance(value, (int, float)):
        from engine.bounds import number_text

        shown = number_text(value)
        return shown if shown.startswith("a ") else f"the number {shown}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, dict):
        return "an empty mapping" if not value else "a mapping"
    return type(value).__name__


def _describe(loc: Path_) -> str:
    parts = [p for p in loc if p != "[key]"]
    if not parts:
        return "the document"
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return f"`{out}`"


def _in(loc: Path_) -> str:
    return f" in {_describe(loc)}" if loc else " at the top level"


def fields_at(model: type, loc: Path_) -> set[str]:
    """The keys a mapping at `loc` may have, following the model's field types."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _keys(current).get(str(part))
            if field is None:
                return set()
            current = _unwrap(field.annotation)
        else:
            current = _unwrap(_container_item(current))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(_keys(current))
    return set()


def _keys(model: Any) -> dict[str, Any]:
    """A model's fields by the key a file writes (the alias, like `mission-areas`, where there is one)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the type that matters (of a union, its model)."""
    from pydantic import BaseModel

    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union or origin is types.UnionType:  # Optional[X] and X | None
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(_unwrap(a), type) and issubclass(_unwrap(a), BaseModel)]
            if not args:
                return annotation
            annotation = models[0] if models else args[0]  # the keys a mapping may have are the model's
        else:
            return annotation


def _container_item(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    return args[-1] if args else None


def _repaired(data: Any, errors: Sequence[Mapping[str, Any]], removed: list[tuple[Path_, int]]) -> Any:
    """A copy of data with the wrong parts dropped and missing keys filled (None: nothing left)."""
    import copy

    out = copy.deepcopy(data)
    def order(error: Mapping[str, Any]) -> tuple[Any, ...]:  # deepest first, then later list items first
        loc = _plain(error["loc"])
        return (len(loc), tuple((1, p) if isinstance(p, int) else (0, 0) for p in loc))

    for error in sorted(errors, key=order, reverse=True):
        loc = _plain(error["loc"])
        if not loc:
            return None
        parent = out
        try:
            for part in loc[:-1]:
                parent = parent[part]
        except (KeyError, IndexError, TypeError):
            continue
        last = loc[-1]
        if error["type"] == "missing" and isinstance(parent, dict):
            parent[last] = _placeholder(loc, next(_STAND_INS))  # so the rest is still checked
        elif isinstance(parent, dict) and last in parent:
            del parent[last]
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
            removed.append((loc[:-1], last))
    return out


_ID_FIELDS = {"runbook", "scenario", "id"}
_STAND_INS = itertools.count(1)


def _placeholder(loc: Path_, unique: int) -> str:
    """A stand-in for a missing required value that passes its own check: ids must stay ids,
    and unique ones, so no rule mistakes two stand-ins for a duplicate."""
    if loc[-1] in _ID_FIELDS:
        return f"missing-id-{unique}"
    return "?"


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a runbook or a scenario, for editors and other tools."""
    from engine.model import model_of

    schema = model_of(kind).model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://tabletop-drills.github.io/schemas/{kind}.schema.json",
        **schema,
    }
