"""Hostile CACAO input: every wrong-type field is a line naming its JSON path (exit 2), never a traceback.
TABLETOP_FUZZ_EXAMPLES=5000 runs the fuzz tests for longer."""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cacao import EXTENSION_ID, CacaoError
from engine.cacao.importer import from_playbook, parse_json
from engine.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from test_cacao_import import IF, NOTIFY, PARALLEL, SWITCH, TRIAGE, _playbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _set(path: list[Any], value: Any) -> Any:
    data = _playbook()
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return data


WRONG_TYPES = {
    "workflow_start a list": (["workflow_start"], [1], "$.workflow_start: step a list is not in $.workflow"),
    "workflow a list": (["workflow"], [], "$.workflow: expected an object of workflow steps"),
    "step a string": (["workflow", TRIAGE], "action", f'$.workflow["{TRIAGE}"]: expected an object, got text'),
    "type a number": (["workflow", TRIAGE, "type"], 7, "is not a CACAO 2.0 workflow step type"),
    "on_completion an object": (["workflow", TRIAGE, "on_completion"], {"a": 1}, "on_completion: no step an object"),
    "next_steps a string": (["workflow", PARALLEL, "next_steps"], "abc", "next_steps: expected a list of step ids"),
    "cases a list": (["workflow", SWITCH, "cases"], ["x"], "cases: expected an object of case -> step id"),
    "case target a number": (["workflow", SWITCH, "cases", "yes"], 5, "cases[0]: no step 5 in $.workflow"),
    "commands an object": (["workflow", NOTIFY, "commands"], {}, "commands: expected a list of commands"),
    "command text a list": (["workflow", NOTIFY, "commands", 0, "command"], ["x"],
                            "commands[0].command: expected text"),
    "agent a list": (["workflow", NOTIFY, "agent"], [], f'$.workflow["{NOTIFY}"].agent: expected text, got a list'),
    "name a number": (["name"], 12, "$.name: expected text, got a number"),
    "condition an object": (["workflow", IF, "condition"], {}, "condition: expected text, got an object"),
    "agent_definitions a list": (["agent_definitions"], [], "$.agent_definitions: expected an object"),
    "extensions a string": (["playbook_extensions"], "x", "$.playbook_extensions: expected an object"),
    "extension options not objects": (["workflow", TRIAGE, "step_extensions"], {EXTENSION_ID: {"options": [1]}},
                                      "options: expected a list of objects with a text option_id"),
    "extension needs a number": (["workflow", TRIAGE, "step_extensions"], {EXTENSION_ID: {"needs": 3}},
                                 "needs: expected a list of text"),
    "extension roles a string": (["playbook_extensions"], {EXTENSION_ID: {"roles": "x"}},
                                 "roles: expected a list of objects with a text role_id"),
}


