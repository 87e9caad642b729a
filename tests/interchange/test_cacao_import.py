"""Importing CACAO playbooks from elsewhere, and refusing broken ones with the JSON path named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.cli import main
from engine.validate import validate

U = "-0000-4000-8000-{:012d}"


def _id(kind: str, n: int) -> str:
    return f"{kind}--{n:08d}{U.format(n)}"


START, END = _id("start", 1), _id("end", 2)
TRIAGE, CONTAIN, NOTIFY, SCAN, DECIDE, WIPE, KEEP = (_id("action", n) for n in range(10, 17))
PARALLEL, SWITCH, LOOP, CALL, IF = _id("parallel", 20), _id("switch-condition", 21), _id("while-condition", 22), \
    _id("playbook-action", 23), _id("if-condition", 24)
ANALYST, TEAM = _id("individual", 30), _id("group", 31)


def _playbook() -> dict[str, Any]:
    """A phishing-response playbook as another tool might write it: manual and automated steps,
    a parallel join, a switch, an if, a loop and a call to another playbook."""
    def manual(text: str) -> list[dict[str, str]]:
        return [{"type": "manual", "command": text}]

    return {
        "type": "playbook", "spec_version": "cacao-2.0", "id": _id("playbook", 3), "name": "Phishing response",
        "description": "Respond to a reported phishing mail", "created_by": _id("identity", 4),
        "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z",
        "playbook_types": ["investigation"], "markings": [_id("marking-tlp", 5)],
        "workflow_start": START,
        "workflow": {
            START: {"type": "start", "on_completion": TRIAGE},
            TRIAGE: {"type": "action", "name": "Triage the report", "agent": ANALYST,
                     "commands": manual("Read the headers\nCheck the sender domain"), "on_completion": PARALLEL},
            PARALLEL: {"type": "parallel", "next_steps": [CONTAIN, NOTIFY], "on_completion": LOOP},
            CONTAIN: {"type": "action", "name": "Block the sender", "agent": TEAM, "targets": [_id("net-address", 6)],
                      "commands": [*manual("Block the domain at the gateway"),
                                   {"type": "bash", "command": "block-domain example.invalid"}],
                      "on_success": _id("end", 40), "on_failure": SCAN},
            SCAN: {"type": "action", "name": "Block it at the proxy instead", "agent": TEAM,
                   "commands": manual("Add the domain to the proxy deny list"), "on_completion": _id("end", 40)},
            NOTIFY: {"type": "action", "name": "Warn staff", "agent": ANALYST,
                     "commands": manual("Post a warning on the intranet"), "on_completion": _id("end", 41)},
            _id("end", 40): {"type": "end"}, _id("end", 41): {"type": "end"},
            LOOP: {"type": "while-condition", "condition": "[x:y = 1]", "on_true": CALL, "on_completion": DECIDE},
            CALL: {"type": "playbook-action", "playbook_id": _id("playbook", 7), "on_completion": _id("end", 42)},
            _id("end", 42): {"type": "end"},
            DECIDE: {"type": "action", "name": "Did anyone click?", "agent": ANALYST,
                     "commands": manual("Check the proxy log for the link"), "on_completion": SWITCH},
            SWITCH: {"type": "switch-condition", "name": "Did anyone click the link?", "switch": "__clicked__:value",
                     "cases": {"yes": WIPE, "no": KEEP}, "on_completion": IF},
            WIPE: {"type": "action", "name": "Reset the passwords of those who clicked", "agent": TEAM,
                   "commands": manual("Reset passwords and revoke sessions"), "on_completion": _id("end", 43)},
            KEEP: {"type": "action", "name": "Close with a note", "agent": ANALYST,
                   "commands": manual("Record that nobody clicked"), "on_completion": _id("end", 44)},
            _id("end", 43): {"type": "end"}, _id("end", 44): {"type": "end"},
            IF: {"type": "if-condition", "condition": "[x-tabletop-event:id = 'press-call']",
                 "on_true": _id("action", 17), "on_completion": END},
            _id("action", 17): {"type": "action", "name": "Answer the press", "agent": ANALYST,
                                "commands": manual("Use the holding line"), "on_completion": _id("end", 45)},
            _id("end", 45): {"type": "end"},
            END: {"type": "end"},
        },
        "agent_definitions": {ANALYST: {"type": "individual", "name": "SOC analyst"},
                              TEAM: {"type": "group", "name": "Mail team", "description": "Owns the gateway"}},
    }


def _import(tmp_path: Path, data: Any, raw: str | None = None) -> tuple[int, str, Path]:
    source = tmp_path / "pb.json"
    source.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    out = tmp_path / "runbook.yaml"
    code = main(["cacao", "import", str(source), "-o", str(out)])
    return code, "", out


def test_third_party_playbook_imports_and_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, out = _import(tmp_path, _playbook())
    err = capsys.readouterr().err
    assert code == 0, err
    runbook = validate([str(out)]).documents[0].model
    steps = runbook.steps
    assert list(steps) == ["triage-the-report", "block-the-sender", "block-it-at-the-proxy", "warn-staff",
                           "did-anyone-click", "reset-the-passwords-of-those", "close-with-a-note", "answer-the-press"]
    assert steps["triage-the-report"].do == ["Read the headers", "Check the sender domain"]
    assert steps["block-the-sender"].needs == ["triage-the-report"]
    assert steps["warn-staff"].needs == ["triage-the-report"]
    assert steps["did-anyone-click"].needs == ["block-the-sender", "warn-staff"]  # the parallel's join
    assert steps["block-the-sender"].fallback == "block-it-at-the-proxy"
    assert steps["block-the-sender"].requires == ["block-the-sender-dependency"]  # a stand-in to rename
    decision = steps["did-anyone-click"].decision
    assert decision is not None and decision.question == "Did anyone click the link?"
    assert {o: opt.next for o, opt in decision.options.items()} == {"yes": ["reset-the-passwords-of-those"],
                                                                     "no": ["close-with-a-note"]}
    assert steps["answer-the-press"].on == "press-call"
    assert runbook.roles == {"soc-analyst": "SOC analyst", "mail-team": "Owns the gateway"}
    assert steps["block-the-sender"].owner == "mail-team"
    for expected in ("$.markings: not carried over",
                     'commands[1]: a bash command is not carried over (only manual commands are)',
                     "a while-condition step (a loop) has no tabletop meaning; the loop is not carried over",
                     "a playbook-action step (calls another playbook) has no tabletop meaning",
                     "$.workflow[*].targets: not carried over (1 step)",
                     "stand-in service `block-the-sender-dependency`"):
        assert expected in err, expected
    assert all(line.startswith("tabletop: warning: ") for line in err.splitlines() if "warning" in line)
    assert validate([str(out)]).findings == []


def test_if_condition_that_is_not_an_event_becomes_a_decision(tmp_path: Path) -> None:
    from engine.cacao.importer import from_playbook

    data = _playbook()
    data["workflow"][IF]["condition"] = "[ipv4-addr:value = '10.0.0.1']"
    data["workflow"][IF]["on_false"] = _id("end", 46)
    data["workflow"][_id("end", 46)] = {"type": "end"}
    steps = from_playbook(data, "pb.json").data["steps"]
    # Two branches end before it, so the decision gets a step of its own that waits for both.
    decide = steps["decide"]
    assert decide["needs"] == ["reset-the-passwords-of-those", "close-with-a-note"]
    assert decide["decision"]["question"] == "[ipv4-addr:value = '10.0.0.1']"
    assert decide["decision"]["options"] == {"yes": {"next": ["answer-the-press"]}, "no": {}}


def _fails(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any, raw: str | None = None) -> str:
    code, _, out = _import(tmp_path, data, raw)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("tabletop: error:")]
    assert code == 2 and len(errors) == 1, err
    assert not out.exists()
    return errors[0]


def test_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error = _fails(tmp_path, capsys, None, raw='{"type": "playbook",\n  "name": }')
    assert "not JSON: Expecting value at line 2, column 11" in error


def test_not_an_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "$: expected a JSON object (a CACAO playbook)" in _fails(tmp_path, capsys, [1, 2])


@pytest.mark.parametrize("field", ["id", "workflow_start", "created_by", "workflow"])
def test_missing_required_field_names_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str) -> None:
    data = _playbook()
    del data[field]
    assert f"$.{field}: missing required field" in _fails(tmp_path, capsys, data)


def test_missing_step_field_names_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    del data["workflow"][PARALLEL]["next_steps"]
    assert f'$.workflow["{PARALLEL}"].next_steps: missing required field' in _fails(tmp_path, capsys, data)


def test_action_without_commands_or_agent_is_a_step_with_a_warning(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Process playbooks drawn from BPMN have action steps with no commands; CACAO requires both."""
    data = _playbook()
    del data["workflow"][NOTIFY]["commands"]
    del data["workflow"][NOTIFY]["agent"]
    code, _, out = _import(tmp_path, data)
    err = capsys.readouterr().err
    assert code == 0, err
    assert f'$.workflow["{NOTIFY}"].commands: no commands (a process step); imported with an empty checklist' in err
    assert "$.workflow[*].agent: missing on 1 action step (required by CACAO); those steps have no owner" in err
    step = validate([str(out)]).documents[0].model.steps["warn-staff"]
    assert step.do == [] and step.owner is None


