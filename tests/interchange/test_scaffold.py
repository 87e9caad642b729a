"""`tabletop new` writes starting files that validate clean; the YAML writer keeps text exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cli import main
from engine.load import read_document
from engine.scaffold import dump_yaml, kebab
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("runbooks", "scenarios"):
        (tmp_path / folder).mkdir()
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_runbook_and_scenario_validate_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "runbook", "VPN Outage!"]) == 0
    assert main(["new", "scenario", "VPN outage, Monday", "--runbook", "vpn-outage"]) == 0
    runbook, scenario = project / "runbooks" / "vpn-outage.yaml", project / "scenarios" / "vpn-outage-monday.yaml"
    for path, kind in ((runbook, "runbook"), (scenario, "scenario")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    result = validate([str(runbook), str(scenario)])
    assert [f"{f.rule}: {f.message}" for f in result.findings] == []
    model = result.documents[1].model
    assert model.scenario == "vpn-outage-monday" and model.runbooks == ["vpn-outage"]
    assert any(i.after for i in model.injects) and any(i.event for i in model.injects)
    assert [m.id for m in model.modules] == ["first-hour", "recovery"] and model.exercise is not None
    assert {i for m in model.modules for i in m.injects} == {i.id for i in model.injects}
    assert "wrote runbooks/vpn-outage.yaml" in capsys.readouterr().out
    assert result.documents[0].model.title == "VPN Outage!"  # the name as typed is the title
    assert model.title == "VPN outage, Monday"


def test_new_scenario_for_the_shipped_runbooks_validates_clean(project: Path) -> None:
    for path in (ROOT / "runbooks").glob("*.yaml"):
        shutil.copy(path, project / "runbooks")
    assert main(["new", "scenario", "mail drill", "--runbook", "inbound-mail-continuity",
                 "--runbook", "admin-console-loss"]) == 0
    files = [str(p) for p in sorted((project / "runbooks").glob("*.yaml"))] + [str(project / "scenarios" /
                                                                                 "mail-drill.yaml")]
    assert [f.message for f in validate(files).findings] == []


def test_new_refuses_to_overwrite(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "runbook", "dns"]) == 0
    path = project / "runbooks" / "dns.yaml"
    path.write_text("mine", encoding="utf-8")
    assert main(["new", "runbook", "DNS"]) == 2
    assert "exists already; not overwriting it" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "mine"


def test_new_usage_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "scenario", "x"]) == 2
    assert "at least one --runbook" in capsys.readouterr().err
    assert main(["new", "runbook", "!!!"]) == 2
    assert "no letters or digits" in capsys.readouterr().err
    assert main(["new", "runbook", "x", "-o", "nowhere"]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err


def test_new_into_another_folder_finds_the_schemas(project: Path) -> None:
    (project / "drills" / "q1").mkdir(parents=True)
    assert main(["new", "runbook", "q1 drill", "-o", "drills/q1"]) == 0
    first = (project / "drills" / "q1" / "q1-drill.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/runbook.schema.json"


@pytest.mark.parametrize(("text", "expected"), [
    ("VPN Outage!", "vpn-outage"), ("  Café  crème ", "cafe-creme"), ("2nd wave", "item-2nd-wave"),
    ("already-kebab", "already-kebab"), ("Mail__Gateway", "mail-gateway"),
])
def test_kebab(text: str, expected: str) -> None:
    assert kebab(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=120), min_size=1, max_size=5))
def test_yaml_writer_reads_back_equal(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    data = {"scenario": "x", "values": texts}
    path = tmp_path_factory.mktemp("yaml") / "x.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    doc = read_document(str(path))
    if doc.unreadable:  # characters YAML itself cannot carry (a lone control character) are refused, not mangled
        assert any(f.rule in ("yaml-syntax", "file-binary") for f in doc.findings)
        return
    assert doc.data == data
