"""Accept a file's data that fits its model without importing pydantic (the common case of validate).

`tabletop validate` on a few small files spent most of its time importing
pydantic and building the model classes, to learn that the files are right.
This module checks data against the same models in plain Python, from
SHAPES in engine.model_shapes: a table generated from the pydantic models
themselves (`shapes_from_models`; tests/test_quick_check.py keeps it current).

It only ever says yes. `quick_model(kind, data)` returns the file's records
(read-only objects with the model's fields as attributes, values converted as
the model converts them: durations to seconds, scenario times to
(anchor, seconds)) when the data certainly fits, and None when it does not
fit or when this module is not sure; the caller then validates with pydantic,
which names every problem at its file:line:col. So findings never depend on
this module; a document it wrongly refused only costs time. Raises nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from engine.bounds import OutOfBounds, check_wall
from engine.duration import DurationError, parse_duration, parse_offset


class _Unsure(Exception):
    """The data does not fit, or might not: pydantic decides."""


class Record:
    """One validated part of a file (a runbook, a step, an inject, ...): the model's fields as
    read-only attributes. Equal when of the same model with equal fields."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


Check = Callable[[Any], Any]  # returns the value as the model holds it, or raises _Unsure
_checks: dict[str, Check] = {}  # by kind of file, compiled on first use


def quick_model(kind: str, data: Any) -> Record | None:
    """The records of a file of `kind` whose data certainly fits its model; None otherwise."""
    try:
        check = _checks.get(kind) or _compiled(kind)
        if check is None:
            return None
        record: Record = check(data)
    except Exception:  # noqa: BLE001 - _Unsure, or anything unforeseen: pydantic decides and reports
        return None
    return record


def _compiled(kind: str) -> Check | None:
    """The check of a kind of file, built from the table on first use (None for a kind it does not name)."""
    from engine.model_shapes import KINDS

    if kind not in KINDS:
        return None
    check = _checks[kind] = _Compiler().model(KINDS[kind])
    return check


# ----- the custom checks of the models, in plain Python (each mirrors the model's validator) -----

def _id(value: str) -> str:
    if not _ID.match(value):
        raise _Unsure
    return value


def _ref(value: str) -> str:
    if not _REF.match(value):
        raise _Unsure
    return value


def _timestamp(value: str) -> str:
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            raise _Unsure
        check_wall(stamp, "the time")
    except (ValueError, OutOfBounds):
        raise _Unsure from None
    return value


def _control(value: str) -> str:
    if not _CONTROL.match(value):
        raise _Unsure
    return value


def _day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise _Unsure from None
    if not _DAY.fullmatch(value):
        raise _Unsure
    return value


def _duration(value: Any) -> int:
    if type(value) is not str:
        raise _Unsure
    try:
        return parse_duration(value)
    except DurationError:
        raise _Unsure from None


def _offset(value: Any) -> tuple[str, int]:
    if type(value) is not str:
        raise _Unsure
    try:
        return parse_offset(value)
    except DurationError:
        raise _Unsure from None


def _patterns() -> None:
    from engine.model_shapes import PATTERNS

    global _ID, _REF, _CONTROL
    _ID, _REF, _CONTROL = re.compile(PATTERNS["id"]), re.compile(PATTERNS["ref"]), re.compile(PATTERNS["control"])


_ID = _REF = _CONTROL = re.compile("")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
AFTER: dict[str, Callable[[str], str]] = {"id": _id, "ref": _ref, "timestamp": _timestamp, "day": _day,
                                          "control": _control}
BEFORE: dict[str, Check] = {"duration": _duration, "offset": _offset}


def _missing() -> Any:
    raise _Unsure  # a required key: never reached, `built` checks for them first


