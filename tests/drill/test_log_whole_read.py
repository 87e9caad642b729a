"""The log reader reads a good block of lines in one call (engine.drill.log._quick_block), anything else line
by line.

The one-pass reader exists for speed only: for every file, good or damaged,
read_log must say exactly what the line-by-line reader says. Hypothesis
writes real logs through the Drill API, damages them in the ways a crash, an
editor or a tamperer would, and compares the two readers.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.drill import log as log_module
from engine.drill.clock import FakeClock
from engine.drill.log import LogRead, read_log
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"


class Shipped:
    """The shipped plan behind a one-line repr, so hypothesis' report of a failing case stays readable."""

    def __init__(self) -> None:
        self.plan = load_plan(str(SHIPPED))

    def __repr__(self) -> str:
        return f"<plan {self.plan.scenario.scenario}>"


@pytest.fixture(scope="module")
def shipped() -> Shipped:
    return Shipped()


def write_log(plan: Plan, folder: str, notes: list[str]) -> bytes:
    clock = FakeClock(datetime(2026, 1, 22, 19, 33, tzinfo=UTC))
    path = os.path.join(folder, "drill.jsonl")
    drill = Drill.start(plan, clock, log_path=path, facilitator="Sam")
    drill.fire_due()
    key = next(k for k, s in plan.steps.items() if s.do)
    for i, text in enumerate(notes):
        clock.advance(1.5)
        drill.note("observation", text, key if i % 2 else None, "observer")
        drill.tick(key, 0, i % 3 != 0)
    drill.set_service(sorted(plan.services)[0], "down")
    drill.close()
    with open(path, "rb") as handle:
        return handle.read()


def line_by_line(path: str) -> LogRead:
    saved = log_module._quick_block
    log_module._quick_block = lambda block, prev, first, offset: None  # type: ignore[assignment]
    try:
        return read_log(path)
    finally:
        log_module._quick_block = saved  # type: ignore[assignment]


def same(a: LogRead, b: LogRead) -> None:
    assert a.events == b.events
    assert (a.problem, a.torn, a.good_bytes, a.last_hash) == (b.problem, b.torn, b.good_bytes, b.last_hash)


DAMAGE = st.sampled_from([
    "none", "truncate", "flip", "delete-line", "swap-lines", "space", "crlf", "blank-line", "bom", "nan",
    "duplicate-key", "reorder-keys", "escape", "extra-key", "two-objects", "surrogate", "nul",
])