@pytest.mark.parametrize("name", list(WRONG_TYPES))
def test_wrong_type_field_names_its_path(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, value, expected = WRONG_TYPES[name]
    source = tmp_path / "pb.json"
    source.write_text(json.dumps(_set(path, value)), encoding="utf-8")
    code = main(["cacao", "import", str(source), "-o", str(tmp_path / "out.yaml")])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 2, err
    assert expected in err
    assert all(line.startswith("tabletop: error: ") for line in err.splitlines())
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 100_000, "nests too deeply"),
    ('{"name": ' + "9" * 5000 + "}", "not usable JSON"),
    ('{"a": 1', "not JSON"),
])
def test_deep_or_huge_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str) -> None:
    source = tmp_path / "pb.json"
    source.write_text(text, encoding="utf-8")
    assert main(["cacao", "import", str(source)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_terminal_escapes_in_a_playbook_are_escaped_on_stderr(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    data["\x1b]52;c;cHduZWQ=\x07evil\x1b[2J"] = 1  # OSC 52 clipboard write, then clear screen
    source = tmp_path / "pb.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert main(["cacao", "import", str(source), "-o", "-"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b]52;c;cHduZWQ=\\x07evil\\x1b[2J" in err


def test_cacao_export_of_a_3600_digit_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runbook = tmp_path / "big.yaml"
    runbook.write_text(f"runbook: big\ntitle: Big\nversion: {'9' * 3600}\nsteps:\n  a:\n    title: A\n",
                       encoding="utf-8")
    code = main(["cacao", "export", str(runbook)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    # The findings that stop the export (one, here), then the one-line verdict (issue 27: exit 1 with findings).
    assert err.splitlines()[0].startswith(f"{runbook}:3:10: error: `version`")
    assert err.splitlines()[1].startswith("tabletop: error: ") and len(err.splitlines()) == 2


# ----- fuzz: random edits of a real playbook -----

_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=5),
                    st.lists(st.integers(), max_size=2),
                    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
TRIED = {"count": 0}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


BASE = _playbook()
PATHS = _paths(BASE)


@settings(max_examples=int(os.environ.get("TABLETOP_FUZZ_EXAMPLES", 400)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(PATHS), _VALUES, st.booleans()), min_size=1, max_size=4))
def test_fuzzed_playbooks_give_a_runbook_or_path_named_errors(edits: list[tuple[Any, Any, bool]]) -> None:
    data = copy.deepcopy(BASE)
    for path, value, delete in edits:
        holder: Any = data
        try:
            for key in path[:-1]:
                holder = holder[key]
            if delete and isinstance(holder, dict):
                holder.pop(path[-1], None)
            else:
                holder[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    TRIED["count"] += 1
    try:
        from_playbook(parse_json(json.dumps(data), "pb.json"), "pb.json")
    except CacaoError as exc:
        assert all(line.startswith("pb.json: ") for line in str(exc).split("\n"))


def _own_export() -> dict[str, Any]:
    from engine.cacao.export import to_playbook
    from engine.validate import validate

    model = validate([str(ROOT / "runbooks" / "inbound-mail-continuity.yaml")]).documents[0].model
    return json.loads(json.dumps(to_playbook(model, created="2026-01-01T00:00:00.000Z")))


OWN = _own_export()
OWN_PATHS = _paths(OWN)


@settings(max_examples=int(os.environ.get("TABLETOP_FUZZ_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(OWN_PATHS), _VALUES, st.booleans()), min_size=1, max_size=4))
def test_fuzzed_own_exports_with_the_extension(edits: list[tuple[Any, Any, bool]]) -> None:
    """The tabletop extension is read too, so hand-edited copies of tabletop's export are fuzzed as well."""
    data = copy.deepcopy(OWN)
    for path, value, delete in edits:
        holder: Any = data
        try:
            for key in path[:-1]:
                holder = holder[key]
            if delete and isinstance(holder, dict):
                holder.pop(path[-1], None)
            else:
                holder[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    TRIED["count"] += 1
    try:
        from_playbook(parse_json(json.dumps(data), "pb.json"), "pb.json")
    except CacaoError as exc:
        assert all(line.startswith("pb.json: ") for line in str(exc).split("\n"))


def _decision_step(data: dict[str, Any]) -> str:
    return next(sid for sid, step in data["workflow"].items()
                if (step.get("step_extensions") or {}).get(EXTENSION_ID, {}).get("options"))


EXT = f'$.playbook_extensions["{EXTENSION_ID}"]'
WRONG_IN_THE_EXTENSION = {
    # (where in the playbook's extension, value, the path the error names)
    "runbook controls true": (["controls"], True, f"{EXT}.controls: expected a list of text"),
    "runbook controls one text": (["controls"], "soc2:CC7.4", f"{EXT}.controls: expected a list of text"),
    "objective controls true": (["objectives", 1, "controls"], True,
                                f"{EXT}.objectives[1].controls: expected a list of text"),
    "objective controls a number in the list": (["objectives", 0, "controls"], ["soc2:CC7.2", 7],
                                                f"{EXT}.objectives[0].controls: expected a list of text"),
    "objective controls an object": (["objectives", 0, "controls"], {"soc2": "CC7.2"},
                                     f"{EXT}.objectives[0].controls: expected a list of text"),
    "objective description a list": (["objectives", 0, "description"], ["a"],
                                     f"{EXT}.objectives[0].description: expected text"),
}


@pytest.mark.parametrize("where, value, message", WRONG_IN_THE_EXTENSION.values(), ids=list(WRONG_IN_THE_EXTENSION))
def test_wrong_types_in_the_playbook_extension_are_named(where: list[Any], value: Any, message: str) -> None:
    """Found by the fuzz test in CI: `controls: true` on an objective raised TypeError in the importer."""
    data = copy.deepcopy(OWN)
    holder: Any = data["playbook_extensions"][EXTENSION_ID]
    for key in where[:-1]:
        holder = holder[key]
    holder[where[-1]] = value
    with pytest.raises(CacaoError) as caught:
        from_playbook(parse_json(json.dumps(data), "pb.json"), "pb.json")
    assert f"pb.json: {message}" in str(caught.value).split("\n")


@pytest.mark.parametrize("value", [5, True, ["a"], {"x": 1}])
def test_a_wrong_type_option_label_is_named(value: Any) -> None:
    data = copy.deepcopy(OWN)
    step = _decision_step(data)
    data["workflow"][step]["step_extensions"][EXTENSION_ID]["options"][0]["label"] = value
    with pytest.raises(CacaoError) as caught:
        from_playbook(parse_json(json.dumps(data), "pb.json"), "pb.json")
    assert any(line.endswith(".options[0].label: expected text") for line in str(caught.value).split("\n"))


def test_the_case_ci_found_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = copy.deepcopy(OWN)
    data["playbook_extensions"][EXTENSION_ID]["objectives"][1]["controls"] = True
    path = tmp_path / "pb.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code = main(["cacao", "import", str(path), "-o", str(tmp_path / "out.yaml")])
    assert code == 2
    assert "objectives[1].controls: expected a list of text" in capsys.readouterr().err
    assert not (tmp_path / "out.yaml").exists()
