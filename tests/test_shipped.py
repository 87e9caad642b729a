"""Everything the project ships validates clean and carries its schema modeline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.schema import json_schema
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted([*ROOT.glob("runbooks/*.yaml"), *ROOT.glob("scenarios/*.yaml"), *ROOT.glob("improvements/*.yaml")])
KIND_OF_FOLDER = {"runbooks": "runbook", "scenarios": "scenario", "improvements": "improvements"}


def test_shipped_files_validate_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = [p.relative_to(ROOT).as_posix() for p in SHIPPED]
    assert len([f for f in files if f.startswith("runbooks/")]) >= 3
    assert len([f for f in files if f.startswith("scenarios/")]) >= 1
    result = validate(files)
    assert [f"{f.path}:{f.line}: {f.message} [{f.rule}]" for f in result.findings] == []
    assert all(d.model is not None for d in result.documents)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_has_schema_modeline(path: Path) -> None:
    kind = KIND_OF_FOLDER[path.parent.name]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    assert (path.parent / f"../schemas/{kind}.schema.json").resolve().is_file()


@pytest.mark.parametrize("kind", ["runbook", "scenario", "improvements"])
def test_committed_schema_is_current(kind: str) -> None:
    committed = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(kind), f"run: tabletop schema {kind} > schemas/{kind}.schema.json"


@pytest.mark.parametrize("kind", ["runbook", "scenario", "improvements"])
def test_schema_command_prints_the_schema(kind: str) -> None:
    out = subprocess.run([sys.executable, "-m", "engine", "schema", kind], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout) == json_schema(kind)


def test_shipped_files_satisfy_their_json_schema() -> None:
    """Editors check files with the JSON Schema; it must accept what validate accepts."""
    jsonschema = pytest.importorskip("jsonschema")
    from engine.load import read_document

    for path in SHIPPED:
        doc = read_document(str(path))
        kind = doc.kind
        assert kind
        jsonschema.Draft202012Validator(json_schema(kind)).validate(doc.data)


def test_rules_doc_is_current() -> None:
    out = subprocess.run([sys.executable, "-m", "engine", "rules", "--format", "markdown"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == out.stdout, \
        "run: tabletop rules --format markdown > docs/rules.md"
