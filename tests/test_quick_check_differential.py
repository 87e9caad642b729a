"""Differential tests of the quick check against pydantic: it may refuse what pydantic accepts, never the reverse.

engine.quick_check accepts a file's data without pydantic when it certainly fits its model. Its contract:
whenever `quick_model(kind, data)` returns records, pydantic accepts the same data and builds the same
values (durations, scenario times, defaults, aliases, every conversion). These tests mutate the shipped
files and the fixture corpus with hypothesis (values of every type the loader gives and some it cannot,
keys renamed, added and dropped, parts moved to where another model is expected) and check the
contract on the data, then end to end: `tabletop validate` prints the same findings, with the same exit
code, with the quick check and without it (`quick_model` patched to always be unsure).
"""

from __future__ import annotations

import copy
import functools
import io
import itertools
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import engine.model_shapes as shapes
import engine.quick_check
import engine.schema
from engine.config import Config
from engine.load import read_document
from engine.model import model_of
from engine.quick_check import quick_model
from engine.validate import discover, validate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_quick_check import FIXTURES, ROOT, SHIPPED, TODAY, _paths, _plain, _trimmed  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
from corpus import CASES as HOSTILE  # noqa: E402
from corpus import build as build_hostile  # noqa: E402

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=150, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
END_TO_END = settings(FAST, max_examples=20)

# ----- values: every type the loader gives, near every field's edge, and a few it cannot give -----

KEYS = sorted({key for fields in shapes.MODELS.values() for key, *_ in fields} | set(shapes.KINDS))


def _literal_values() -> list[str]:
    out: set[str] = set()

    def walk(shape: Any) -> None:
        if isinstance(shape, tuple):
            if shape and shape[0] == "literal":
                out.update(shape[1])
            for part in shape:
                walk(part)
    for fields in shapes.MODELS.values():
        for _, _, shape, _ in fields:
            walk(shape)
    return sorted(out)


WORDS = _literal_values()
EDGE_INTS = [0, 1, -1, 999_999_999, 1_000_000_000, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**400]
ODD_TEXT = ["", " ", "\n", "\t", "\x00", "\ud800", "x\udfff", "\u202e", "\u2028", "é", "ß", "İ", "K", "٣", "１",
            "ok-id", "ok-id\n", "ok-id\r", "Ok-id", "ok--id", "ok-", "-ok", "a" * 300, "r/s", "a/b/c", "a/b\n"]
_DIGITS = st.sampled_from(["0", "1", "00", "7", "15", "90", "366", "367", "8784", "527040", "31622400", "31622401",
                           "999999999", "1000000000", "٣", "١٥", "９"])


@st.composite
def _durationish(draw: st.DrawFn) -> str:
    """Text near the grammar of durations and scenario times (engine.duration), right and wrong."""
    sign = draw(st.sampled_from(["", "", "T+", "+", "t+", "T-", "-", "T +", "T+ ", " +"]))
    if draw(st.booleans()):
        body = "".join(draw(_DIGITS) + draw(st.sampled_from("dhmsDx")) for _ in range(draw(st.integers(1, 4))))
    else:
        body = draw(_DIGITS) + ":" + draw(st.sampled_from(["00", "30", "59", "60", "5", "٣٠"]))
        body += draw(st.sampled_from(["", ":15", ":60", ":"]))
    pad = st.sampled_from(["", "", " ", "\n", "\t", "\u00a0", "\u3000", "x"])
    return draw(pad) + sign + draw(st.sampled_from(["", "", " "])).join([body]) + draw(pad)


@st.composite
def _timestampish(draw: st.DrawFn) -> str:
    when = draw(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
    zone = draw(st.sampled_from([None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-23, minutes=-59)),
                                 timezone(timedelta(minutes=30))]))
    text = when.replace(tzinfo=zone).isoformat(sep=draw(st.sampled_from(["T", " ", "t"])),
                                               timespec=draw(st.sampled_from(["auto", "minutes", "seconds"])))
    if draw(st.booleans()):
        text = text.replace("+00:00", draw(st.sampled_from(["Z", "z", "ZZ", "+0000", "+00", "Z\n"])))
    return text


@st.composite
def _dayish(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=date(1, 1, 1)))
    return draw(st.sampled_from([day.isoformat(), day.strftime("%Y%m%d"), day.isoformat() + "\n",
                                 day.isoformat() + "T00:00", day.strftime("%Y-W%W-1"), " " + day.isoformat()]))


