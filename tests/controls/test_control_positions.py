"""Where validate points for a control: at the control itself in every way YAML lets a runbook write one,
after a bad neighbour was dropped, and with a hint at quoting where YAML misreads `soc2:CC7.4`."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main


def _validate(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    (tmp_path / "mail.yaml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    main(["validate", str(tmp_path / "mail.yaml")])
    return capsys.readouterr().out.replace(str(tmp_path) + "/", "")


STEPS = """\
steps:
  restore:
    title: Restore mail
    objectives: [restore]
"""


def test_an_unknown_control_is_pointed_at_after_a_bad_neighbour_is_dropped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _validate(tmp_path, """\
runbook: mail
title: Keep mail flowing
controls: [17, "soc2:CC7.40"]
objectives:
  restore:
    text: Restore mail
    controls:
      - {soc2: CC7.4}
      - soc2:CC99.1
""" + STEPS, capsys)
    assert "mail.yaml:3:12: error: `controls[0]`: expected text, got the number 17 [schema-type]" in out
    assert "mail.yaml:3:16: error: control `soc2:CC7.40` is not in the catalogue" in out
    assert "mail.yaml:9:9: error: control `soc2:CC99.1` is not in the catalogue" in out


def test_a_step_s_objective_and_need_after_a_bad_neighbour_are_pointed_at(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same kind of fault in the runbook rules that point by the model's list index."""
    out = _validate(tmp_path, """\
runbook: mail
title: Keep mail flowing
objectives:
  restore: Restore mail
steps:
  restore:
    title: Restore mail
    objectives: [{a: b}, restore, bogus]
    needs: [{a: b}, nope]
""", capsys)
    assert "mail.yaml:8:35: error: step `restore` lists objective `bogus`" in out, out
    assert "mail.yaml:9:21: error: step `restore` needs `nope`" in out, out


def test_an_improvement_item_after_a_broken_one_is_pointed_at(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The same kind of fault in another rule: every rule that points by the model's list index."""
    (tmp_path / "plan.yaml").write_text("""\
improvements: mail
items:
  - just text
  - id: twice
    action: Keep a probe mailbox
    owner: Dana Okafor
    due: 2026-01-01
  - id: twice
    action: Keep a probe mailbox again
    owner: Dana Okafor
    due: 2026-01-01
""", encoding="utf-8")
    capsys.readouterr()
    main(["validate", "--today", "2026-02-01", str(tmp_path / "plan.yaml")])
    out = capsys.readouterr().out.replace(str(tmp_path) + "/", "")
    assert "plan.yaml:8:9: error: improvement `twice` has the same id as another item [improvement-duplicate-id]" \
        in out, out
    assert "hint: the first is at plan.yaml:4; rename one of them" in out
    assert "plan.yaml:7:10: warning: improvement `twice` was due 2026-01-01" in out


@pytest.mark.parametrize("line, hint", [
    ("controls: [soc2:CC7.4]", 'quote each control: controls: ["soc2:CC7.4"]'),
    ('controls: ["soc2:CC7.4", nist-800-53:CP-4]', 'quote each control: controls: ["nist-800-53:CP-4"]'),
])
def test_an_unquoted_control_in_a_one_line_list_hints_at_quoting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, hint: str) -> None:
    out = _validate(tmp_path, f"runbook: mail\ntitle: Keep mail flowing\n{line}\nobjectives:\n"
                              "  restore: Restore mail\n" + STEPS, capsys)
    assert "[yaml-syntax]" in out and f"hint: inside [...] YAML reads a colon as a key; {hint}" in out, out


@pytest.mark.parametrize("text", [
    "controls: [soc2: CC7.4]\n",
    "controls:\n  - soc2: CC7.4\n",
])
def test_a_control_yaml_read_as_a_mapping_hints_at_the_space(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             text: str) -> None:
    out = _validate(tmp_path, "runbook: mail\ntitle: Keep mail flowing\n" + text +
                    "objectives:\n  restore: Restore mail\n" + STEPS, capsys)
    assert "`controls[0]`: expected text, got a mapping [schema-type]" in out
    assert 'hint: write a control as one word, "soc2:CC7.4", with no space after the colon' in out, out


def test_a_control_written_as_text_instead_of_a_list_hints_at_the_list(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _validate(tmp_path, "runbook: mail\ntitle: Keep mail flowing\ncontrols: soc2:CC7.4\n"
                    "objectives:\n  restore: Restore mail\n" + STEPS, capsys)
    assert "`controls`: expected a list, got the text 'soc2:CC7.4' [schema-type]" in out
    assert 'hint: controls are a list: controls: ["soc2:CC7.4"]' in out, out


def test_a_catalogue_of_one_control_is_said_in_the_singular(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "acme.toml").write_text('catalogue = "acme"\ntitle = "Acme"\n[controls]\n"A" = "The one"\n',
                                        encoding="utf-8")
    (tmp_path / "tabletop.toml").write_text('catalogues = ["acme.toml"]\n', encoding="utf-8")
    out = _validate(tmp_path, "runbook: mail\ntitle: Keep mail flowing\ncontrols: [\"acme:ZZZ\"]\nobjectives:\n"
                              "  restore: Restore mail\n" + STEPS, capsys)
    assert "hint: the catalogue lists 1 control; add yours to a catalogue file of your own" in out, out