def test_if_condition_without_on_false_continues_the_flow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    data["workflow"][IF]["condition"] = "[ipv4-addr:value = '10.0.0.1']"  # not an event: a decision
    code, _, out = _import(tmp_path, data)
    err = capsys.readouterr().err
    assert code == 0, err
    assert f'$.workflow["{IF}"].on_false: not given: the decision\'s option `no` opens nothing' in err
    decide = validate([str(out)]).documents[0].model.steps["decide"]
    assert list(decide.decision.options) == ["yes", "no"]
    assert decide.decision.options["no"].next == []


def test_every_dropped_property_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    data.update(playbook_variables={"__x__": {"type": "string"}}, priority=0, severity=80, impact=50)
    data["workflow"][TRIAGE]["delay"] = 100
    code, _, _ = _import(tmp_path, data)
    err = capsys.readouterr().err
    assert code == 0, err
    for key in ("playbook_variables", "priority", "severity", "impact"):
        assert [line for line in err.splitlines() if f": $.{key}: not carried over" in line], key
    assert "$.workflow[*].delay: not carried over (1 step)" in err


def test_every_schema_problem_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    del data["created_by"]
    data["workflow"][TRIAGE]["on_completion"] = _id("action", 99)
    data["workflow"][NOTIFY]["type"] = "goto"
    code, _, out = _import(tmp_path, data)
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("tabletop: error:")]
    assert code == 2 and not out.exists()
    assert len(errors) == 3, errors
    assert "$.created_by: missing required field" in errors[0]