class _Compiler:
    """Turns SHAPES into nested check functions (one per model, built once)."""

    def __init__(self) -> None:
        from engine.model_shapes import MODELS

        _patterns()
        self.shapes = MODELS
        self.models: dict[str, Check] = {}
        self.building: set[str] = set()

    def model(self, name: str) -> Check:
        if name in self.models:
            return self.models[name]
        if name in self.building:
            raise ValueError(f"{name} contains itself: the quick check does not mirror that")
        self.building.add(name)
        fields = self.shapes[name]
        record = type(name, (Record,), {"__slots__": ()})
        by_key = {key: (attr, self.shape(shape)) for key, attr, shape, _ in fields}
        required = [key for key, _, _, default in fields if default is None]
        every = [(attr, self._default(default) if default else _missing) for _, attr, _, default in fields]

        def built(data: Any) -> Record:
            if type(data) is not dict:
                raise _Unsure
            given = {}
            for key, value in data.items():
                found = by_key.get(key) if type(key) is str else None
                if found is None:
                    raise _Unsure  # an unknown key (or one that is not text)
                attr, check = found
                given[attr] = check(value)
            for key in required:
                if key not in data:
                    raise _Unsure
            # in the model's field order, whatever the file's: equal records hash alike
            return record({attr: given[attr] if attr in given else make() for attr, make in every})

        self.models[name] = built
        return built

    def _default(self, default: tuple[Any, ...]) -> Callable[[], Any]:
        what = default[0]
        if what == "value":
            value = default[1]
            return lambda: value
        if what == "list":
            return list
        if what == "dict":
            return dict
        if what == "model":
            make = self.model(default[1])
            return lambda: make({})
        raise ValueError(f"unknown default {default!r}")

    def shape(self, shape: tuple[Any, ...]) -> Check:  # noqa: C901 - one branch per kind of shape
        head = shape[0]
        if head == "none_or":
            inner = self.shape(shape[1])
            return lambda v: None if v is None else inner(v)
        if head == "str":
            return _text(*shape[1:])
        if head == "int":
            return _whole(*shape[1:])
        if head == "before":
            return BEFORE[shape[1]]
        if head == "literal":
            allowed = frozenset(shape[1])  # all text: the table is generated only for those

            def literal(v: Any) -> Any:
                if type(v) is not str or v not in allowed:
                    raise _Unsure
                return v
            return literal
        if head == "list":
            return _listing(self.shape(shape[1]), shape[2])
        if head == "dict":
            return _mapping(self.shape(shape[1]), self.shape(shape[2]), shape[3])
        if head == "model":
            return self.model(shape[1])
        if head == "either":  # two forms no value can take both of (text, or a mapping): the first that fits
            first, second = self.shape(shape[1]), self.shape(shape[2])

            def either(v: Any) -> Any:
                try:
                    return first(v)
                except _Unsure:
                    return second(v)
            return either
        raise ValueError(f"unknown shape {shape!r}")


def _text(min_length: int, pattern: str | None, after: str | None) -> Check:
    matches = re.compile(pattern).search if pattern else None
    then = AFTER[after] if after else None

    def text(v: Any) -> str:
        if type(v) is not str or len(v) < min_length or not (v.isascii() or _encodable(v)):
            raise _Unsure
        if matches is not None and ("\n" in v or not matches(v)):  # pydantic-core's `$` is the very end
            raise _Unsure
        return then(v) if then is not None else v
    return text


def _encodable(v: str) -> bool:
    """Whether text holds only real characters: pydantic-core refuses a lone surrogate (string_unicode),
    which a Python str can hold (the loader never gives one; other callers might)."""
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _whole(ge: int | None, le: int | None) -> Check:
    def whole(v: Any) -> int:
        if type(v) is not int or (ge is not None and v < ge) or (le is not None and v > le):
            raise _Unsure
        return v
    return whole


def _listing(item: Check, min_length: int) -> Check:
    def listing(v: Any) -> list[Any]:
        if type(v) is not list or len(v) < min_length:
            raise _Unsure
        return [item(x) for x in v]
    return listing


def _mapping(key: Check, value: Check, min_length: int) -> Check:
    def mapping(v: Any) -> dict[Any, Any]:
        if type(v) is not dict or len(v) < min_length:
            raise _Unsure
        return {key(k): value(x) for k, x in v.items()}
    return mapping


