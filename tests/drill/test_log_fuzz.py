"""Fuzz the drill-log reader: whatever bytes or re-chained shapes arrive, reading gives events or a problem
at a line, and `log show`'s lines stay inert. TABLETOP_FUZZ_EXAMPLES sets how many inputs each test tries."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from drillkit import ROOT, SHIPPED, start
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.drill.log import LogError, read_log
from engine.drill.narrate import line as show_line
from engine.plans import load_plan
from engine.terminal import _CONTROL_BUT_NEWLINE

EXAMPLES = int(os.environ.get("TABLETOP_FUZZ_EXAMPLES", "200"))
TRIED = {"bytes": 0, "shapes": 0}
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                              HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _good_lines(tmp: Path) -> list[dict[str, Any]]:
    drill, clock = start(load_plan(str(SHIPPED), [str(ROOT / "runbooks")]), tmp, "seed.jsonl")
    drill.start_step(next(iter(drill.plan.steps)))
    drill.note("observation", "a note")
    drill.jump(3600.0)
    drill.end("done")
    drill.close()
    return [json.loads(raw) for raw in (tmp / "seed.jsonl").read_bytes().split(b"\n")[:-1]]


def _rechained(records: list[dict[str, Any]]) -> bytes:
    prev, out = "0" * 64, []
    for record in records:
        line = json.dumps(dict(record, prev=prev), ensure_ascii=False, separators=(",", ":")).encode()
        out.append(line)
        prev = hashlib.sha256(line).hexdigest()
    return b"\n".join(out) + b"\n"


def _read_and_show(path: Path) -> None:
    try:
        read = read_log(str(path))
    except LogError as exc:
        assert str(exc).startswith(str(path))
        return
    assert read.good_bytes <= path.stat().st_size
    assert (read.problem is None) == read.ok
    if read.problem:
        assert 1 <= read.problem.line <= len(read.events) + 1
    for event in read.events:
        shown = show_line(event)
        assert not _CONTROL_BUT_NEWLINE.search(shown) and "\n" not in shown


@FUZZ
@given(data=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode))
def test_any_bytes_read_as_events_or_a_problem(tmp_path: Path, data: bytes) -> None:
    TRIED["bytes"] += 1
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    _read_and_show(path)


@FUZZ
@given(where=st.integers(min_value=0, max_value=10_000), field=st.sampled_from(["seq", "wall", "t", "type", "data",
                                                                                "data.*", "extra", "drop"]),
       value=json_values, key=st.text(max_size=8))
def test_any_shape_rechained_reads_as_events_or_a_problem(tmp_path: Path, where: int, field: str, value: Any,
                                                          key: str) -> None:
    TRIED["shapes"] += 1
    if not hasattr(test_any_shape_rechained_reads_as_events_or_a_problem, "seed"):
        test_any_shape_rechained_reads_as_events_or_a_problem.seed = _good_lines(tmp_path)  # type: ignore[attr-defined]
    records = [dict(r) for r in test_any_shape_rechained_reads_as_events_or_a_problem.seed]  # type: ignore[attr-defined]
    record = records[where % len(records)]
    if field == "drop":
        record.pop(key if key in record else "data", None)
    elif field == "extra":
        record[key or "x"] = value
    elif field == "data.*":
        record["data"] = dict(record["data"], **{key: value})
    else:
        record[field] = value
    path = tmp_path / "fuzz.jsonl"
    try:
        path.write_bytes(_rechained(records))
    except (ValueError, UnicodeEncodeError):  # a lone surrogate in the text: not a line anyone can write
        return
    _read_and_show(path)


def test_zz_report_how_many_were_tried() -> None:
    print(f"\nlog reader fuzz: {TRIED['bytes']} byte inputs, {TRIED['shapes']} re-chained shapes")
