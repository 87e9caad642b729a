"""MSEL export and import give back the same scenario: a property test, the shipped scenarios, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cli import main
from engine.duration import format_duration
from engine.model import Inject, Scenario
from engine.msel.convert import Options, convert
from engine.msel.export import rows, to_csv
from engine.msel.table import read_table
from engine.validate import validate

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = "scenarios/m365-na-outage-2026-01-22.yaml"
RUNBOOKS = ["inbound-mail-continuity", "admin-console-loss", "security-telemetry-gap"]


def _model(path: Path | str) -> Scenario:
    doc = validate([str(path)]).documents[0]
    assert doc.model is not None, [f.message for f in doc.findings]
    return doc.model


def _import(tmp_path: Path, source: Path, scenario: Scenario, *extra: str) -> Path:
    out = tmp_path / "scenarios" / f"{scenario.scenario}.yaml"
    out.parent.mkdir(exist_ok=True)
    args = ["msel", "import", str(source), "--scenario-id", scenario.scenario, "--runbook", *scenario.runbooks,
            "--runbooks", str(ROOT / "runbooks"), "--title", scenario.title, "-o", str(out), *extra]
    if scenario.duration:
        from engine.duration import format_duration

        args += ["--duration", format_duration(scenario.duration)]
    assert main(args) == 0
    return out


# ----- the shipped scenarios -----


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_shipped_scenario_round_trips(tmp_path: Path, name: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    original = _model(ROOT / "scenarios" / name)
    sheet = tmp_path / f"msel.{fmt}"
    assert main(["msel", "export", str(ROOT / "scenarios" / name), "--format", fmt, "-o", str(sheet)]) == 0
    back = _model(_import(tmp_path, sheet, original))
    assert back.injects == original.injects
    assert back.anchor == original.anchor
    assert (back.scenario, back.runbooks, back.duration) == (original.scenario, original.runbooks, original.duration)
    err = capsys.readouterr().err
    assert "warning" not in err


def test_imported_shipped_scenario_validates_clean_with_its_runbooks(tmp_path: Path) -> None:
    original = _model(ROOT / SHIPPED)
    sheet = tmp_path / "msel.csv"
    assert main(["msel", "export", str(ROOT / SHIPPED), "-o", str(sheet)]) == 0
    out = _import(tmp_path, sheet, original)
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/scenario.schema.json"
    result = validate([str(out), *map(str, sorted((ROOT / "runbooks").glob("*.yaml")))])
    assert [f"{f.rule}: {f.message}" for f in result.findings] == []


def _played_steps(scenario_path: Path, log_path: Path) -> list[tuple[str, str, float]]:
    play = pytest.importorskip("engine.drill.play")
    from engine.drill.clock import FakeClock
    from engine.drill.log import read_log
    from engine.drill.session import Drill
    from engine.plans import load_plan

    plan = load_plan(str(scenario_path), [str(ROOT / "runbooks")])
    clock = FakeClock(play.start_wall(plan))
    drill = Drill.start(plan, clock, log_path=str(log_path), mode="headless")
    play.Player(drill, clock).run()
    wanted = {"step.started", "step.done", "step.skipped", "decision.made", "inject.fired"}
    return [(e.type, e.data.get("step") or e.data.get("inject") or "", e.t) for e in read_log(str(log_path)).events
            if e.type in wanted]


def test_imported_shipped_scenario_plays_to_the_same_steps(tmp_path: Path) -> None:
    original = _model(ROOT / SHIPPED)
    sheet = tmp_path / "msel.csv"
    assert main(["msel", "export", str(ROOT / SHIPPED), "-o", str(sheet)]) == 0
    imported = _import(tmp_path, sheet, original)
    first = _played_steps(ROOT / SHIPPED, tmp_path / "original.jsonl")
    second = _played_steps(imported, tmp_path / "imported.jsonl")
    assert any(kind == "decision.made" for kind, _, _ in first)
    assert second == first


# ----- the property: scenario -> CSV -> scenario -----

_ids = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
# Text as people type it into a cell: any printable characters, inner newlines, no edge whitespace
# (import trims cells). Leading = + - @ and apostrophes exercise the formula guard.
_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff") | st.sampled_from(
        ["\n", "=", "+", "-", "@", "'", '"', ",", ";"]),
    min_size=1, max_size=40,
).map(str.strip).filter(bool)
_health = st.sampled_from(["up", "degraded", "down"])


@st.composite
def _injects(draw: st.DrawFn) -> list[Inject]:
    count = draw(st.integers(min_value=1, max_value=6))
    ids = draw(st.lists(_ids, min_size=count, max_size=count, unique=True))
    out = []
    for ident in ids:
        contingent = draw(st.booleans())
        seconds = draw(st.integers(min_value=0, max_value=3 * 86400))
        data: dict = {"id": ident}
        if contingent:
            if draw(st.booleans()):
                data["after"] = {"decision": draw(_ids), "option": draw(_ids)}
            else:
                data["after"] = {"step": draw(_ids)}
            sign = draw(st.sampled_from(["", "+", "T+"]))  # T+ with a condition: kept, validate flags it
            if sign:
                data["at"] = sign + format_duration(seconds)
        else:
            data["at"] = "T+" + format_duration(seconds)
        if draw(st.booleans()):
            data["event"] = draw(_ids)
        data["services"] = draw(st.dictionaries(_ids, _health, max_size=3))
        for key in ("to",):
            if draw(st.booleans()):
                data[key] = draw(_ids)
        for key in ("title", "say", "expect"):
            if draw(st.booleans()):
                data[key] = draw(_text)
        data["objectives"] = draw(st.lists(_ids, max_size=3))
        if not (data.get("say") or data.get("event") or data["services"]):
            data["say"] = "something happens"
        out.append(Inject.model_validate(data))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(injects=_injects(), anchored=st.booleans())
def test_csv_round_trip_gives_the_same_injects(tmp_path: Path, injects: list[Inject], anchored: bool) -> None:
    scenario = Scenario.model_construct(scenario="prop", title="Property", runbooks=["rb"], duration=None,
                                        anchor="2026-01-22T19:33:00Z" if anchored else None, summary=None,
                                        injects=injects)
    path = tmp_path / "prop.csv"
    path.write_text("\ufeff" + to_csv(scenario), encoding="utf-8", newline="")
    converted = convert(read_table(str(path), "csv"), Options("prop", ["rb"], "Property"))
    data = converted.data
    assert data.get("anchor") == scenario.anchor  # the Anchor row above the header carries it
    back = Scenario.model_validate(data)
    assert back.injects == injects
    # Written as YAML and read back through the loader, it is still the same.
    from engine.scaffold import file_text

    yaml_path = tmp_path / "prop.yaml"
    yaml_path.write_text(file_text("scenario", tmp_path, data), encoding="utf-8")
    assert _model(yaml_path).injects == back.injects


def _has_scheduled(injects: list[Inject]) -> bool:
    return any(i.at and i.at[0] == "absolute" for i in injects)


# ----- what export writes -----


def test_export_columns_and_contingency_condition() -> None:
    table = rows(_model(ROOT / SHIPPED))
    assert table[0] == ["Number", "Scenario time", "Real time", "Event", "Service changes", "Intended player",
                        "Title", "Inject text", "Expected action", "Objectives", "Condition", "ID"]
    by_id = {row[-1]: row for row in table[1:]}
    assert by_id["first-deferrals"][1:3] == ["T+0:00", "2026-01-22T19:33:00Z"]
    assert by_id["console-dark"][1:3] == ["T+0:25", "2026-01-22T19:58:00Z"]
    assert by_id["restoration"][4].startswith("exchange-online=up; admin-center=up")
    assert by_id["customer-escalation"][1:3] == ["", ""]
    assert by_id["customer-escalation"][10] == "after failover-decision=hold +0:30"
    assert by_id["break-glass-alert"][10] == "after break-glass-check +0:05"
    assert by_id["security-portals-dark"][9] == "record-gap; keep-watch; hold-compliance"


def test_formula_guard_in_csv_and_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    inject = Inject(id="nasty", at="T+5m", say="=HYPERLINK(\"http://evil.example\",\"click\")",
                    expect="+1 and -1", to="lead")
    scenario = Scenario(scenario="guard", title="Guard", runbooks=["rb"], injects=[inject])
    records = list(csv.reader(io.StringIO(to_csv(scenario))))
    assert records[:4] == [["Scenario", "guard"], ["Title", "Guard"], ["Runbooks", "rb"], []]
    record = records[5]
    assert record[7] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert record[8] == "'+1 and -1"
    from engine.msel.export import write_xlsx

    path = tmp_path / "guard.xlsx"
    write_xlsx(scenario, path)
    sheet = load_workbook(path)["MSEL"]
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row}
    assert cells["'=HYPERLINK(\"http://evil.example\",\"click\")"] == "s"
    assert all(kind != "f" for kind in cells.values())


def test_stdout_csv_has_no_byte_order_mark(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["msel", "export", str(ROOT / SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Scenario,m365-na-outage-2026-01-22\r\n")


# ----- the JSON MSEL of chat-based exercise runners -----

CHAT_MSEL = [
    {"#": 1, "Real Time": "09:00 AM", "Date": "Thursday 2:33 PM", "Subject": "Invoices stuck",
     "From": "Supplier IT desk", "Player": "Messaging Lead", "Script": "Our invoices to you get 451 4.3.2.",
     "Photo": "", "Picture Name": "queue.png", "Profile": "", "Poll": ""},
    {"#": 2, "Real Time": "09:12 AM", "Date": "Thursday 2:58 PM", "Subject": "Admin center blank",
     "From": "Identity team", "Player": "Helpdesk", "Script": "The admin center shows a white page.",
     "Photo": "", "Picture Name": "", "Profile": "https://example.invalid/p.png", "Poll": "Wait | Escalate"},
    {"#": 3, "Real Time": "09:20 AM", "Date": "Thursday 3:10 PM", "Subject": "Invoices stuck",
     "From": "Customer", "Player": "Incident Commander", "Script": "Where is my order?", "Poll": ""},
]


def test_chat_runner_json_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "msel.json"
    source.write_text(json.dumps(CHAT_MSEL), encoding="utf-8")
    out = tmp_path / "chat.yaml"
    code = main(["msel", "import", str(source), "--scenario-id", "chat-drill", "--runbook",
                 "inbound-mail-continuity", "admin-console-loss", "--runbooks", str(ROOT / "runbooks"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    scenario = _model(out)
    assert [i.id for i in scenario.injects] == ["invoices-stuck", "admin-center-blank", "invoices-stuck-2"]
    assert [i.at for i in scenario.injects] == [("absolute", 0), ("absolute", 720), ("absolute", 1200)]
    first, second, third = scenario.injects
    assert first.to == "messaging-lead"
    assert first.say == "[Thursday 2:33 PM] Supplier IT desk: Our invoices to you get 451 4.3.2."
    assert second.to is None and "For Helpdesk." in (second.say or "")
    assert second.expect == "Poll: Wait | Escalate"
    assert third.to == "incident-commander"
    assert 'column "Picture Name" is not carried over (row 1)' in err
    assert 'column "Profile" is not carried over (row 2)' in err
    assert 'player "Helpdesk" (row 2) is not a role' in err
    assert scenario.anchor is None
