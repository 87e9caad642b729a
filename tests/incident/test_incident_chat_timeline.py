"""Plain timelines (zones, DST), Slack exports (names, roles, channels) and PagerDuty log entries."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from incident_records import read_yaml, run, write_json  # noqa: E402

RB = ("--runbook", "inbound-mail-continuity")


def test_text_timeline_reads_offsets_zones_and_dst(tmp_path: Path, capsys) -> None:
    source = tmp_path / "timeline.txt"
    source.write_text("# notes\n2026-03-07 23:30 First deferrals.\n  More detail here.\n"
                      "2026-03-08T09:00:00+01:00 - Paris office reports the same.\n"
                      "[2026-03-08 03:30] After the clocks went forward.\n", encoding="utf-8")
    out = tmp_path / "d.yaml"
    assert run(str(source), *RB, "--tz", "America/New_York", "-o", str(out)) == 0, capsys.readouterr().err
    data = read_yaml(out)
    assert data["anchor"] == "2026-03-08T04:30:00Z"  # 23:30 EST (-05:00)
    # 03:30 EDT (-04:00) is 07:30 UTC: three hours on, though the wall clock moved four
    assert [(i["at"], i["say"]) for i in data["injects"]] == [
        ("T+0m", "First deferrals.\nMore detail here."), ("T+3h", "After the clocks went forward."),
        ("T+3h30m", "Paris office reports the same.")]
    assert "is earlier than the update before it" in capsys.readouterr().err


def test_timeline_time_in_the_skipped_hour_and_bare_times_are_refused(tmp_path: Path, capsys) -> None:
    source = tmp_path / "t.txt"
    source.write_text("2026-03-08 02:30 nothing\n", encoding="utf-8")
    assert run(str(source), *RB, "--tz", "America/New_York", "-o", str(tmp_path / "d.yaml")) == 2
    assert "line 1: 2026-03-08 02:30:00 does not exist in America/New_York" in capsys.readouterr().err
    assert run(str(source), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "line 1: '2026-03-08 02:30' has no time zone" in capsys.readouterr().err
    source.write_text("2026-03-08 01:00Z ok\nno time here\n\nrandom\n", encoding="utf-8")
    source.write_text("hello\n2026-03-08 01:00Z ok\n", encoding="utf-8")
    assert run(str(source), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "t.txt: line 1: does not start with a date and time" in capsys.readouterr().err
    assert not (tmp_path / "d.yaml").exists()


def test_csv_timeline_with_header_and_bad_row(tmp_path: Path, capsys) -> None:
    source = tmp_path / "t.csv"
    source.write_text("When,Status,What happened\n2026-01-22T19:33:00Z,investigating,Mail deferred\n"
                      "2026-01-22T20:03:00Z,identified,\"Cause found, fixing\"\n", encoding="utf-8")
    out = tmp_path / "d.yaml"
    assert run(str(source), *RB, "-o", str(out)) == 0
    assert [(i["id"], i["at"], i["say"]) for i in read_yaml(out)["injects"]] == [
        ("investigating", "T+0m", "Mail deferred"), ("identified", "T+30m", "Cause found, fixing")]
    source.write_text("When,What happened\n2026-01-22T19:33:00Z,ok\nsoon,bad\n", encoding="utf-8")
    assert run(str(source), *RB, "-o", str(tmp_path / "e.yaml")) == 2
    assert "t.csv: line 3: 'soon' is not a date and time" in capsys.readouterr().err


def _slack_export(folder: Path, channels: tuple[str, ...] = ("inc-mail",)) -> Path:
    folder.mkdir()
    (folder / "users.json").write_text(json.dumps([
        {"id": "U01", "name": "dana", "real_name": "Dana Okafor", "profile": {"display_name": "dana.o"}},
        {"id": "U02", "name": "sam", "real_name": "Sam Reyes", "profile": {"display_name": "sam"}}]))
    for channel in channels:
        (folder / channel).mkdir()
        (folder / channel / "2026-01-22.json").write_text(json.dumps([
            {"type": "message", "subtype": "channel_join", "user": "U01", "text": "<@U01> has joined",
             "ts": "1769110300.000100"},
            {"type": "message", "user": "U01", "ts": "1769110380.000200",
             "text": "Probes fail with 451. <@U02> check the gateway? Ring me on +44 20 7946 0958"},
            {"type": "message", "user": "U02", "ts": "1769112000.000300",
             "text": "Queue at 4k &amp; rising &lt;b&gt;fast&lt;/b&gt;. Sam here, see <https://status.example.com|status>"},
        ]))
    return folder


def test_slack_export_names_left_out_roles_mapped(tmp_path: Path, capsys) -> None:
    folder = _slack_export(tmp_path / "export")
    archive, nested = tmp_path / "export.zip", tmp_path / "nested.zip"  # nested: the export's folder zipped
    with zipfile.ZipFile(archive, "w") as zipped, zipfile.ZipFile(nested, "w") as zipped_folder:
        for path in folder.rglob("*.json"):
            zipped.write(path, path.relative_to(folder).as_posix())
            zipped_folder.write(path, path.relative_to(tmp_path).as_posix())
    for source in (folder, archive, nested):
        out = tmp_path / f"{source.name}.yaml"
        assert run(str(source), *RB, "--role", "Dana Okafor=incident-commander", "-o", str(out)) == 0
        err = capsys.readouterr().err
        says = [i["say"] for i in read_yaml(out)["injects"]]
        assert says == [
            "incident-commander: Probes fail with 451. @participant 2 check the gateway? Ring me on "
            "[phone number removed]",
            "participant 2: Queue at 4k & rising <b>fast</b>. participant 2 here, see status "
            "(https://status.example.com)"]
        assert "Dana" not in out.read_text() and "Sam" not in out.read_text()
        assert "joins, leaves" in err and "names: " in err and "map speakers to roles with --role" in err
    out = tmp_path / "ids.yaml"
    assert run(str(folder), *RB, "--role", "U02=messaging-lead", "-o", str(out)) == 0
    assert read_yaml(out)["injects"][1]["say"].startswith("messaging-lead: Queue at 4k")
    out = tmp_path / "keep.yaml"
    assert run(str(folder), *RB, "--keep-names", "-o", str(out)) == 0
    assert read_yaml(out)["injects"][0]["say"].startswith("Dana Okafor: Probes fail with 451. @Sam Reyes check")


def test_slack_export_with_several_channels_needs_channel(tmp_path: Path, capsys) -> None:
    folder = _slack_export(tmp_path / "export", ("general", "inc-mail"))
    assert run(str(folder), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "2 channels; pick one with --channel (general, inc-mail)" in capsys.readouterr().err
    assert run(str(folder), *RB, "--channel", "#inc-mail", "-o", str(tmp_path / "d.yaml")) == 0


def test_slack_message_with_bad_ts_names_the_file_and_index(tmp_path: Path, capsys) -> None:
    folder = _slack_export(tmp_path / "export")
    day = folder / "inc-mail" / "2026-01-22.json"
    messages = json.loads(day.read_text())
    messages[2]["ts"] = "noon"
    day.write_text(json.dumps(messages))
    assert run(str(folder), *RB, "-o", str(tmp_path / "d.yaml")) == 2
    assert "inc-mail/2026-01-22.json: $[2].ts: expected Unix seconds" in capsys.readouterr().err


def test_pagerduty_log_entries(tmp_path: Path, capsys) -> None:
    person = {"id": "PXP", "type": "user_reference", "summary": "Earline Greenholt"}
    service = {"id": "PS1", "type": "service_reference", "summary": "Mail relay"}
    incident = {"id": "PT4KHLK", "type": "incident_reference", "summary": "[#1234] Relay queue high"}
    entries = {"log_entries": [
        {"type": "resolve_log_entry", "summary": "Resolved by Earline Greenholt", "created_at": "2026-01-22T21:00:00Z",
         "agent": person, "service": service, "incident": incident},
        {"type": "notify_log_entry", "summary": "Notified Earline Greenholt by phone +1 415 555 0100",
         "created_at": "2026-01-22T19:34:00Z", "user": person, "incident": incident},
        {"type": "annotate_log_entry", "summary": "Note added", "created_at": "2026-01-22T19:50:00Z",
         "agent": person, "channel": {"type": "note", "summary": "Queue draining; Earline Greenholt on it"},
         "incident": incident},
        {"type": "trigger_log_entry", "summary": "Triggered through the API", "created_at": "2026-01-22T19:33:00Z",
         "agent": service, "service": service, "incident": incident}]}
    out = tmp_path / "d.yaml"
    code = run(str(write_json(tmp_path / "log.json", entries)), *RB, "--service", "Mail relay=relay-mx",
               "-o", str(out))
    err = capsys.readouterr().err
    assert code == 0, err
    data = read_yaml(out)
    assert [(i["id"], i["at"], i.get("services"), i["say"]) for i in data["injects"]] == [
        ("triggered", "T+0m", {"relay-mx": "degraded"}, "Triggered through the API"),
        ("note", "T+17m", None, "Queue draining; responder 1 on it"),
        ("resolved", "T+1h27m", {"relay-mx": "up"}, "Resolved by responder 1")]
    assert "PagerDuty incident PT4KHLK" in data["summary"] and "Earline" not in out.read_text()
    assert "1 notification entries" in err