def test_dangling_link_names_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    data["workflow"][TRIAGE]["on_completion"] = _id("action", 99)
    assert f'$.workflow["{TRIAGE}"].on_completion: no step' in _fails(tmp_path, capsys, data)


def test_unknown_step_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    data["workflow"][NOTIFY]["type"] = "goto"
    assert f'$.workflow["{NOTIFY}"].type: "goto" is not a CACAO 2.0 workflow step type' in _fails(
        tmp_path, capsys, data)


def test_other_spec_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    data["spec_version"] = "cacao-1.0"
    assert '$.spec_version: "cacao-1.0" is not supported' in _fails(tmp_path, capsys, data)


def test_bad_base64_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _playbook()
    data["workflow"][NOTIFY]["commands"] = [{"type": "manual", "command_b64": "not base64!"}]
    assert f'$.workflow["{NOTIFY}"].commands[0].command_b64: not valid base64' in _fails(tmp_path, capsys, data)


def test_base64_command_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import base64

    data = _playbook()
    text = base64.b64encode(b"Warn staff\n- Post a warning\n- Phone the front desk").decode()
    data["workflow"][NOTIFY]["commands"] = [{"type": "manual", "command_b64": text}]
    code, _, out = _import(tmp_path, data)
    assert code == 0, capsys.readouterr().err
    assert validate([str(out)]).documents[0].model.steps["warn-staff"].do == ["Post a warning", "Phone the front desk"]


def test_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "runbook.yaml"
    out.write_text("mine", encoding="utf-8")
    code, _, _ = _import(tmp_path, _playbook())
    assert code == 2 and "exists already" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine"
