"""The CI output formats of `tabletop validate`, fed hand-made findings (some hostile)."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from engine.findings import Finding, Severity
from engine.formats import RenderContext, render
from engine.rules.base import Rule

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / ".." / "shared" / "external" / "sarif" / "sarif-schema-2.1.0.json"

def need_shared(path: Path, what: str) -> None:
    """Skip when `what`, a file of ../shared/external, is not at `path`; fail instead where .ci/run found
    ../shared/external and set TABLETOP_REQUIRE_SHARED: there a skip would hide a break."""
    if path.is_file():
        return
    why = f"{what}: not found at {path.resolve()}"
    if os.environ.get("TABLETOP_REQUIRE_SHARED"):
        pytest.fail(f"TABLETOP_REQUIRE_SHARED is set but {why}")
    pytest.skip(why)


RULES = {
    r.id: r
    for r in (
        Rule("unknown-need", Severity.ERROR, "A step needs something no step provides.", "runbook"),
        Rule("dead-end", Severity.WARNING, "A decision leads nowhere.", "scenario"),
        Rule("long-step", Severity.INFO, "A step is unusually long.", "runbook"),
    )
}
FILES = ["runbooks/db failover.yaml", "runbooks/clean.yaml", "scenarios/s1.yaml"]
SOURCE = {
    "runbooks/db failover.yaml": ["steps:\n", "  - needs: [bold]x[/bold]\n", "\t- id: b\n"],
}

ERR = Finding(
    "runbooks/db failover.yaml", 2, 12, "unknown-need", Severity.ERROR,
    "needs [bold]x[/bold], 100% missing: see a,b\nsecond line \x1b[2J",
    hint="add a step that provides x",
)
WARN = Finding(
    "runbooks/db failover.yaml", 3, 4, "dead-end", Severity.WARNING,
    "<script>alert(1)</script> & \"q\"", related=("a -> b", "b -> \x1b[31ma"),
)
INFO = Finding("scenarios/s1.yaml", 1, 1, "long-step", Severity.INFO, "step is long")
FINDINGS = [ERR, WARN, INFO]


def ctx(**kw: object) -> RenderContext:
    return RenderContext(rules=RULES, files=list(FILES), tool_version="0.1.0", **kw)  # type: ignore[arg-type]


# --- text -------------------------------------------------------------------------------------


def test_text_lines_escape_controls_and_summarise() -> None:
    out = render("text", FINDINGS, ctx())
    assert "\x1b" not in out
    assert out.splitlines() == [
        (
            "runbooks/db failover.yaml:2:12: error: needs [bold]x[/bold], 100% missing: see a,b"
            "\\nsecond line \\x1b[2J [unknown-need]"
        ),
        "  hint: add a step that provides x",
        "runbooks/db failover.yaml:3:4: warning: <script>alert(1)</script> & \"q\" [dead-end]",
        "  related: a -> b",
        "  related: b -> \\x1b[31ma",
        "scenarios/s1.yaml:1:1: info: step is long [long-step]",
        "3 files checked: 1 error, 1 warning, 1 info",
    ]


def test_text_summary_counts() -> None:
    assert render("text", [], ctx()) == "3 files checked: no problems\n"
    two = [ERR, ERR]
    assert render("text", two, ctx()).splitlines()[-1] == "3 files checked: 2 errors"
    one = RenderContext(rules=RULES, files=["a.yaml"], tool_version="0")
    assert render("text", [WARN, WARN, INFO, INFO], one).splitlines()[-1] == "1 file checked: 2 warnings, 2 infos"


def test_text_snippet_caret_under_column_keeps_tabs() -> None:
    out = render("text", [ERR, WARN], ctx(snippets=True, source=SOURCE.get)).splitlines()
    assert out[1] == "      - needs: [bold]x[/bold]"
    assert out[2] == "    " + " " * 11 + "^"
    assert out[1][4 + 11] == "["  # the caret's column is the column of the finding
    assert out[3] == "  hint: add a step that provides x"
    assert out[5] == "    \t- id: b"
    assert out[6] == "    \t  ^"


def test_text_snippet_skipped_without_source_or_line() -> None:
    far = Finding("runbooks/db failover.yaml", 99, 1, "dead-end", Severity.WARNING, "m")
    out = render("text", [far, INFO], ctx(snippets=True, source=SOURCE.get)).splitlines()
    assert out == [
        "runbooks/db failover.yaml:99:1: warning: m [dead-end]",
        "scenarios/s1.yaml:1:1: info: step is long [long-step]",
        "3 files checked: 1 warning, 1 info",
    ]


def test_text_snippet_escapes_source_and_shifts_caret() -> None:
    f = Finding("x.yaml", 1, 3, "dead-end", Severity.WARNING, "m")
    out = render("text", [f], ctx(snippets=True, source=lambda p: ["\x1bAB\n"])).splitlines()
    assert out[1:3] == ["    \\x1bAB", "    " + " " * 5 + "^"]  # under the B


def test_text_color_only_on_severity() -> None:
    out = render("text", FINDINGS, ctx(color=True)).splitlines()
    assert out[0].startswith("runbooks/db failover.yaml:2:12: \x1b[31merror\x1b[0m: needs [bold]")
    assert out[0].count("\x1b") == 2  # the message's own ESC is escaped, not passed through
    assert "\x1b[33mwarning\x1b[0m" in out[2]
    assert "\x1b[36minfo\x1b[0m" in out[5]


# --- json -------------------------------------------------------------------------------------


def test_json_document_round_trips() -> None:
    out = render("json", FINDINGS, ctx())
    assert "\x1b" not in out and out.endswith("}\n")
    doc = json.loads(out)
    assert list(doc) == ["version", "tool", "files", "summary", "findings"]
    assert doc["version"] == 1
    assert doc["tool"] == {"name": "tabletop", "version": "0.1.0"}
    assert doc["files"] == FILES
    assert doc["summary"] == {"errors": 1, "warnings": 1, "infos": 1}
    assert doc["findings"] == [f.to_dict() for f in FINDINGS]
    back = [
        Finding(d["path"], d["line"], d["column"], d["rule"], Severity(d["severity"]), d["message"], d.get("hint"))
        for d in doc["findings"]
    ]
    assert back == [ERR, Finding(**{**WARN.__dict__, "related": ()}), INFO]


def test_json_summary_counts_each_severity() -> None:
    doc = json.loads(render("json", [ERR, ERR, WARN, INFO, INFO, INFO], ctx()))
    assert doc["summary"] == {"errors": 2, "warnings": 1, "infos": 3}
    assert len(doc["findings"]) == 6
    assert json.loads(render("json", [], ctx()))["summary"] == {"errors": 0, "warnings": 0, "infos": 0}


# --- github -----------------------------------------------------------------------------------


def test_github_commands_escape_exactly() -> None:
    out = render("github", FINDINGS, ctx())
    assert out.splitlines() == [
        (
            "::error file=runbooks/db failover.yaml,line=2,col=12,title=unknown-need::"
            "needs [bold]x[/bold], 100%25 missing: see a,b%0Asecond line \\x1b[2J%0Ahint: add a step that provides x"
        ),
        "::warning file=runbooks/db failover.yaml,line=3,col=4,title=dead-end::<script>alert(1)</script> & \"q\"",
        "::notice file=scenarios/s1.yaml,line=1,col=1,title=long-step::step is long",
    ]
    assert render("github", [], ctx()) == ""


def test_github_properties_escape_colon_comma_percent_newline() -> None:
    f = Finding("a:b,c%d\re.yaml", 1, 2, "r,x:y", Severity.ERROR, "a:b,c\r\n")
    assert render("github", [f], ctx()) == (
        "::error file=a%3Ab%2Cc%25d%0De.yaml,line=1,col=2,title=r%2Cx%3Ay::a:b,c%0D%0A\n"
    )


# --- junit ------------------------------------------------------------------------------------


def test_junit_parses_counts_and_strips_illegal_characters() -> None:
    out = render("junit", FINDINGS, ctx(timestamp="2026-01-22T19:33:00"))
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert "\x1b" not in out
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and root.attrib == {}  # the schema allows no attributes on testsuites
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == FILES
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("2", "1"), ("1", "0"), ("1", "0")]
    assert [(s.get("id"), s.get("package"), s.get("hostname")) for s in suites] == [
        ("0", "tabletop.validate", "localhost"), ("1", "tabletop.validate", "localhost"),
        ("2", "tabletop.validate", "localhost")]
    assert {(s.get("timestamp"), s.get("time")) for s in suites} == {("2026-01-22T19:33:00", "0")}

    first, second = suites[0].findall("testcase")
    assert first.attrib == {"name": "unknown-need 2:12", "classname": "runbooks/db failover.yaml", "time": "0"}
    failure = first.find("failure")
    assert failure is not None
    assert failure.get("type") == "unknown-need"
    # Attributes keep newlines (as &#10;); ESC is gone, the rest of the text kept verbatim.
    assert failure.get("message") == "error: needs [bold]x[/bold], 100% missing: see a,b\nsecond line [2J"
    assert failure.text is not None and failure.text.endswith("[unknown-need]\nhint: add a step that provides x")
    assert second.find("failure") is None  # a warning passes, as validate does without --strict
    said = suites[0].find("system-out")
    assert said is not None and said.text == (
        'runbooks/db failover.yaml:3:4: warning: <script>alert(1)</script> & "q" [dead-end]')

    clean = suites[1].findall("testcase")
    assert len(clean) == 1 and clean[0].find("failure") is None
    info = suites[2].find("testcase")
    assert info is not None and len(info) == 0
    out_el = suites[2].find("system-out")
    assert out_el is not None and out_el.text == "scenarios/s1.yaml:1:1: info: step is long [long-step]"


def test_junit_warnings_fail_with_strict() -> None:
    root = ET.fromstring(render("junit", FINDINGS, ctx(strict=True)))
    assert [s.get("failures") for s in root.findall("testsuite")] == ["2", "0", "0"]
    warn = root.findall("testsuite")[0].findall("testcase")[1].find("failure")
    assert warn is not None and warn.get("message") == "warning: <script>alert(1)</script> & \"q\""


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("findings", [FINDINGS, [], [INFO]])
def test_junit_meets_the_junit_schema(strict: bool, findings: list[Finding]) -> None:
    from junit_schema import errors, xsd_errors

    out = render("junit", findings, ctx(strict=strict, timestamp="2026-01-22T19:33:00"))
    assert errors(out) == []
    assert xsd_errors(out) in (None, [])


def test_junit_adds_suite_for_unlisted_file_and_drops_nul() -> None:
    f = Finding("other\x00.yaml", 1, 1, "dead-end", Severity.WARNING, "bad\x07\x0bbell\ufffe")
    root = ET.fromstring(render("junit", [f], ctx(strict=True)))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == FILES + ["other.yaml"]
    failure = suites[-1].find("testcase/failure")
    assert failure is not None and failure.get("message") == "warning: badbell"
    assert [s.get("tests") for s in suites] == ["1", "1", "1", "1"] and suites[-1].get("failures") == "1"


# --- sarif ------------------------------------------------------------------------------------


def sarif_validator():  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    need_shared(SARIF_SCHEMA, "the SARIF 2.1.0 schema (../shared/external/sarif)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_official_schema() -> None:
    validator = sarif_validator()
    log = json.loads(render("sarif", FINDINGS, ctx()))
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == [], [e.message for e in errors]
    empty = json.loads(render("sarif", [], ctx()))
    assert list(validator.iter_errors(empty)) == []
    assert empty["runs"][0]["results"] == []


def test_sarif_content() -> None:
    log = json.loads(render("sarif", FINDINGS, ctx()))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("tabletop", "0.1.0")
    assert driver["informationUri"] == "https://github.com/tabletop-drills/tabletop"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["dead-end", "long-step", "unknown-need"]
    assert [r["defaultConfiguration"]["level"] for r in rules] == ["warning", "note", "error"]
    assert rules[2]["shortDescription"]["text"] == "A step needs something no step provides."

    results = run["results"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert [r["ruleIndex"] for r in results] == [2, 0, 1]
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    assert results[0]["message"]["text"] == (
        "needs [bold]x[/bold], 100% missing: see a,b\nsecond line \x1b[2J. add a step that provides x"
    )
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "runbooks/db%20failover.yaml", "uriBaseId": "%SRCROOT%", "index": 0}
    assert loc["region"] == {"startLine": 2, "startColumn": 12}
    assert [a["location"]["uri"] for a in run["artifacts"]] == [
        "runbooks/db%20failover.yaml", "runbooks/clean.yaml", "scenarios/s1.yaml",
    ]


def test_sarif_fingerprints_stable_and_distinct() -> None:
    def prints(findings: list[Finding]) -> list[str]:
        log = json.loads(render("sarif", findings, ctx()))
        return [r["partialFingerprints"]["tabletop/v1"] for r in log["runs"][0]["results"]]

    first = prints(FINDINGS)
    assert first == prints(FINDINGS)
    assert len(set(first)) == 3 and all(len(p) == 64 for p in first)
    moved = Finding(**{**ERR.__dict__, "line": 40, "column": 1})
    assert prints([moved])[0] == first[0]  # moving a finding keeps its fingerprint
    reworded = Finding(**{**ERR.__dict__, "message": "other"})
    assert prints([reworded])[0] != first[0]


def test_sarif_unknown_rule_has_no_rule_index() -> None:
    validator = sarif_validator()
    f = Finding("./a.yaml", 1, 1, "not-a-rule", Severity.ERROR, "m")
    log = json.loads(render("sarif", [f], ctx()))
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "not-a-rule" and "ruleIndex" not in result
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "a.yaml", "uriBaseId": "%SRCROOT%",
    }
    assert list(validator.iter_errors(log)) == []


def test_sarif_splits_runs_github_would_refuse() -> None:
    """26,001 findings: two runs of at most 25,000 results, errors first, each in its own category."""
    many = [Finding(f"runbooks/r{i % 7}.yaml", i % 90 + 1, 1, "dead-end", Severity.WARNING, f"w{i}")
            for i in range(26_000)] + [ERR]
    log = json.loads(render("sarif", many, ctx()))
    runs = log["runs"]
    assert [len(r["results"]) for r in runs] == [25_000, 1_001]
    assert runs[0]["results"][0]["level"] == "error"
    assert [r["automationDetails"]["id"] for r in runs] == ["tabletop/validate/part-1-of-2/",
                                                           "tabletop/validate/part-2-of-2/"]
    assert sum(len(r["results"]) for r in runs) == len(many)


def test_sarif_past_twenty_runs_says_what_it_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.formats import sarif

    monkeypatch.setattr(sarif, "RUN_LIMIT", 2)
    monkeypatch.setattr(sarif, "MAX_RUNS", 3)
    log = json.loads(render("sarif", [WARN] * 7 + [ERR], ctx()))
    assert [len(r["results"]) for r in log["runs"]] == [2, 2, 2]
    assert log["runs"][0]["results"][0]["level"] == "error"
    (notice,) = log["runs"][-1]["invocations"][0]["toolExecutionNotifications"]
    assert notice["message"]["text"].startswith("2 of 8 findings are left out")
    validator = sarif_validator()
    assert list(validator.iter_errors(log)) == []
