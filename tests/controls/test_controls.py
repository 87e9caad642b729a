"""Controls on objectives and runbooks: the shipped catalogues, a project's own, and validate's rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main
from engine.controls.catalogue import SHIPPED, CatalogueError, catalogues, parse

ROOT = Path(__file__).resolve().parents[2]

RUNBOOK = """\
runbook: mail
title: Keep mail flowing
controls:
  - soc2:CC7.4
objectives:
  restore:
    text: Restore inbound mail within 4 hours
    controls:
      - acme:BC-7
steps:
  restore:
    title: Restore mail
    objectives: [restore]
"""


def test_every_shipped_catalogue_reads_and_names_the_controls_the_issue_asks_for() -> None:
    known = catalogues()
    assert sorted(known) == sorted(SHIPPED)
    for control in ("soc2:CC7.4", "soc2:CC7.5", "soc2:CC9.1", "soc2:A1.3", "nist-800-53:CP-4", "nist-800-53:IR-3",
                    "nist-800-53:CP-3", "nist-800-53:IR-2", "iso-22301:8.5", "iso-27001:A.5.24",
                    "iso-27001:A.5.30", "dora:24", "dora:26", "nis2:21(2)(c)"):
        name, _, ident = control.partition(":")
        assert known[name].controls.get(ident), control
    assert len(known["iso-27001"].controls) == 93  # every Annex A control of the 2022 edition


def test_the_shipped_drill_maps_its_objectives_to_controls(capsys: pytest.CaptureFixture[str]) -> None:
    from engine.load import read_document
    from engine.schema import check_document

    named = set()
    for path in sorted((ROOT / "runbooks").glob("*.yaml")):
        doc = read_document(str(path))
        check_document(doc)
        named |= set(doc.model.controls)
        mapped = [o for o in doc.model.objectives.values() if not isinstance(o, str) and o.controls]
        assert mapped, f"{path.name}: no objective names a control"
        named |= {c for o in mapped for c in o.controls}
    assert {c.partition(":")[0] for c in named} >= {"soc2", "nist-800-53", "iso-22301", "iso-27001"}


def test_a_project_catalogue_named_in_the_settings_is_known_to_validate(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mail.yaml").write_text(RUNBOOK, encoding="utf-8")
    assert main(["validate", "mail.yaml"]) == 1
    out = capsys.readouterr().out
    assert "mail.yaml:9:9: error: control `acme:BC-7` names catalogue `acme`, which is not known" in out
    (tmp_path / "controls").mkdir()
    (tmp_path / "controls" / "acme.toml").write_text(
        'catalogue = "acme"\ntitle = "Acme controls"\n[controls]\n"BC-7" = "Continuity plans are exercised"\n',
        encoding="utf-8")
    (tmp_path / "tabletop.toml").write_text('catalogues = ["controls/acme.toml"]\n', encoding="utf-8")
    assert main(["validate", "mail.yaml"]) == 0, capsys.readouterr().out
    capsys.readouterr()
    (tmp_path / "mail.yaml").write_text(RUNBOOK.replace("acme:BC-7", "acme:BC-8"), encoding="utf-8")
    assert main(["validate", "mail.yaml"]) == 1
    assert "control `acme:BC-8` is not in the catalogue `acme` (Acme controls) [unknown-control]" in \
        capsys.readouterr().out


def test_an_unusable_catalogue_file_is_one_line_and_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mail.yaml").write_text(RUNBOOK, encoding="utf-8")
    (tmp_path / "tabletop.toml").write_text('catalogues = ["acme.toml"]\n', encoding="utf-8")
    assert main(["validate", "mail.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tabletop: error: ") and "acme.toml: no such catalogue file" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    (tmp_path / "acme.toml").write_text('catalogue = "Acme"\ntitle = "x"\n[controls]\n"a" = "b"\n', encoding="utf-8")
    assert main(["validate", "mail.yaml"]) == 2
    assert "`catalogue` must be a name like" in capsys.readouterr().err


@pytest.mark.parametrize("text, why", [
    ('catalogue = "a"\ntitle = "A"\n', "`[controls]` must list"),
    ('catalogue = "a"\ntitle = "A"\nextra = 1\n[controls]\n"x" = "y"\n', "unknown key 'extra'"),
    ('catalogue = "a"\ntitle = "A"\n[controls]\n"x y" = "z"\n', "control id 'x y'"),
    ('catalogue = "a"\ntitle = "A"\n[controls]\n"x" = ""\n', "needs a short title"),
    ('catalogue = "a"\n[controls\n', "not valid TOML"),
])
def test_a_catalogue_file_is_checked(text: str, why: str) -> None:
    with pytest.raises(CatalogueError, match=why.replace("(", r"\(").replace("[", r"\[")):
        parse(text, "own.toml")


def test_a_project_file_naming_a_shipped_catalogue_adds_to_it() -> None:
    own = parse('catalogue = "soc2"\ntitle = "ours"\n[controls]\n"X1.1" = "Our extra criterion"\n', "own.toml")
    known = catalogues([own])
    assert known["soc2"].controls["X1.1"] == "Our extra criterion" and "CC7.4" in known["soc2"].controls
    assert "X1.1" not in catalogues()["soc2"].controls  # the shipped one is not changed for later callers


def test_the_quick_reader_of_the_shipped_catalogues_reads_them_as_toml_does() -> None:
    from engine.controls.catalogue import read_shipped

    folder = ROOT / "engine" / "controls" / "catalogues"
    assert sorted(p.stem for p in folder.glob("*.toml")) == sorted(SHIPPED)
    for name in SHIPPED:
        text = (folder / f"{name}.toml").read_text(encoding="utf-8")
        quick, full = read_shipped(text), parse(text, "tabletop")
        assert (quick.name, quick.title, quick.controls) == (full.name, full.title, full.controls), name
        assert quick.name == name
    with pytest.raises(CatalogueError, match="not plain"):
        read_shipped('catalogue = "a"\ntitle = "A"\n[controls]\n"x" = """y"""\n')
