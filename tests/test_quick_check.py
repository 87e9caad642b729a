"""The quick check (engine.quick_check) accepts exactly what the pydantic models accept, with the same values.

`tabletop validate` accepts files that fit their model without importing
pydantic; everything else goes through pydantic as before. These tests hold
the two paths together: the generated table is current, every fixture and
shipped file gives the same findings and the same model either way, and data
mutated part by part is accepted by one path exactly when by the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import engine.model_shapes as shapes
from engine.config import Config
from engine.load import read_document
from engine.model import model_of
from engine.quick_check import Record, quick_model, shapes_from_models
from engine.validate import discover, validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED = sorted([*ROOT.glob("runbooks/*.yaml"), *ROOT.glob("scenarios/*.yaml"), *ROOT.glob("improvements/*.yaml")])
TODAY = date(2026, 6, 1)


def _plain(value: Any) -> Any:
    """A model instance or a record as plain data, to compare the two."""
    if isinstance(value, BaseModel):
        return {"@": type(value).__name__, **{k: _plain(getattr(value, k)) for k in type(value).model_fields}}
    if isinstance(value, Record):
        return {"@": type(value).__name__, **{k: _plain(v) for k, v in vars(value).items()}}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and value.startswith("missing-id-"):
        return "missing-id-#"  # the stand-in for a missing id is numbered across the whole run
    return value


def test_the_table_is_generated_from_the_models_as_they_are() -> None:
    assert shapes_from_models() == (shapes.KINDS, shapes.MODELS, shapes.PATTERNS), (
        "a model changed: regenerate with "
        "python -c 'from engine.quick_check import write_shapes; write_shapes(\"engine/model_shapes.py\")'")


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURES.iterdir() if not p.name.startswith((".", "_"))))
def test_every_fixture_gives_the_same_findings_and_models_either_way(case: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    files = discover([case], Config())
    slow = validate(files, Config(), today=TODAY)
    quick = validate(files, Config(), today=TODAY, quick=True)
    assert quick.findings == slow.findings
    assert [_plain(d.model) for d in quick.documents] == [_plain(d.model) for d in slow.documents]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_take_the_quick_path_with_the_models_values(path: Path) -> None:
    doc = read_document(str(path))
    record = quick_model(doc.kind or "", doc.data)
    assert record is not None, "the quick check refused a file pydantic accepts"
    assert _plain(record) == _plain(model_of(doc.kind or "").model_validate(doc.data))
    with pytest.raises(AttributeError):
        record.title = "changed"  # type: ignore[attr-defined]


# values a hand might write anywhere: of every type the loader gives, right and wrong for some field
ODD = [None, True, False, 0, 7, -1, 10**12, 1.5, "", " ", "x", "Bad Id", "ok-id", "ok-id\n", "15m", "0m", "99999999d",
       "T+5m", "+1:30", "2026-01-22T19:33:00Z", "2026-01-22T19:33:00", "2026-03-01", "up", "tabletop", "response",
       "a/b", [], ["x"], ["ok-id"], [1], {}, {"ok-id": "x"}, {"x": 1}, {1: "x"}, {"title": "t"}]


def _paths(data: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*here, index))


def _trimmed(data: Any, keep: int | None = None) -> Any:
    """The data with two entries in each list and three in each mapping by id (every kind of part, fewer of each)."""
    if isinstance(data, dict):
        return {k: _trimmed(v, 3 if k in ("steps", "services", "roles", "objectives") else None)
                for k, v in list(data.items())[:keep]}
    if isinstance(data, list):
        return [_trimmed(v) for v in data[:2]]
    return data


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _agree(kind: str, data: Any) -> None:
    try:
        expected = _plain(model_of(kind).model_validate(data))
    except ValidationError:
        expected = None
    record = quick_model(kind, data)
    if expected is None:
        assert record is None, f"the quick check accepted what pydantic refuses: {data!r}"
    else:
        assert record is not None and _plain(record) == expected, f"the paths differ on {data!r}"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_data_changed_anywhere_is_accepted_by_the_quick_check_exactly_when_pydantic_accepts_it(path: Path) -> None:
    doc = read_document(str(path))
    kind, data = doc.kind or "", _trimmed(doc.data)
    assert quick_model(kind, data) is not None
    for where in list(_paths(data))[1:]:  # each change is undone before the next
        parent, last = _parent(data, where), where[-1]
        kept = parent[last]
        for value in [*ODD, [kept], {"ok-id": kept}]:
            parent[last] = value
            _agree(kind, data)
        parent[last] = kept
        if isinstance(last, str):  # the key itself: unknown, not text, an alias's attribute name
            for key in ("unknown-key", 3, last.replace("-", "_"), last.upper()):
                if key != last and key not in parent:
                    parent[key] = parent.pop(last)
                    _agree(kind, data)
                    parent[last] = parent.pop(key)
            del parent[last]  # left out
            _agree(kind, data)
            parent[last] = kept
        else:
            del parent[last]
            _agree(kind, data)
            parent.insert(last, kept)


def test_missing_required_keys_and_other_top_level_shapes_are_refused() -> None:
    for kind in ("runbook", "scenario", "improvements"):
        for data in (None, [], "text", {}, {kind: "ok-id"}, {"title": "t"}):
            _agree(kind, data)
    assert quick_model("team", {"team": "x"}) is None


def test_records_are_equal_and_hash_alike_whatever_order_the_file_writes_their_keys_in() -> None:
    def scenario(after: dict[str, str]) -> Any:
        return quick_model("scenario", {"scenario": "s", "title": "T", "runbooks": ["r"],
                                        "injects": [{"id": "i", "after": after, "at": "+5m"}]})

    one, two = scenario({"decision": "d", "option": "o"}), scenario({"option": "o", "decision": "d"})
    assert one is not None and two is not None
    assert one == two and one.injects[0].after == two.injects[0].after
    assert hash(one.injects[0].after) == hash(two.injects[0].after)
    assert one.injects[0].at == ("relative", 300) and one.injects[0].services == {}
