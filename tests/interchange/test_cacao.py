"""CACAO v2.0: every shipped runbook's export validates against the OASIS schemas, and import gives it back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from engine.cacao.export import to_playbook
from engine.cacao.importer import from_playbook
from engine.cli import main
from engine.model import Runbook
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "external" / "cacao" / "schemas"  # ../shared/external/cacao from the project
RUNBOOKS = sorted((ROOT / "runbooks").glob("*.yaml"))
EXTENSION_KEYS = ("step_extensions", "playbook_extensions", "extension_definitions", "agent_target_extensions")

def need_shared(path: Path, what: str) -> None:
    """Skip when `what`, a file of ../shared/external, is not at `path`; fail instead where .ci/run found
    ../shared/external and set TABLETOP_REQUIRE_SHARED: there a skip would hide a break."""
    if path.is_file():
        return
    why = f"{what}: not found at {path.resolve()}"
    if os.environ.get("TABLETOP_REQUIRE_SHARED"):
        pytest.fail(f"TABLETOP_REQUIRE_SHARED is set but {why}")
    pytest.skip(why)



def _runbook(path: Path) -> Runbook:
    doc = validate([str(path)]).documents[0]
    assert doc.model is not None
    return doc.model


def _validators() -> list[Any]:
    """The playbook schema as written (draft-07), and read as 2020-12 so unevaluatedProperties bites too."""
    need_shared(SCHEMAS / "playbook.json", "the OASIS CACAO schemas (../shared/external/cacao/schemas)")
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT7, DRAFT202012

    out = []
    for cls, spec in ((jsonschema.Draft7Validator, DRAFT7), (jsonschema.Draft202012Validator, DRAFT202012)):
        resources = []
        for file in SCHEMAS.rglob("*.json"):
            contents = json.loads(file.read_text(encoding="utf-8"))
            resources.append((contents["$id"], spec.create_resource(contents)))
        main_schema = json.loads((SCHEMAS / "playbook.json").read_text(encoding="utf-8"))
        out.append(cls(main_schema, registry=Registry().with_resources(resources)))
    return out


def _schema_errors(playbook: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for v in _validators()
            for e in v.iter_errors(playbook)]


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_shipped_runbook_export_validates_against_the_oasis_schemas(path: Path) -> None:
    playbook = to_playbook(_runbook(path))
    assert _schema_errors(playbook) == []


def test_the_validators_do_catch_a_broken_playbook() -> None:
    playbook = to_playbook(_runbook(RUNBOOKS[0]))
    action = next(k for k in playbook["workflow"] if k.startswith("action--"))
    del playbook["workflow"][action]["commands"]
    playbook["workflow"]["action--not-a-uuid"] = {"type": "action"}
    errors = _schema_errors(playbook)
    assert any("'commands' is a required property" in e for e in errors)
    assert any("action--not-a-uuid" in e for e in errors)


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_export_shape(path: Path) -> None:
    runbook = _runbook(path)
    playbook = to_playbook(runbook)
    workflow = playbook["workflow"]
    assert playbook["type"] == "playbook" and playbook["spec_version"] == "cacao-2.0"
    assert playbook["id"].startswith("playbook--") and playbook["created_by"].startswith("identity--")
    assert workflow[playbook["workflow_start"]]["type"] == "start"
    actions = [s for s in workflow.values() if s["type"] == "action"]
    assert [a["name"] for a in actions] == [s.title for s in runbook.steps.values()]
    for action in actions:
        assert action["commands"][0]["type"] == "manual"
        assert action["agent"] in playbook["agent_definitions"]
    kinds = {a["type"] for a in playbook["agent_definitions"].values()}
    assert kinds <= {"individual", "group"}
    decisions = [s for s in runbook.steps.values() if s.decision]
    switches = [s for s in workflow.values() if s["type"] == "switch-condition"]
    assert sorted(tuple(s["cases"]) for s in switches) == sorted(tuple(d.decision.options) for d in decisions)
    events = {s.on for s in runbook.steps.values() if s.on}
    conditions = {s["condition"] for s in workflow.values() if s["type"] == "if-condition"}
    assert conditions == {f"[x-tabletop-event:id = '{e}']" for e in events}
    fallbacks = [s for s in runbook.steps.values() if s.fallback]
    assert len([a for a in actions if "on_failure" in a]) == len(fallbacks)
    # Every link points at a step of the workflow, and every step but the start is reached.
    linked = set()
    for step in workflow.values():
        for key in ("on_completion", "on_success", "on_failure", "on_true", "on_false"):
            if key in step:
                assert step[key] in workflow
                linked.add(step[key])
        linked.update(step.get("next_steps", []))
        linked.update(step.get("cases", {}).values())
    assert set(workflow) - linked == {playbook["workflow_start"]}


def test_inbound_mail_layout() -> None:
    """needs become stages: the join before confirm-recovery is the decision's switch completing."""
    playbook = to_playbook(_runbook(ROOT / "runbooks" / "inbound-mail-continuity.yaml"))
    workflow = playbook["workflow"]
    by_name = {s.get("name"): k for k, s in workflow.items()}
    decision = workflow[by_name["Decide whether to move inbound mail to the secondary MX relay"]]
    switch = workflow[decision["on_completion"]]
    assert switch["type"] == "switch-condition"
    assert decision["out_args"] == ["__failover_decision__"]
    assert switch["switch"] == "__failover_decision__:value"
    assert "__failover_decision__" in playbook["playbook_variables"]
    assert workflow[switch["on_completion"]]["name"] == "Confirm inbound mail is flowing normally again"
    fail_over = workflow[switch["cases"]["fail-over"]]
    assert fail_over["name"] == "Re-point inbound mail at the secondary MX relay"
    assert workflow[fail_over["on_completion"]]["name"] == "Prove the relay is receiving and holding the mail"
    first = workflow[workflow[playbook["workflow_start"]]["on_completion"]]
    assert first["type"] == "parallel" and len(first["next_steps"]) == 3  # main flow and two event branches


