"""The generic codec writes what the hand-written one wrote, byte for byte, and refuses what it refused.

- Every log kept under tests/ and every log `tabletop play` writes on the
  shipped scenarios decodes and encodes back to the very same bytes.
- On thousands of variations of one valid `data` per event type (each key
  missing, or set to one of many wrong or odd values, or two keys missing),
  the answer (the encoded bytes, or the DecodeError's message and field) is
  the one recorded from the hand-written codecs before they were replaced
  (tests/drill/data/codec_answers.json: each distinct answer once, then the
  answer of each case by number; an encoded answer is kept as a short
  hash). A rating that was a list or a mapping used to crash with a
  TypeError; it is now a DecodeError like any other wrong rating.
- Payloads drawn by hypothesis encode, decode to an equal payload, and encode
  to the same bytes again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import feedback
from engine.bounds import MAX_CLOCK_SECONDS, MAX_POLL_ID, MAX_POLL_OPTIONS, MAX_SEAT_ID, MAX_SEAT_NAME
from engine.drill import events as ev
from engine.drill.event_types.polls import POLL_ID
from engine.drill.event_types.seats import SEAT_ID

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = Path(__file__).parent / "data" / "codec_answers.json"

BASE: dict[str, dict[str, Any]] = {
    "drill.started": {"version": 1, "tool": "tabletop 1", "mode": "live",
                      "scenario": {"id": "s", "path": "s.yaml", "sha256": "ab"},
                      "runbooks": [{"id": "r", "path": "r.yaml", "sha256": "cd"}], "facilitator": "F",
                      "participants": {"lead": "A"}},
    "drill.ended": {"reason": "done"},
    "inject.fired": {"inject": "i1", "manual": True, "event": "e", "services": {"mail": "down"}, "due": 30},
    "service.changed": {"service": "mail", "to": "up"},
    "step.started": {"step": "r/s"},
    "step.done": {"step": "r/s"},
    "step.skipped": {"step": "r/s", "reason": "why"},
    "check.ticked": {"step": "r/s", "item": 1, "checked": False},
    "decision.made": {"step": "r/d", "option": "a", "rationale": "r", "by": "b"},
    "note": {"kind": "improvement", "text": "t", "step": "r/s", "by": "b", "objective": "r/o", "action": "a",
             "element": "training", "owner": "o", "due": "2026-02-01"},
    "clock.paused": {"reason": "resume"},
    "clock.resumed": {},
    "clock.jumped": {"to": 60},
    "hotwash.answer": {"question": "q", "answer": "a"},
    "rating": {"objective": "r/o", "rating": "S", "comment": "c"},
    "decision.revised": {"step": "r/d", "option": "b", "reason": "why", "by": "x"},
    "inject.withdrawn": {"inject": "i1", "reason": "why", "by": "x"},
    "step.reopened": {"step": "r/s", "reason": "why", "by": "x"},
    "note.amended": {"note": 3, "text": "new", "by": "x"},
    "note.withdrawn": {"note": 3, "reason": "why", "by": "x"},
    "discussion.summary": {"module": "m1", "question": "q1", "text": "gist", "by": "x"},
    "feedback.opened": {"by": "x"},
    "feedback.closed": {"by": "x"},
    "feedback.submitted": {"respondent": "r1", "name": "n", "role": "ro", "organisation": "o",
                           "ratings": {"s1": 4}, "answers": {"q1": "ans"}},
    "discussion.amended": {"summary": 4, "text": "new", "by": "x"},
    "discussion.withdrawn": {"summary": 4, "reason": "why", "by": "x"},
    "inject.adhoc": {"inject": "adhoc-1", "text": "say", "to": ["lead"], "services": {"mail": "degraded"},
                     "event": "e", "by": "x"},
    "clock.gap": {"since": "2026-01-22T19:52:10.000Z", "away": 120.5, "counted": True},
}
MISSING = object()
VALUES: list[Any] = [
    MISSING, None, "", " ", "x", "up", "bad", "observation", "P", "training", 0, 1, -1, 2.5, 1e12, True, False,
    [], ["a"], [""], [1], {}, {"mail": "up"}, {"mail": "bad"}, {"s1": 3}, {"s1": 9}, {"s1": True}, {"q1": "text"},
    {"q1": " "}, {"q1": "x" * 2001}, "y" * 121, {"id": "a", "path": "p", "sha256": "h"}, {"id": "a"},
    [{"id": "a", "path": "p", "sha256": "h"}], [{"id": 1}], {"lead": 1}, float("nan")]


def variations() -> Iterator[tuple[str, dict[str, Any]]]:
    """One valid data per type, then each key missing or replaced by each of VALUES, then two keys missing."""
    for wire, base in BASE.items():
        yield wire, base
        keys = [*base, "extra"]
        for key in keys:
            for value in VALUES:
                data = dict(base)
                if value is MISSING:
                    data.pop(key, None)
                else:
                    data[key] = value
                yield wire, data
        for i, first in enumerate(keys):
            for second in keys[i + 1:]:
                yield wire, {k: v for k, v in base.items() if k not in (first, second)}


def answer(wire: str, data: dict[str, Any]) -> list[Any]:
    """["ok", hash of the encoded bytes] or ["err", message, field] (or ["crash", exception] as recorded)."""
    try:
        payload = ev.decode(wire, data)
    except ev.DecodeError as exc:
        return ["err", str(exc), exc.field]
    except Exception as exc:  # noqa: BLE001  (only the old codec ever did; recorded to show it is gone)
        return ["crash", type(exc).__name__]
    encoded = json.dumps(payload.encode(), ensure_ascii=False)
    return ["ok", hashlib.sha256(encoded.encode()).hexdigest()[:16]]


def test_every_recorded_type_is_still_registered() -> None:
    assert set(BASE) <= set(ev.REGISTRY)  # a type added later has no recorded answers; the round trip covers it


def test_answers_are_the_hand_written_codecs() -> None:
    table = json.loads(ANSWERS.read_text(encoding="utf-8"))
    recorded = [table["answers"][i] for i in table["cases"]]
    cases = list(variations())
    assert len(cases) == len(recorded)
    differ = []
    for (wire, data), was in zip(cases, recorded, strict=True):
        now = answer(wire, data)
        if was[0] == "crash":  # a rating that was a list or a mapping: now refused like any wrong rating
            assert now[0] == "err" and now[1].startswith("a rating is P, S, M or U"), (wire, data, now)
        elif now != was:
            differ.append((wire, data, was, now))
    assert differ == []


def logs() -> list[Path]:
    return sorted(p for p in (ROOT / "tests").rglob("*.jsonl"))


def assert_same_bytes(path: Path) -> int:
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:  # the torn last line of a log cut short by a crash
            continue
        payload = ev.decode(record["type"], record["data"])
        assert json.dumps(payload.encode(), ensure_ascii=False) == json.dumps(record["data"], ensure_ascii=False)
        assert ev.Event.of(record["seq"], record["wall"], record["t"], payload).data == record["data"]
        count += 1
    return count


@pytest.mark.parametrize("path", logs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_logs_under_tests_encode_back_to_their_bytes(path: Path) -> None:
    assert assert_same_bytes(path) > 0


def test_logs_play_writes_encode_back_to_their_bytes(tmp_path: Path) -> None:
    runs = [[str(s)] for s in sorted((ROOT / "scenarios").glob("*.yaml"))]
    runs.append([str(ROOT / "scenarios" / "m365-na-outage-2026-01-22.yaml"),
                 "--team", str(ROOT / "teams" / "m365-na-outage.team.yaml")])
    for number, args in enumerate(runs):
        log = tmp_path / f"play-{number}.jsonl"
        subprocess.run([sys.executable, "-m", "engine", "play", *args, "--log", str(log)], cwd=ROOT,
                       capture_output=True, text=True, check=True)
        assert assert_same_bytes(log) > 10


# ----- drawn payloads -----

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
FILLED = TEXT.filter(lambda s: bool(s.strip()))
LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=12).filter(
    lambda s: bool(s.strip()))  # a poll's option, answer or a proposal: one line of text
SECONDS = st.one_of(st.integers(0, MAX_CLOCK_SECONDS), st.floats(0, MAX_CLOCK_SECONDS))
HEALTH = st.dictionaries(TEXT, st.sampled_from(ev.HEALTH), max_size=3)
FILE = st.builds(ev.LoggedFile, TEXT, TEXT, TEXT)
FORK = st.builds(ev.ForkOf, TEXT, TEXT, TEXT)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    # by field name, then by "wire name.field" where one name means two things
    "step": TEXT, "option": TEXT, "inject": TEXT, "service": TEXT, "objective": TEXT, "question": TEXT,
    "module": TEXT, "answer": TEXT, "since": TEXT, "by": TEXT, "rationale": TEXT, "comment": TEXT,
    "reason": FILLED, "text": FILLED, "kind": st.sampled_from(ev.NOTE_KINDS), "rating": st.sampled_from(
        sorted(ev.RATINGS)), "item": st.integers(0, 50), "checked": st.booleans(), "manual": st.booleans(),
    "fell_to_default": st.booleans(),
    "counted": st.booleans(), "note": st.integers(0, 10**6), "summary": st.integers(0, 10**6),
    "services": HEALTH, "away": st.floats(0, MAX_CLOCK_SECONDS), "due": st.none() | st.floats(0, 10**6),
    "event": st.none() | FILLED, "version": st.none() | st.integers(0, 5), "tool": st.none() | TEXT,
    "mode": st.none() | TEXT, "facilitator": st.none() | TEXT, "scenario": st.none() | FILE,
    "runbooks": st.lists(FILE, max_size=3).map(tuple), "participants": st.dictionaries(TEXT, TEXT, max_size=3),
    "fork": st.none() | FORK,
    "respondent": st.text(max_size=feedback.MAX_ABOUT), "name": st.text(max_size=feedback.MAX_ABOUT),
    "role": st.text(max_size=feedback.MAX_ABOUT), "organisation": st.text(max_size=feedback.MAX_ABOUT),
    "ratings": st.dictionaries(TEXT, st.sampled_from(feedback.SCALE), min_size=1, max_size=3),
    "answers": st.dictionaries(TEXT, FILLED, max_size=3), "element": st.none() | st.sampled_from(
        ev.CAPABILITY_ELEMENTS), "action": st.none() | TEXT, "owner": st.none() | TEXT,
    "drill.ended.reason": st.none() | TEXT, "clock.paused.reason": st.none() | TEXT,
    "note.step": st.none() | TEXT, "note.by": st.none() | TEXT, "note.objective": st.none() | TEXT,
    "note.due": st.none() | TEXT, "service.changed.to": st.sampled_from(ev.HEALTH), "clock.jumped.to": SECONDS,
    "inject.adhoc.to": st.lists(FILLED, max_size=3).map(tuple), "inject.adhoc.inject": FILLED,
    "inject.adhoc.expect": TEXT, "inject.adhoc.objectives": st.lists(FILLED, max_size=3).map(tuple),
    "decision.amended.rationale": FILLED, "decided_by": FILLED,
    "seat": st.from_regex(SEAT_ID, fullmatch=True).filter(lambda s: len(s) <= MAX_SEAT_ID),
    "seat.joined.name": st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
                                min_size=1, max_size=MAX_SEAT_NAME).filter(lambda s: bool(s.strip())),
    "seat.joined.role": FILLED,
    "poll": st.from_regex(POLL_ID, fullmatch=True).filter(lambda s: len(s) <= MAX_POLL_ID),
    "poll.answered.answer": LINE, "tally": st.dictionaries(LINE, st.integers(0, 500), max_size=4),
    "answered": st.integers(0, 500), "proposal": st.integers(0, 10**6), "decision.made.poll": st.none() | FILLED,
}
ONE_OF = {  # types whose fields go together (Payload.whole): drawn whole
    "poll.opened": st.builds(ev.PollOpened, FIELDS["poll"], LINE, st.just(()) | st.lists(
        LINE, min_size=2, max_size=MAX_POLL_OPTIONS, unique=True).map(tuple), st.none() | FILLED, by=TEXT) | st.builds(
        ev.PollOpened, FIELDS["poll"], LINE, st.just(()), st.none(), FILLED, FILLED, TEXT),
    "proposal.made": st.builds(ev.ProposalMade, FIELDS["seat"], FILLED, FILLED, st.none(), st.none(), LINE) | st.builds(
        ev.ProposalMade, FIELDS["seat"], st.none(), st.none(), FILLED, FILLED, LINE),
}


def payloads(cls: type[ev.Payload]) -> st.SearchStrategy[ev.Payload]:
    if cls.WIRE in ONE_OF:
        return ONE_OF[cls.WIRE]
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return st.builds(cls, **{n: FIELDS.get(f"{cls.WIRE}.{n}", FIELDS.get(n)) for n in names})


@settings(max_examples=300, deadline=None)
@given(st.one_of([payloads(cls) for cls in ev.REGISTRY.values()]))
def test_drawn_payloads_round_trip(payload: ev.Payload) -> None:
    data = json.loads(json.dumps(payload.encode(), ensure_ascii=False))  # as a log line gives it back
    again = ev.decode(payload.WIRE, data)
    assert again == payload
    assert json.dumps(again.encode(), ensure_ascii=False) == json.dumps(data, ensure_ascii=False)