# ----- the table, generated from the pydantic models -----

def shapes_from_models() -> tuple[dict[str, str], dict[str, list[tuple[Any, ...]]], dict[str, str]]:
    """(KINDS, MODELS, PATTERNS) as engine.model_shapes holds them, from the pydantic models now.

    Raises TypeError for a part of a model this module cannot mirror (a validator it does not know,
    a union, a constraint): teach `_shape` and the checks above before using it in a model.
    """
    from engine.improvement.model import REF_PATTERN, ImprovementPlan, _check_date, _check_ref
    from engine.model import (
        CONTROL_PATTERN,
        ID_PATTERN,
        Runbook,
        _check_control,
        _check_id,
        _check_timestamp,
        _to_offset,
        _to_seconds,
    )
    from engine.scenario_model import Scenario

    known = {_check_id: "id", _check_ref: "ref", _check_control: "control", _check_timestamp: "timestamp",
             _check_date: "day", _to_seconds: "duration", _to_offset: "offset"}
    kinds = {"runbook": Runbook, "scenario": Scenario, "improvements": ImprovementPlan}
    models: dict[str, list[tuple[Any, ...]]] = {}
    for model in kinds.values():
        _describe_model(model, models, known)
    return ({k: m.__name__ for k, m in kinds.items()}, models,
            {"id": ID_PATTERN, "ref": REF_PATTERN, "control": CONTROL_PATTERN})


def _describe_model(model: Any, models: dict[str, list[tuple[Any, ...]]], known: dict[Any, str]) -> None:
    name = model.__name__
    if name in models:
        return
    _mirrorable(model)
    models[name] = []
    fields: list[tuple[Any, ...]] = []
    for attr, info in model.model_fields.items():
        if info.validation_alias not in (None, info.alias) or info.validate_default:
            raise TypeError(f"{name}.{attr}: the quick check mirrors one key per field and unvalidated defaults")
        shape = _shape(info.annotation, list(info.metadata), models, known)
        fields.append((info.alias or attr, attr, shape, _default_of(info)))
    models[name] = fields


_CONFIG = {"extra": "forbid", "strict": True, "frozen": True}  # the settings the quick check mirrors, all of them


def _mirrorable(model: Any) -> None:
    """Raise TypeError unless `model` validates only by its fields' shapes: strict, no extra keys, no
    other setting that changes values (str_strip_whitespace, alias_generator, ...), no validators,
    computed fields or post-init of its own."""
    from pydantic import BaseModel

    config = {k: v for k, v in model.model_config.items() if k != "title"}
    decorators = model.__pydantic_decorators__
    if (config != _CONFIG or decorators.model_validators or decorators.field_validators or decorators.validators
            or decorators.root_validators or decorators.computed_fields
            or model.model_post_init is not BaseModel.model_post_init or model.__init__ is not BaseModel.__init__):
        raise TypeError(f"{model.__name__}: the quick check mirrors strict models without validators of their own")


def _default_of(info: Any) -> tuple[Any, ...] | None:
    from pydantic import BaseModel

    if info.is_required():
        return None
    factory = info.default_factory
    if factory is None:
        if info.default is not None and not isinstance(info.default, (str, int)):
            raise TypeError(f"cannot mirror the default {info.default!r}")
        return ("value", info.default)
    if factory in (list, dict):
        return (factory.__name__,)
    if isinstance(factory, type) and issubclass(factory, BaseModel):
        return ("model", factory.__name__)
    raise TypeError(f"cannot mirror the default factory {factory!r}")