def test_fallback_is_on_failure() -> None:
    playbook = to_playbook(_runbook(ROOT / "runbooks" / "admin-console-loss.yaml"))
    workflow = playbook["workflow"]
    by_name = {s.get("name"): k for k, s in workflow.items()}
    step = workflow[by_name["Read the incident on the service-health dashboard"]]
    assert workflow[step["on_failure"]]["name"] == "Get the provider's status from sources outside the tenant"
    assert workflow[step["on_failure"]]["on_completion"] == step["on_success"]
    assert "on_completion" not in step


def test_export_is_deterministic_and_ids_follow_the_runbook() -> None:
    runbook = _runbook(RUNBOOKS[0])
    assert json.dumps(to_playbook(runbook)) == json.dumps(to_playbook(runbook))
    other = _runbook(RUNBOOKS[1])
    assert to_playbook(runbook)["id"] != to_playbook(other)["id"]
    ids = [k.split("--")[1] for k in to_playbook(runbook)["workflow"]]
    assert all(i[14] == "4" for i in ids)  # steps use the UUIDv4 layout, as the spec asks


def test_export_command_created_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pb.json"
    assert main(["cacao", "export", str(RUNBOOKS[0]), "-o", str(out), "--created", "2026-02-01T10:00:00Z"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["created"] == data["modified"] == "2026-02-01T10:00:00.000Z"
    assert main(["cacao", "export", str(RUNBOOKS[0]), "--created", "yesterday"]) == 2
    assert "--created" in capsys.readouterr().err


# ----- round trips -----


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_round_trip_is_exact(tmp_path: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    playbook = tmp_path / "pb.json"
    back = tmp_path / "back.yaml"
    assert main(["cacao", "export", str(path), "-o", str(playbook)]) == 0
    assert main(["cacao", "import", str(playbook), "-o", str(back)]) == 0
    assert "warning" not in capsys.readouterr().err
    original, imported = _runbook(path), _runbook(back)
    assert imported == original
    assert list(imported.steps) == list(original.steps)
    assert validate([str(back)]).findings == []


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in EXTENSION_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_round_trip_from_the_workflow_alone(path: Path, tmp_path: Path) -> None:
    """Without the tabletop extension: the same steps, checklists, decisions, fallbacks and event branches;
    needs are the stages' (each step waits at least for what it needed, perhaps more)."""
    original = _runbook(path)
    imported = from_playbook(_strip(to_playbook(original)), "pb.json").data
    by_title = {s["title"]: sid for sid, s in imported["steps"].items()}
    name = {by_title[s.title]: sid for sid, s in original.steps.items()}  # imported id -> original id
    assert sorted(name.values()) == sorted(original.steps)
    # A branch step is opened by its decision, so it comes after the decision too.
    waits = {sid: [name[n] for n in s.get("needs", [])] for sid, s in imported["steps"].items()}
    for sid, step in imported["steps"].items():
        for option in step.get("decision", {}).get("options", {}).values():
            for member in option.get("next", []):
                waits[member].append(name[sid])
    closure = _closure(waits, name)
    for new_id, step in imported["steps"].items():
        old = original.steps[name[new_id]]
        assert step.get("do", []) == old.do
        assert step.get("on") == old.on
        assert (name[step["fallback"]] if "fallback" in step else None) == old.fallback
        if old.decision:
            options = {o: [name[n] for n in v.get("next", [])] for o, v in step["decision"]["options"].items()}
            assert options == {o: list(v.next) for o, v in old.decision.options.items()}
        if not any(old.fallback == name[new_id] for old in original.steps.values()):
            assert set(old.needs) <= closure[name[new_id]], name[new_id]  # fallbacks lose their needs
    out = tmp_path / "runbook.yaml"
    from engine.scaffold import file_text

    out.write_text(file_text("runbook", tmp_path, imported), encoding="utf-8")
    assert [f.rule for f in validate([str(out)]).findings] == []


def _closure(needs: dict[str, list[str]], name: dict[str, str]) -> dict[str, set[str]]:
    """Every step each step transitively waits for, keyed and valued by original ids."""
    direct = {name[k]: set(v) for k, v in needs.items()}
    out: dict[str, set[str]] = {}

    def reach(sid: str) -> set[str]:
        if sid not in out:
            out[sid] = set()
            for n in direct[sid]:
                out[sid] |= {n} | reach(n)
        return out[sid]

    for sid in direct:
        reach(sid)
    return out