def damage(raw: bytes, how: str, data: st.DataObject) -> bytes:
    lines = raw.split(b"\n")[:-1]
    i = data.draw(st.integers(0, len(lines) - 1), label="line")
    line = lines[i]
    if how == "truncate":
        return raw[:data.draw(st.integers(0, len(raw) - 1), label="cut")]
    if how == "flip":
        at = data.draw(st.integers(0, len(raw) - 1), label="at")
        return raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255), label="bits")]) + raw[at + 1:]
    if how == "delete-line":
        del lines[i]
    elif how == "swap-lines" and len(lines) > 1:
        j = (i + 1) % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "space":
        lines[i] = line.replace(b'","', b'", "', 1)
    elif how == "crlf":
        lines[i] = line + b"\r"
    elif how == "blank-line":
        lines.insert(i, b"")
    elif how == "bom":
        lines[i] = b"\xef\xbb\xbf" + line
    elif how == "nan":
        lines[i] = line.replace(b'"t":', b'"t":NaN,"x":', 1)
    elif how == "duplicate-key":
        lines[i] = line.replace(b'{"seq":', b'{"seq":-1,"seq":', 1)
    elif how == "reorder-keys":
        record = json.loads(line)
        lines[i] = json.dumps(dict(reversed(list(record.items()))), ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
    elif how == "escape":
        lines[i] = line.replace(b'"type":"', b'"type":"\\u0020', 1)
    elif how == "extra-key":
        lines[i] = line[:-1] + b',"extra":1}'
    elif how == "two-objects":
        lines[i] = line + b"," + line
    elif how == "surrogate":
        lines[i] = line.replace(b'"observer"', b'"\xed\xa0\x80"', 1)
    elif how == "nul":
        lines[i] = line.replace(b'"observer"', b'"obs\x00erver"', 1)
    return b"\n".join(lines) + b"\n"


@settings(max_examples=80, deadline=None)
@given(data=st.data(), notes=st.lists(st.text(min_size=1, max_size=30).filter(str.strip), max_size=12),
       how=DAMAGE)
def test_read_log_says_what_the_line_by_line_reader_says(shipped: Shipped, data: st.DataObject,
                                                         notes: list[str], how: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        raw = write_log(shipped.plan, folder, notes)
        if how != "none":
            raw = damage(raw, how, data)
        path = os.path.join(folder, "damaged.jsonl")
        with open(path, "wb") as handle:
            handle.write(raw)
        try:
            expected = line_by_line(path)
        except log_module.LogError as exc:  # binary: neither reader gets that far
            with pytest.raises(log_module.LogError, match="binary"):
                read_log(path)
            assert "binary" in str(exc)
            return
        # Blocks smaller than a line, of a few lines, and the whole log: the reader must not care.
        block = data.draw(st.sampled_from([64, 700, 3000, 1 << 20]), label="block bytes")
        saved, log_module._BLOCK_BYTES = log_module._BLOCK_BYTES, block
        try:
            same(read_log(path), expected)
        finally:
            log_module._BLOCK_BYTES = saved
        if how == "none":
            assert expected.ok and len(expected.events) == 2 * len(notes) + 4


@pytest.mark.parametrize("block", [64, 1000, 1 << 20])
def test_a_good_log_is_read_in_one_pass(shipped: Shipped, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        block: int) -> None:
    monkeypatch.setattr(log_module, "_BLOCK_BYTES", block)
    write_log(shipped.plan, str(tmp_path), [f"note {i}" for i in range(30)])
    path = tmp_path / "drill.jsonl"
    quick = log_module._quick_block
    answers: list[bool] = []

    def counted(block: bytes, prev: str, first: int, offset: int) -> list | None:  # type: ignore[type-arg]
        found = quick(block, prev, first, offset)
        answers.append(found is not None)
        return found

    monkeypatch.setattr(log_module, "_quick_block", counted)
    whole = read_log(str(path))
    assert whole.ok and len(whole.events) == 64
    assert answers and all(answers)  # no block of a good log fell back to the line-by-line check
    monkeypatch.setattr(log_module, "_quick_block", quick)
    same(whole, line_by_line(str(path)))


@pytest.mark.parametrize("line", [
    b'{"seq":0,"wall":"x","t":NaN,"type":"drill.started","data":{},"prev":"' + b"0" * 64 + b'"}\n',
    b'{"seq":0,"wall":"x","t":1e999,"type":"drill.started","data":{},"prev":"' + b"0" * 64 + b'"}\n',
])
def test_a_number_json_cannot_write_is_a_problem_not_a_crash(tmp_path: Path, line: bytes) -> None:
    path = tmp_path / "nan.jsonl"
    path.write_bytes(line)
    read = read_log(str(path))
    assert read.problem is not None and read.problem.line == 1
    assert "canonical" in read.problem.message


def test_data_nested_too_deep_for_the_parser_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    path = tmp_path / "deep.jsonl"
    path.write_bytes(b'{"seq":0,"wall":"x","t":0,"type":"drill.started","data":' + deep
                     + b',"prev":"' + b"0" * 64 + b'"}\n')
    read = read_log(str(path))
    assert read.problem is not None and read.problem.line == 1



def test_data_nested_deeper_than_orjson_writes_is_read_as_the_line_by_line_reader_reads_it(tmp_path: Path) -> None:
    # orjson reads 1,024 levels but writes only 254: a line between the two must not crash the quick reader.
    deep = b"[" * 300 + b"]" * 300
    path = tmp_path / "deep.jsonl"
    path.write_bytes(b'{"seq":0,"wall":"x","t":0,"type":"drill.started","data":{"x":' + deep
                     + b'},"prev":"' + b"0" * 64 + b'"}\n')
    same(read_log(str(path)), line_by_line(str(path)))

# The quick reader parses and re-encodes with orjson, which writes floats outside _same_float's range in its
# own way (1e16, 0.00001) where the standard encoder writes 1e+16 and 1e-05, and reads integers past 64 bits
# as floats. A line in orjson's form that `encode` would not write must still be refused at its line.

def rechained(lines: list[bytes], start: int) -> list[bytes]:
    """The lines with `prev` recomputed from line `start` on, as a tamperer would."""
    out = lines[:start]
    prev = log_module.line_hash(out[-1]) if out else log_module.GENESIS
    for line in lines[start:]:
        head, _, _ = line.rpartition(b',"prev":"')
        line = head + b',"prev":"' + prev.encode() + b'"}'
        out.append(line)
        prev = log_module.line_hash(line)
    return out


NUMBER_FORMS = [b"0.00001", b"1e-05", b"1e16", b"1e+16", b"1E5", b"100000.0", b"1.5e16", b"1e-7", b"1e-07",
                b"-0", b"-0.0", b"18446744073709551616", b"100000000000000000000.0", b"0.0001", b"12.5"]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), form=st.sampled_from(NUMBER_FORMS), where=st.sampled_from(["t", "data"]))