SCALARS = st.one_of(
    st.none(), st.booleans(), st.sampled_from(EDGE_INTS), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1.0, 0.0, -0.0, 15.5]),
    st.sampled_from(ODD_TEXT), st.sampled_from(WORDS), st.sampled_from(KEYS),
    st.sampled_from([w.upper() for w in WORDS] + [w + " " for w in WORDS]),
    st.from_regex(shapes.PATTERNS["id"], fullmatch=True), st.from_regex(shapes.PATTERNS["ref"], fullmatch=True),
    st.from_regex(r"[0-9a-fA-F]{14,66}\n?", fullmatch=True),
    _durationish(), _timestampish(), _dayish(),
    st.text(max_size=12), st.text(st.characters(codec="utf-8", categories=["Cs", "Zs", "Cc", "Nd", "Lu"]),
                                  max_size=4),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.sampled_from(KEYS), SCALARS), inner, max_size=3)),
    max_leaves=6)


# ----- mutations of a valid document -----

def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def _mutated(draw: st.DrawFn, data: Any) -> Any:
    """`data` changed in one to three places: a value replaced (by anything, or by another part of the
    document), a key renamed, added or dropped, a list item dropped or doubled."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))[1:]
        if not paths:
            break
        where = draw(st.sampled_from(paths))
        parent, last = _at(data, where[:-1]), where[-1]
        action = draw(st.sampled_from(["value", "value", "value", "text", "graft", "rename", "add", "drop", "double"]))
        if action == "text" and isinstance(parent[last], str):  # the text itself, slightly wrong
            odd = draw(st.sampled_from(ODD_TEXT))
            parent[last] = draw(st.sampled_from([parent[last] + odd, odd + parent[last], parent[last][:1] + odd,
                                                 parent[last].upper(), parent[last].replace("-", "_")]))
        elif action == "value":
            parent[last] = draw(VALUES)
        elif action == "graft":  # another part of the document: a step where an option goes, a list for a map
            parent[last] = copy.deepcopy(_at(data, draw(st.sampled_from(list(_paths(data))))))
        elif action == "rename" and isinstance(parent, dict):
            key = draw(st.one_of(st.sampled_from(KEYS), SCALARS))  # every scalar is hashable
            if key not in parent:
                parent[key] = parent.pop(last)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(VALUES)
        elif action == "drop":
            del parent[last]
        elif action == "double" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
    return data


def _contract(kind: str, data: Any) -> None:
    """The quick check's records, when it gives any, are exactly pydantic's model of the same data."""
    record = quick_model(kind, copy.deepcopy(data))
    if record is None:
        return
    try:
        model = model_of(kind).model_validate(data)
    except ValidationError as exc:
        raise AssertionError(f"the quick check accepted what pydantic refuses ({exc.errors()[0]['type']}): "
                             f"{data!r}") from None
    assert _plain(record) == _plain(model), f"the quick check's values differ from pydantic's on {data!r}"


DOCUMENTS = [read_document(str(p)) for p in SHIPPED]
SOURCES = [(d.kind or "", _trimmed(d.data)) for d in DOCUMENTS]


@FAST
@given(st.sampled_from(SOURCES).flatmap(lambda s: st.tuples(st.just(s[0]), _mutated(s[1]))))
def test_whatever_the_quick_check_accepts_pydantic_accepts_with_the_same_values(case: tuple[str, Any]) -> None:
    _contract(*case)


@functools.cache
def _from_shape(shape: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """Data for a shape of engine.model_shapes: mostly right, often at an edge, now and then anything."""
    return _now_and_then(_fitting(shape), SCALARS)


@st.composite
def _now_and_then(draw: st.DrawFn, usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> Any:
    """Mostly a value of `usual`, one time in about twenty one of `odd`."""
    return draw(odd) if draw(st.integers(1, 20)) == 7 else draw(usual)


@functools.cache
def _fitting(shape: tuple[Any, ...]) -> st.SearchStrategy[Any]:  # noqa: C901 - one branch per kind of shape
    head = shape[0]
    if head == "none_or":
        return st.one_of(st.none(), _from_shape(shape[1]))
    if head == "str":
        _, min_length, pattern, after = shape
        if after in ("id", "ref", "control"):
            return _now_and_then(st.from_regex(shapes.PATTERNS[after], fullmatch=True), st.sampled_from(ODD_TEXT))
        if after == "timestamp":
            return _timestampish()
        if after == "day":
            return _dayish()
        if pattern:
            return st.one_of(st.from_regex(pattern), st.from_regex(pattern, fullmatch=True))
        return _now_and_then(st.text(min_size=min_length, max_size=6), st.sampled_from(ODD_TEXT))
    if head == "int":
        near = [b + d for b in (shape[1], shape[2]) if b is not None for d in (-1, 0, 1)]
        return st.one_of(st.sampled_from(near + EDGE_INTS), st.integers(), st.booleans(), st.floats())
    if head == "before":
        return _durationish()
    if head == "literal":
        return st.sampled_from([*shape[1], *(w.upper() for w in shape[1]), "", None])
    if head == "list":
        return st.lists(_from_shape(shape[1]), min_size=max(0, shape[2] - 1), max_size=2)
    if head == "dict":
        return st.dictionaries(_from_shape(shape[1]), _from_shape(shape[2]), min_size=max(0, shape[3] - 1),
                               max_size=2)
    if head == "either":
        return st.one_of(_from_shape(shape[1]), _from_shape(shape[2]))
    fields = shapes.MODELS[shape[1]]
    required = {key: _from_shape(s) for key, _, s, default in fields if default is None}
    optional = {key: _from_shape(s) for key, _, s, default in fields if default is not None}
    extra = st.dictionaries(st.sampled_from(KEYS + [attr for _, attr, _, _ in fields]), SCALARS, max_size=1)
    dropped = st.sets(st.sampled_from(sorted(required) or [""]), max_size=1)
    return _now_and_then(st.fixed_dictionaries(required, optional=optional),
                         st.builds(_with_odd_keys, st.fixed_dictionaries(required, optional=optional), extra, dropped))


def _with_odd_keys(data: dict[str, Any], extra: dict[str, Any], dropped: set[str]) -> Any:
    """Mostly the data as drawn; sometimes with a key it does not have, or without one it needs."""
    return {**{k: v for k, v in data.items() if k not in dropped}, **extra} if extra or dropped else data


def _documents() -> st.SearchStrategy[tuple[str, Any]]:
    return st.one_of([st.tuples(st.just(kind), _fitting(("model", model))) for kind, model in shapes.KINDS.items()])


@FAST
@given(_documents())
def test_documents_drawn_from_the_shapes_are_accepted_only_as_pydantic_accepts_them(case: tuple[str, Any]) -> None:
    _contract(*case)


# Counterexamples found by the tests above (and by hand), kept so they stay fixed.
class _Text(str):
    """A str subclass: strict pydantic may take it, the quick check leaves it to pydantic."""


class _Mapping(dict):  # type: ignore[type-arg]
    """A dict subclass, likewise."""


RUNBOOK = {"runbook": "r", "title": "T", "steps": {"a": {"title": "x"}}}
SCENARIO = {"scenario": "s", "title": "t", "runbooks": ["r"]}
PLAN = {"improvements": "p", "items": [{"id": "i", "finding": {"log": "x", "line": 1, "note": "n"}}]}


@pytest.mark.parametrize(("kind", "data"), [
    # a lone surrogate is a Python str that pydantic-core refuses (string_unicode): in text, ids and keys
    ("runbook", {**RUNBOOK, "title": "\ud800"}),
    ("runbook", {**RUNBOOK, "summary": "half \udfff"}),
    ("runbook", {**RUNBOOK, "roles": {"lead": "x\ud800"}}),
    ("scenario", {**SCENARIO, "injects": [{"id": "a", "say": "\ud83d"}]}),
    ("improvements", {**PLAN, "title": "\udc80"}),
    # values at the edge of what fits
    ("runbook", {**RUNBOOK, "version": 10**30}),
    ("runbook", {**RUNBOOK, "version": True}),
    ("runbook", {**RUNBOOK, "drill_every": " 15m\n"}),
    ("runbook", {**RUNBOOK, "drill_every": "١٥m"}),
    ("runbook", {**RUNBOOK, "runbook": "ok\n"}),
    ("scenario", {**SCENARIO, "anchor": "0001-01-01T00:00:00+01:00"}),
    ("scenario", {**SCENARIO, "anchor": "9999-12-31T23:59:59-01:00"}),
    ("scenario", {**SCENARIO, "anchor": "2026-W04-4T19:33Z"}),
    ("improvements", {**PLAN, "items": [{"id": "i", "finding": {"log": "x", "line": 10**40, "note": "n"}}]}),
    ("improvements", {**PLAN, "items": [{"id": "i", "finding": {"log": "x", "line": 1, "note": "n",
                                                                "drill": "0123456789abcdef\n"}}]}),
    # types the loader never gives, which other callers might: tuples, datetimes, bytes, subclasses
    ("runbook", {**RUNBOOK, "steps": {"a": {"title": "x", "needs": ("b",)}, "b": {"title": "y"}}}),
    ("scenario", {**SCENARIO, "anchor": datetime(2026, 1, 22, tzinfo=UTC)}),
    ("scenario", {**SCENARIO, "injects": [{"id": "a", "at": ("absolute", 60)}]}),
    ("improvements", {**PLAN, "items": [{"id": "i", "due": date(2026, 3, 1)}]}),
    ("runbook", {**RUNBOOK, "title": b"T"}),
    ("runbook", {**RUNBOOK, "title": _Text("T")}),
    ("runbook", {**RUNBOOK, "steps": _Mapping({"a": {"title": "x"}})}),
    ("runbook", {**RUNBOOK, "version": 1.0}),
    ("runbook", {**RUNBOOK, "version": float("nan")}),
])
def test_counterexamples_stay_fixed(kind: str, data: Any) -> None:
    _contract(kind, data)


def test_a_lone_surrogate_is_left_to_pydantic() -> None:
    assert quick_model("runbook", {**RUNBOOK, "title": "\ud800"}) is None
    assert quick_model("runbook", {**RUNBOOK, "title": "é"}) is not None


# ----- end to end: `tabletop validate` prints the same either way -----

def _validate(files: list[str], *, quick: bool) -> list[Any]:
    with _fresh_stand_ins():
        return validate(files, Config(), today=TODAY, quick=quick).findings


@contextmanager
def _fresh_stand_ins() -> Iterator[None]:
    """Number the stand-ins for missing ids from 1, as a fresh `tabletop validate` process does (the
    counter runs on across the runs of one process, which would make equal runs differ)."""
    with mock.patch.object(engine.schema, "_STAND_INS", itertools.count(1)):
        yield


@contextmanager
def _without_quick_check() -> Iterator[None]:
    """`tabletop validate` as it was before the quick check: pydantic reads every file."""
    with mock.patch.object(engine.quick_check, "quick_model", lambda kind, data: None):
        yield


def _tabletop_validate(args: list[str]) -> tuple[int, str]:
    from engine.cli import main

    out = io.StringIO()
    with redirect_stdout(out), _fresh_stand_ins():
        code = main(["validate", *args])
    return code, out.getvalue()


def _both_ways(args: list[str]) -> None:
    quick = _tabletop_validate(args)
    with _without_quick_check():
        slow = _tabletop_validate(args)
    assert quick == slow


PROJECT = {  # a small project whose files name each other: a runbook, a scenario of it, a plan touching it
    "runbooks/mail-outage.yaml": read_document(str(FIXTURES / "scenario-bad-anchor" / "mail-outage.yaml")).data,
    "scenarios/mail-drill.yaml": {**read_document(str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml")).data,
                                  "runbooks": ["mail-outage"]},
    "improvements/plan.yaml": read_document(str(ROOT / "improvements" / "m365-na-outage-2026-01-22.yaml")).data,
}
PROJECT["scenarios/mail-drill.yaml"] = _trimmed(PROJECT["scenarios/mail-drill.yaml"])
# the same scenario again under another name, and a second runbook: rules across files then see the records of
# the files that fit beside pydantic's models of the file that does not
PROJECT["scenarios/again.yaml"] = PROJECT["scenarios/mail-drill.yaml"]
PROJECT["runbooks/console.yaml"] = _trimmed(read_document(str(ROOT / "runbooks" / "admin-console-loss.yaml")).data)


@END_TO_END
@given(st.sampled_from(sorted(PROJECT)).flatmap(lambda name: st.tuples(st.just(name), _mutated(PROJECT[name]))))
def test_validate_prints_the_same_findings_with_and_without_the_quick_check(case: tuple[str, Any]) -> None:
    import tempfile

    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        for path, content in PROJECT.items():
            target = Path(folder, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(data if path == name else content, ensure_ascii=True, default=str),
                              encoding="utf-8")
        files = discover([folder], Config())
        assert _validate(files, quick=True) == _validate(files, quick=False)
        _both_ways([folder, "--format", "json", "--today", TODAY.isoformat()])


def test_the_whole_fixture_corpus_gives_the_same_output_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    assert sum(quick_model(d.kind or "", d.data) is not None
               for d in map(read_document, discover(["."], Config()))) >= 20, "the quick path was not taken"
    for args in (["."], [".", "--format", "json"], [".", "--format", "sarif"], [".", "--strict"]):
        _both_ways([*args, "--today", TODAY.isoformat()])


SCHEMA_CASES = ["anchor-year-9999", "anchor-year-1", "huge-at", "huge-duration", "huge-version", "python-tag",
                "broken-yaml", "alias-bomb", "not-utf8", "binary-file", "terminal-escapes-in-files"]


@pytest.mark.parametrize("case", SCHEMA_CASES)
def test_hostile_projects_give_the_same_findings_either_way(case: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    assert case in HOSTILE
    build_hostile(case, tmp_path / case)
    monkeypatch.chdir(tmp_path / case)
    files = discover(["."], Config())
    assert _validate(files, quick=True) == _validate(files, quick=False)
    _both_ways([".", "--format", "json", "--today", TODAY.isoformat()])


# ----- the table's generator refuses every part of a model it cannot mirror -----

def _models_it_must_refuse() -> list[Any]:
    """Small strict models, each with one thing that changes what pydantic accepts or the values it builds."""
    from pydantic import AliasChoices, BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

    strict = ConfigDict(extra="forbid", strict=True, frozen=True)

    class StripsWhitespace(BaseModel):
        model_config = ConfigDict(**strict, str_strip_whitespace=True)
        name: str

    class LowerCases(BaseModel):
        model_config = ConfigDict(**strict, str_to_lower=True)
        name: str

    class GeneratesAliases(BaseModel):
        model_config = ConfigDict(**strict, alias_generator=lambda a: a.upper())
        name: str

    class PythonRegex(BaseModel):
        model_config = ConfigDict(**strict, regex_engine="python-re")
        name: str = Field(pattern="^a$")

    class ByName(BaseModel):
        model_config = ConfigDict(**strict, populate_by_name=True)
        name: str = Field(alias="the-name")

    class TwoKeys(BaseModel):
        model_config = strict
        name: str = Field(validation_alias=AliasChoices("name", "label"))

    class ValidatedDefault(BaseModel):
        model_config = strict
        name: str = Field("", min_length=1, validate_default=True)

    class FieldValidator(BaseModel):
        model_config = strict
        name: str

        @field_validator("name")
        @classmethod
        def _upper(cls, value: str) -> str:
            return value.upper()

    class ModelValidator(BaseModel):
        model_config = strict
        name: str

        @model_validator(mode="after")
        def _check(self) -> ModelValidator:
            return self

    class Computed(BaseModel):
        model_config = strict
        name: str

        @computed_field  # type: ignore[prop-decorator]
        @property
        def shout(self) -> str:
            return self.name.upper()

    class PostInit(BaseModel):
        model_config = strict
        name: str

        def model_post_init(self, context: Any) -> None:
            raise ValueError("never")

    class MaxLength(BaseModel):
        model_config = strict
        name: str = Field(max_length=3)

    class Lax(BaseModel):
        model_config = strict
        name: int = Field(strict=False)

    class Loose(BaseModel):
        model_config = ConfigDict(extra="ignore", strict=True, frozen=True)
        name: str

    return [StripsWhitespace, LowerCases, GeneratesAliases, PythonRegex, ByName, TwoKeys, ValidatedDefault,
            FieldValidator, ModelValidator, Computed, PostInit, MaxLength, Lax, Loose]


@pytest.mark.parametrize("model", _models_it_must_refuse(), ids=lambda m: m.__name__)
def test_the_generator_refuses_what_the_quick_check_cannot_mirror(model: Any) -> None:
    from engine.quick_check import _describe_model

    with pytest.raises(TypeError):
        _describe_model(model, {}, {})


def test_a_table_the_quick_check_cannot_build_leaves_every_file_to_pydantic(monkeypatch: pytest.MonkeyPatch) -> None:
    """quick_model raises nothing, even for a table edited by hand into one it cannot compile."""
    monkeypatch.setattr(engine.quick_check, "_checks", {})
    monkeypatch.setattr(shapes, "MODELS", {**shapes.MODELS, "Runbook": [("runbook", "runbook", ("model", "Runbook"),
                                                                          None)]})
    assert quick_model("runbook", RUNBOOK) is None
    monkeypatch.setattr(shapes, "MODELS", {**shapes.MODELS, "Runbook": [("runbook", "runbook", ("float",), None)]})
    assert quick_model("runbook", RUNBOOK) is None
