"""Any field of any source replaced by a value of another type is an IncidentError, never a traceback."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.incident import IncidentError
from engine.incident.sources import Options, load

sys.path.insert(0, str(Path(__file__).parent))
from incident_records import ROOT, graph_issue, statuspage, statuspage_update  # noqa: E402

_OTHERS: list[Any] = [None, 7, -1.5, True, "x", "", [], {}, [1], {"a": None}]


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*here, key))
    elif isinstance(value, list):
        for i, child in enumerate(value[:3]):
            yield from _paths(child, (*here, i))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    out = copy.deepcopy(value)
    if not path:
        return new
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return out


def _pagerduty() -> dict[str, Any]:
    person = {"id": "P1", "type": "user_reference", "summary": "Earline Greenholt"}
    return {"log_entries": [
        {"type": "trigger_log_entry", "summary": "Triggered", "created_at": "2026-01-22T19:33:00Z", "agent": person,
         "service": {"type": "service_reference", "summary": "Relay"}, "incident": {"id": "PT", "summary": "x"},
         "assignees": [person]},
        {"type": "annotate_log_entry", "summary": "Note", "created_at": "2026-01-22T19:40:00Z", "agent": person,
         "channel": {"type": "note", "summary": "draining"}}]}


def _slack_day() -> list[dict[str, Any]]:
    return [{"type": "message", "user": "U1", "ts": "1769110380.000200", "text": "hi <@U2>",
             "user_profile": {"real_name": "Dana Okafor"}, "attachments": [{"text": "a"}]},
            {"type": "message", "subtype": "bot_message", "username": "bot", "ts": "1769110400.0", "text": ""}]


SAMPLES = {
    "statuspage": statuspage([statuspage_update("investigating", "x", "2026-03-10T09:02:00Z",
                                                [("Mail", "operational", "major_outage")])]),
    "graph": graph_issue([("2026-01-22T19:33:00Z", "<p>a</p>"), ("2026-01-22T20:33:00Z", "<p>b</p>")]),
    "pagerduty": _pagerduty(),
    "slack": _slack_day(),
    "example-graph": json.loads((ROOT / "docs" / "examples" / "MO1221364.graph.json").read_text()),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_field_of_the_wrong_type_is_a_clear_error(name: str, tmp_path: Path) -> None:
    sample = SAMPLES[name]
    source = {"example-graph": "graph"}.get(name, name)
    path = tmp_path / "record.json"
    for where in _paths(sample):
        for new in _OTHERS:
            path.write_text(json.dumps(_replaced(sample, where, new)), encoding="utf-8")
            for given in (source, None):
                try:
                    load(path, Options(source=given))
                except IncidentError as exc:
                    assert "\n" not in str(exc), (where, new)
