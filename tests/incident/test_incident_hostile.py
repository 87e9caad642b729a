"""Hostile incident records: markup and escapes in bodies, huge exports, missing fields, times out of order."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from incident_records import graph_issue, read_yaml, run, statuspage, statuspage_update, write_json  # noqa: E402

RB = ("--runbook", "inbound-mail-continuity")


def test_markup_and_terminal_escapes_never_reach_the_terminal_or_the_draft(tmp_path: Path, capsys) -> None:
    body = "[bold red]PANIC[/] \x1b]52;c;aGk=\x07 \x1b[2J<img src=x onerror=alert(1)> \u202eevil"
    data = statuspage([statuspage_update("investigating", body, "2026-03-10T09:02:00Z",
                                         [("Mail \x1b[31mrelay\nnext: line", "operational", "major_outage")])],
                      name="Title \x1b[2J [link=https://x]click[/link]")
    out = tmp_path / "d.yaml"
    assert run(str(write_json(tmp_path / "i.json", data)), *RB, "-o", str(out)) == 0
    err = capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    for shown in (err, text):
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    say = read_yaml(out)["injects"][0]["say"]
    assert say.startswith("[bold red]PANIC[/]")  # Rich markup stays literal text, never styling
    assert "<img src=x onerror=alert(1)>" in say  # Statuspage bodies are text: HTML is shown, not run
    assert "# Mail [31mrelay next: line went major outage" in text  # the comment stays on one line


def test_graph_html_with_script_and_style_is_text_only(tmp_path: Path) -> None:
    html = "<style>p{}</style><p onclick='x()'>Hello<script>document.write(1)</script> <b>world</b></p>"
    out = tmp_path / "d.yaml"
    assert run(str(write_json(tmp_path / "i.json", graph_issue([("2026-01-22T19:33:00Z", html)]))), *RB,
               "-o", str(out)) == 0
    assert read_yaml(out)["injects"][0]["say"] == "Hello world"


def test_too_many_updates_is_refused_and_nothing_written(tmp_path: Path, capsys) -> None:
    updates = [statuspage_update("update", "x", f"2026-03-10T09:{i % 60:02d}:00Z") for i in range(2001)]
    out = tmp_path / "d.yaml"
    assert run(str(write_json(tmp_path / "i.json", statuspage(updates))), *RB, "-o", str(out)) == 2
    assert "2,001 updates; at most 2,000" in capsys.readouterr().err and not out.exists()


def test_file_over_the_byte_cap_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    import engine.incident.read as read

    monkeypatch.setattr(read, "MAX_INCIDENT_BYTES", 1000)
    source = write_json(tmp_path / "i.json", statuspage([statuspage_update("x", "y" * 2000, "2026-03-10T09:02:00Z")]))
    assert run(str(source), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "at most 1,000" in capsys.readouterr().err


def test_zip_bomb_is_refused_by_its_unpacked_size(tmp_path: Path, capsys, monkeypatch) -> None:
    import engine.incident.slack as slack

    monkeypatch.setattr(slack, "MAX_INCIDENT_BYTES", 10_000)
    source = tmp_path / "export.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inc/2026-01-22.json", "[" + " " * 50_000 + "]")
    assert source.stat().st_size < 10_000
    assert run(str(source), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "bytes unpacked" in capsys.readouterr().err


def test_deeply_nested_json_is_one_line_error(tmp_path: Path, capsys) -> None:
    source = tmp_path / "i.json"
    source.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert run(str(source), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "nested too deeply" in capsys.readouterr().err


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d["incidents"][0].pop("incident_updates"), "$.incidents[0].incident_updates: missing"),
    (lambda d: d["incidents"][0]["incident_updates"][0].update(body=42), "incident_updates[0].body: expected text"),
    (lambda d: d["incidents"][0]["incident_updates"][0].update(created_at="yesterday", display_at=None),
     "incident_updates[0].created_at: 'yesterday' is not a date and time"),
    (lambda d: d["incidents"][0]["incident_updates"][0].update(display_at="2026-03-10T09:02:00"),
     "has no time zone"),
    (lambda d: d["incidents"][0]["incident_updates"][0]["affected_components"].append(
        {"name": "X", "new_status": "on fire"}), "affected_components[0].new_status: 'on fire'"),
])
def test_bad_fields_are_named_in_one_line(tmp_path: Path, capsys, mutate, field: str) -> None:
    data = statuspage([statuspage_update("investigating", "x", "2026-03-10T09:02:00Z")])
    mutate(data)
    out = tmp_path / "d.yaml"
    assert run(str(write_json(tmp_path / "i.json", data)), *RB, "-o", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("tabletop: error:") and field in err
    assert not out.exists()


def test_not_json_names_line_and_column(tmp_path: Path, capsys) -> None:
    source = tmp_path / "i.json"
    source.write_text('{\n  "incidents": [,]\n}', encoding="utf-8")
    assert run(str(source), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "i.json:2:17: not JSON" in capsys.readouterr().err


def test_updates_out_of_order_are_sorted_and_said(tmp_path: Path, capsys) -> None:
    updates = [statuspage_update("identified", "second", "2026-03-10T09:40:00Z"),
               statuspage_update("investigating", "first", "2026-03-10T09:00:00Z"),
               statuspage_update("resolved", "third", "2026-03-10T10:00:00Z")]
    out = tmp_path / "d.yaml"
    assert run(str(write_json(tmp_path / "i.json", statuspage(updates))), *RB, "-o", str(out)) == 0
    assert [i["say"] for i in read_yaml(out)["injects"]] == ["first", "second", "third"]
    assert "$.incidents[0].incident_updates[1] is earlier than the update before it" in capsys.readouterr().err


def test_contact_details_removed_and_counted(tmp_path: Path, capsys) -> None:
    body = "Call +1 415 555 0100 or mail ops@example.com. Version 4.3.2, host 10.20.30.40, since 2026-03-10."
    out = tmp_path / "d.yaml"
    source = write_json(tmp_path / "i.json", statuspage([statuspage_update("x", body, "2026-03-10T09:02:00Z")]))
    assert run(str(source), *RB, "-o", str(out)) == 0
    say = read_yaml(out)["injects"][0]["say"]
    assert say == ("Call [phone number removed] or mail [e-mail address removed]. Version 4.3.2, host 10.20.30.40, "
                   "since 2026-03-10.")
    assert "removed: e-mail addresses: 1, phone numbers: 1" in capsys.readouterr().err
    assert run(str(source), *RB, "--keep-names", "-o", str(tmp_path / "k.yaml")) == 0
    assert read_yaml(tmp_path / "k.yaml")["injects"][0]["say"] == body


def test_json_of_no_known_shape_asks_for_from(tmp_path: Path, capsys) -> None:
    source = tmp_path / "i.json"
    source.write_text(json.dumps({"hello": 1}), encoding="utf-8")
    assert run(str(source), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "--from" in capsys.readouterr().err


def test_ids_and_titles_with_escapes_and_line_breaks_stay_on_one_line(tmp_path: Path, capsys) -> None:
    data = statuspage([statuspage_update("investigating", "x", "2026-03-10T09:02:00Z")],
                      incident_id="abc\x1b[2J\nscenario: injected", name="Mail\n# comment\x07")
    assert run(str(write_json(tmp_path / "i.json", data)), *RB, "-o", "-") == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err and "\x07" not in captured.out + captured.err
    assert "\nscenario: injected" not in captured.out
    assert "abc[2J scenario: injected" in captured.out  # the id, on the header's comment line


def test_export_with_too_many_files_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    import engine.incident.slack as slack

    monkeypatch.setattr(slack, "MAX_INCIDENT_FILES", 3)
    (tmp_path / "export" / "inc").mkdir(parents=True)
    for day in range(1, 6):
        (tmp_path / "export" / "inc" / f"2026-01-0{day}.json").write_text("[]")
    assert run(str(tmp_path / "export"), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "5 files; a chat export may have at most 3" in capsys.readouterr().err


def test_incident_without_an_action_shows_help_and_exits_2(capsys) -> None:
    from engine.cli import main

    assert main(["incident"]) == 2
    assert "import" in capsys.readouterr().err