def test_numbers_in_another_encoders_form_are_judged_as_the_line_by_line_reader_judges_them(
        shipped: Shipped, data: st.DataObject, form: bytes, where: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lines = write_log(shipped.plan, folder, ["one", "two", "three"]).split(b"\n")[:-1]
        i = data.draw(st.integers(1, len(lines) - 1), label="line")
        if where == "t":
            head, rest = lines[i].split(b'"t":', 1)
            lines[i] = head + b'"t":' + form + b"," + rest.split(b",", 1)[1]
        else:
            lines[i] = lines[i].replace(b'"data":{', b'"data":{"x":' + form + b",", 1)
        path = os.path.join(folder, "numbers.jsonl")
        with open(path, "wb") as handle:
            handle.write(b"\n".join(rechained(lines, i)) + b"\n")
        expected = line_by_line(path)
        same(read_log(path), expected)
        canonical = json.dumps(json.loads(form), allow_nan=False).encode() == form
        assert (expected.problem is None or expected.problem.line != i + 1
                or "canonical" not in expected.problem.message) == canonical


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_orjson_writes_the_floats_the_quick_reader_trusts_as_json_does(value: float) -> None:
    import orjson

    if log_module._same_float(value):  # outside it they often differ (1e+16, 1e-05); a block with one is
        assert orjson.dumps(value) == json.dumps(value).encode()  # left to the line-by-line check


@pytest.mark.parametrize("form", [b"1e16", b"0.00001", b"1e-7"])
def test_a_float_wall_in_orjsons_form_is_refused_as_not_canonical(tmp_path: Path, form: bytes) -> None:
    # `encode` writes these 1e+16, 1e-05, 1e-07: the line is refused for its form before its shape is looked at.
    path = tmp_path / "wall.jsonl"
    path.write_bytes(b'{"seq":0,"wall":' + form + b',"t":0,"type":"drill.started","data":{},"prev":"'
                     + b"0" * 64 + b'"}\n')
    read = read_log(str(path))
    same(read, line_by_line(str(path)))
    assert read.problem is not None and "canonical" in read.problem.message


@pytest.mark.parametrize("cut", [b',"data":', b"T19:"])
def test_a_record_split_across_two_lines_is_refused_at_its_line(shipped: Shipped, tmp_path: Path,
                                                               cut: bytes) -> None:
    # Line 3 holds event 2 and the head of event 3, line 4 the rest (cut between two fields, or inside the
    # `wall` text): with a comma for each newline the block is canonical JSON with a record for each line,
    # but line 3 is not one JSON object.
    lines = write_log(shipped.plan, str(tmp_path), ["one", "two"]).split(b"\n")[:-1]
    at = lines[3].index(cut)
    skip = cut.startswith(b",")  # a comma between fields becomes the newline
    lines[2], lines[3] = lines[2] + b"," + lines[3][:at], lines[3][at + skip:]
    path = tmp_path / "split.jsonl"
    path.write_bytes(b"\n".join(rechained(lines, 3)) + b"\n")
    read = read_log(str(path))
    same(read, line_by_line(str(path)))
    assert read.problem is not None and read.problem.line == 3
