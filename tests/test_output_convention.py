"""One CLI convention: `-o -` is stdout everywhere, no command overwrites a file without --force, one error shape."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "scenarios/m365-na-outage-2026-01-22.yaml"
RUNBOOK = "runbooks/inbound-mail-continuity.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("runbooks", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    main(["msel", "export", SCENARIO, "-o", "msel.csv"])
    main(["cacao", "export", RUNBOOK, "-o", "playbook.json"])
    return tmp_path


# (arguments before -o, unused, what stdout must hold near its start; None: binary XLSX)
COMMANDS = {
    "validate": (["validate", "runbooks", "scenarios"], "", "files checked"),
    "explore": (["explore", SCENARIO], "", "explored"),
    "msel export csv": (["msel", "export", SCENARIO], "", "Scenario,m365-na-outage-2026-01-22"),
    "msel export xlsx": (["msel", "export", SCENARIO, "--format", "xlsx"], "", None),
    "msel import": (["msel", "import", "msel.csv"], "", "# yaml-language-server"),
    "cacao export": (["cacao", "export", RUNBOOK], "", "{"),
    "cacao import": (["cacao", "import", "playbook.json"], "", "# yaml-language-server"),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_dash_is_stdout(name: str, project: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    argv, _, starts = COMMANDS[name]
    capsysbinary.readouterr()
    assert main([*argv, "-o", "-"]) in (0, 1)
    out = capsysbinary.readouterr().out
    assert not (project / "-").exists()
    if starts is None:
        assert out[:2] == b"PK"  # the XLSX workbook itself
    else:
        assert starts.encode() in out[:4000]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_overwrite_without_force(name: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, _, _ = COMMANDS[name]
    target = project / "taken.out"
    target.write_text("keep me\n", encoding="utf-8")
    capsys.readouterr()
    assert main([*argv, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"tabletop: error: {target} exists already; pass --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert main([*argv, "-o", str(target), "--force"]) in (0, 1)
    assert target.read_text(encoding="utf-8", errors="replace") != "keep me\n"
    assert not [p for p in project.iterdir() if p.name.startswith(".taken.out")]  # no temporary left behind


@pytest.mark.parametrize("name", list(COMMANDS))
def test_missing_folder_is_the_same_one_line(name: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, _, _ = COMMANDS[name]
    capsys.readouterr()
    assert main([*argv, "-o", "no/such/out.txt"]) == 2
    expected = "tabletop: error: cannot write no/such/out.txt: the folder no/such does not exist\n"
    assert capsys.readouterr().err == expected


def test_new_writes_to_stdout_with_dash(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "runbook", "VPN outage", "-o", "-"]) == 0
    assert "runbook: vpn-outage" in capsys.readouterr().out
    assert not (project / "runbooks" / "vpn-outage.yaml").exists()
