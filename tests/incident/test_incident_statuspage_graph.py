"""Statuspage incidents and Graph service health issues become drafts that validate and play."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from incident_records import (  # noqa: E402
    ROOT,
    RUNBOOKS,
    graph_issue,
    read_yaml,
    run,
    statuspage,
    statuspage_update,
    write_json,
)


def _statuspage_file(tmp_path: Path) -> Path:
    updates = [  # newest first, with offsets in another zone than UTC
        statuspage_update("resolved", "Back to normal.", "2026-03-10T11:47:30.000-04:00",
                          [("Inbound mail", "degraded_performance", "operational")]),
        statuspage_update("identified", "A storage node is full; senders see 451 4.3.2.",
                          "2026-03-10T09:40:00.000-04:00", [("Inbound mail", "degraded_performance", "major_outage")]),
        statuspage_update("investigating", "We are looking into delays.", "2026-03-10T09:02:00.000-04:00",
                          [("Inbound mail", "operational", "degraded_performance"),
                           ("Web dashboard", "operational", "partial_outage")]),
    ]
    return write_json(tmp_path / "incidents.json", statuspage(updates))


def test_statuspage_draft_has_anchor_offsets_services_and_source(tmp_path: Path, capsys) -> None:
    out = tmp_path / "draft.yaml"
    code = run(str(_statuspage_file(tmp_path)), "--runbook", "inbound-mail-continuity",
               "--service", "inbound mail=exchange-online", "-o", str(out))
    err = capsys.readouterr().err
    assert code == 0, err
    data = read_yaml(out)
    assert data["anchor"] == "2026-03-10T13:02:00Z"  # 09:02 at -04:00 (EDT), the first update
    assert [i["at"] for i in data["injects"]] == ["T+0m", "T+38m", "T+2h45m30s"]
    assert [i["id"] for i in data["injects"]] == ["investigating", "identified", "resolved"]
    assert [i.get("services") for i in data["injects"]] == [
        {"exchange-online": "degraded"}, {"exchange-online": "down"}, {"exchange-online": "up"}]
    assert "Atlassian Statuspage incident p31zjtct2jer" in data["summary"]
    text = out.read_text(encoding="utf-8")
    assert '# Web dashboard went partial outage (degraded); map it to a service with --service' in text
    assert "still to decide" in err and "objectives" in err and "Web dashboard" in err


def test_several_incidents_need_incident_option(tmp_path: Path, capsys) -> None:
    data = statuspage([statuspage_update("investigating", "x", "2026-03-10T09:02:00Z")])
    data["incidents"].append({**data["incidents"][0], "id": "second"})
    source = write_json(tmp_path / "incidents.json", data)
    out = tmp_path / "d.yaml"
    assert run(str(source), "--runbook", "inbound-mail-continuity", "-o", str(out)) == 2
    assert "--incident" in capsys.readouterr().err and not out.exists()
    assert run(str(source), "--incident", "second", "--runbook", "inbound-mail-continuity", "-o", str(out)) == 0


def test_graph_issue_html_to_text_with_line_breaks_and_plays(tmp_path: Path, capsys, monkeypatch) -> None:
    posts = [("2026-01-22T19:33:00Z", "<p>Title: Mail problems</p><p>User impact: senders see 451 4.3.2.<br>"
              "Admins see time-outs.</p><ul><li>Exchange Online</li><li>Admin center</li></ul>"
              "<script>alert(1)</script><p>A &amp; B &lt;tag&gt;</p>"),
             ("2026-01-23T05:33:00.0000000Z", "<p>Title: Mail problems</p><p>Final status: restored.</p>")]
    source = write_json(tmp_path / "MO1221364.json", graph_issue(posts))
    out = tmp_path / "mo.yaml"
    code = run(str(source), "--runbook", "inbound-mail-continuity", "--service", "Exchange Online=exchange-online",
               "-o", str(out))
    assert code == 0, capsys.readouterr().err
    data = read_yaml(out)
    assert data["scenario"] == "mo1221364" and "MO1221364" in data["summary"]
    first, last = data["injects"]
    assert first["say"] == ("Title: Mail problems\n\nUser impact: senders see 451 4.3.2.\nAdmins see time-outs.\n\n"
                            "- Exchange Online\n- Admin center\n\nA & B <tag>")
    assert last["at"] == "T+10h" and last["services"] == {"exchange-online": "up"}
    assert first["services"] == {"exchange-online": "degraded"}
    monkeypatch.chdir(tmp_path)
    assert main(["play", str(out), "--runbooks", RUNBOOKS, "--log", str(tmp_path / "mo.jsonl")]) == 0


def test_graph_post_without_time_is_refused_by_field(tmp_path: Path, capsys) -> None:
    issue = graph_issue([("2026-01-22T19:33:00Z", "<p>one</p>"), ("2026-01-22T20:00:00Z", "<p>two</p>")])
    del issue["posts"][1]["createdDateTime"]
    out = tmp_path / "d.yaml"
    assert run(str(write_json(tmp_path / "i.json", issue)), "--runbook", "inbound-mail-continuity",
               "-o", str(out)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"tabletop: error: {tmp_path / 'i.json'}: $.posts[1].createdDateTime: missing"] or \
        err[-1].endswith("$.posts[1].createdDateTime: missing")
    assert not out.exists()


@pytest.mark.parametrize("example", ["statuspage-incident.json", "MO1221364.graph.json"])
def test_docs_examples_import_and_play(example: str, tmp_path: Path, capsys, monkeypatch) -> None:
    service = "Inbound mail=exchange-online" if "statuspage" in example else "Exchange Online=exchange-online"
    out = tmp_path / "draft.yaml"
    assert run(str(ROOT / "docs" / "examples" / example), "--runbook", "inbound-mail-continuity",
               "admin-console-loss", "--service", service, "-o", str(out)) == 0, capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["play", str(out), "--runbooks", RUNBOOKS, "--log", str(tmp_path / "d.jsonl")]) == 0


def test_existing_output_is_not_replaced(tmp_path: Path, capsys) -> None:
    out = tmp_path / "draft.yaml"
    out.write_text("keep me", encoding="utf-8")
    assert run(str(_statuspage_file(tmp_path)), "--runbook", "inbound-mail-continuity", "-o", str(out)) == 2
    assert out.read_text(encoding="utf-8") == "keep me"


def test_unknown_service_in_mapping_is_a_usage_error(tmp_path: Path, capsys) -> None:
    out = tmp_path / "draft.yaml"
    assert run(str(_statuspage_file(tmp_path)), "--runbook", "inbound-mail-continuity",
               "--service", "Inbound mail=no-such-service", "-o", str(out)) == 2
    assert "no-such-service" in capsys.readouterr().err and not out.exists()