def _shape(annotation: Any, metadata: list[Any], models: dict[str, list[tuple[Any, ...]]],  # noqa: C901
           known: dict[Any, str]) -> tuple[Any, ...]:
    import types
    import typing

    from pydantic import BaseModel

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _shape(args[0], [*_unpacked(args[1:]), *metadata], models, known)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 2 == len(args) and _disjoint(rest):  # an objective: text, or a mapping
            return ("either", _shape(rest[0], [], models, known), _shape(rest[1], [], models, known))
        if len(rest) != 1 or len(args) != 2:
            raise TypeError(f"cannot mirror the union {annotation!r}")
        return ("none_or", _shape(rest[0], metadata, models, known))
    limits = _limits(metadata, known)
    if limits["before"]:
        if (limits["before"], annotation) not in (("duration", int), ("offset", tuple[str, int])):
            raise TypeError(f"cannot mirror {limits['before']} into {annotation!r}")
        return ("before", limits["before"])
    if annotation is str:
        return ("str", limits["min_length"], limits["pattern"], limits["after"])
    if limits["after"] or limits["pattern"]:
        raise TypeError(f"cannot mirror a text check on {annotation!r}")
    if annotation is int:
        return ("int", limits["ge"], limits["le"])
    if limits["ge"] is not None or limits["le"] is not None:
        raise TypeError(f"cannot mirror bounds on {annotation!r}")
    if origin is typing.Literal and all(type(a) is str for a in args):
        return ("literal", tuple(args))
    if origin is list and len(args) == 1:
        return ("list", _shape(args[0], [], models, known), limits["min_length"])
    if origin is dict and len(args) == 2:
        return ("dict", _shape(args[0], [], models, known), _shape(args[1], [], models, known),
                limits["min_length"])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and not limits["min_length"]:
        _describe_model(annotation, models, known)
        return ("model", annotation.__name__)
    raise TypeError(f"cannot mirror {annotation!r}")


def _disjoint(forms: list[Any]) -> bool:
    """Whether a union is text or a model (no value fits both, so trying them in turn is pydantic's answer)."""
    import typing

    from pydantic import BaseModel

    plain = [typing.get_args(f)[0] if typing.get_origin(f) is typing.Annotated else f for f in forms]
    return plain[0] is str and isinstance(plain[1], type) and issubclass(plain[1], BaseModel)


def _unpacked(metadata: tuple[Any, ...]) -> list[Any]:
    from pydantic.fields import FieldInfo

    out: list[Any] = []
    for item in metadata:
        out += list(item.metadata) if isinstance(item, FieldInfo) else [item]
    return out


def _limits(metadata: list[Any], known: dict[Any, str]) -> dict[str, Any]:
    import annotated_types as at
    from pydantic import AfterValidator, BeforeValidator, Discriminator, Tag, WithJsonSchema

    out: dict[str, Any] = {"min_length": 0, "pattern": None, "after": None, "before": None, "ge": None, "le": None}
    for item in metadata:
        if isinstance(item, (WithJsonSchema, Tag, Discriminator)):
            continue  # the JSON Schema, or how pydantic picks a union's form: the shape says the same
        if isinstance(item, at.MinLen):
            out["min_length"] = item.min_length
        elif isinstance(item, at.Ge):
            out["ge"] = item.ge
        elif isinstance(item, at.Le):
            out["le"] = item.le
        elif isinstance(item, (AfterValidator, BeforeValidator)) and item.func in known:
            out["after" if isinstance(item, AfterValidator) else "before"] = known[item.func]
        elif type(item).__name__ == "_PydanticGeneralMetadata" and set(vars(item)) == {"pattern"}:
            out["pattern"] = vars(item)["pattern"]
        else:
            raise TypeError(f"cannot mirror the constraint {item!r}")
    return out


def write_shapes(path: str) -> None:
    """Write engine/model_shapes.py from the models (after changing a model)."""
    import pprint

    kinds, models, patterns = shapes_from_models()
    text = (f'"""Generated by engine.quick_check.write_shapes from the pydantic models: do not edit."""\n\n'
            f"from typing import Any\n\n"
            f"KINDS: dict[str, str] = {pprint.pformat(kinds, width=90)}\n\n"
            f"PATTERNS: dict[str, str] = {pprint.pformat(patterns, width=90)}\n\n"
            f"MODELS: dict[str, list[tuple[Any, ...]]] = {pprint.pformat(models, width=110, sort_dicts=False)}\n")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
