"""Scenario- and project-stage rules: unknown-runbook, inject-*, duplicate-id."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.findings import Finding, Severity
from engine.load import Document
from engine.model import Runbook, Scenario
from engine.rules import all_rules
from engine.rules import duplicate_id as duplicate_rule
from engine.rules.base import Project, Subject
from engine.validate import validate

RUNBOOK = """\
runbook: mail-outage
title: Keep mail flowing
services:
  mail-transport: Mail transport
roles:
  mail-admin: Owns mail routing
objectives:
  detect-fast: Detect within 15 minutes
steps:
  detect:
    title: Confirm the deferrals
    owner: mail-admin
    objectives: [detect-fast]
    requires: [mail-transport]
  route:
    title: Decide on rerouting
    owner: mail-admin
    needs: [detect]
    decision:
      question: Reroute?
      options:
        reroute: {next: [switch]}
        hold: {next: [watch]}
  switch: {title: Switch MX, owner: mail-admin}
  watch: {title: Watch queues, owner: mail-admin}
  call-back: {title: Call the customer back, owner: mail-admin, on: customer-escalation}
"""

SECOND = """\
runbook: console-loss
title: Work without the admin console
services:
  admin-portal: The admin portal
roles:
  identity-admin: Owns the tenant
objectives:
  know-status: Know the provider's status
steps:
  route:
    title: Decide where to administer from
    owner: identity-admin
    objectives: [know-status]
    requires: [admin-portal]
    decision:
      question: Where from?
      options:
        mobile: {next: [use-app]}
        shell: {next: [use-shell]}
  use-app: {title: Use the mobile app, owner: identity-admin}
  use-shell: {title: Use PowerShell, owner: identity-admin}
"""

SCENARIO = """\
scenario: mail-drill
title: A mail outage drill
runbooks: [mail-outage]
duration: 2h
injects:
  - id: first-deferrals
    at: T+0m
    services: {mail-transport: degraded}
    to: mail-admin
    say: Partners report deferrals.
    objectives: [detect-fast]
  - id: angry-customer
    after: {decision: route, option: hold}
    at: +30m
    event: customer-escalation
  - id: routed
    after: {step: route}
    at: +5m
    say: The routing call is made.
  - id: restored
    at: T+2h
    services: {mail-transport: up}
"""

MINE = {
    "unknown-runbook": Severity.ERROR,
    "inject-unknown-service": Severity.ERROR,
    "inject-unheard-event": Severity.WARNING,
    "inject-unknown-step": Severity.ERROR,
    "inject-unknown-option": Severity.ERROR,
    "inject-unknown-role": Severity.WARNING,
    "inject-unknown-objective": Severity.ERROR,
    "inject-timing": Severity.ERROR,
    "inject-order": Severity.WARNING,
    "inject-after-duration": Severity.WARNING,
    "inject-empty": Severity.WARNING,
    "duplicate-id": Severity.ERROR,
}


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **files: str) -> list[Finding]:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return validate(sorted(f"{name}.yaml" for name in files)).findings


def brief(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, f.hint or "") for f in findings]


def test_rules_are_registered_with_their_severity_and_stage() -> None:
    rules = all_rules()
    for rule_id, severity in MINE.items():
        assert rules[rule_id].severity is severity
        assert rules[rule_id].stage == ("project" if rule_id == "duplicate-id" else "scenario")
        assert rules[rule_id].doc and "\n" not in rules[rule_id].doc


def test_a_clean_scenario_with_its_runbook_has_no_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=SCENARIO) == []


def test_a_scenario_alone_reports_its_runbook_and_nothing_that_depends_on_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    findings = check(tmp_path, monkeypatch, scenario=SCENARIO)
    assert brief(findings) == [("unknown-runbook", 3, "validate the runbook files together with the scenario, "
                                                       "e.g. `tabletop validate runbooks scenarios`")]
    assert findings[0].message == ("scenario `mail-drill` names runbook `mail-outage`, which is not among the "
                                   "files checked")


def test_a_misspelt_runbook_gets_a_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIO.replace("runbooks: [mail-outage]", "runbooks: [mail-outgae]")
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=scenario)
    assert brief(findings) == [("unknown-runbook", 3, "did you mean `mail-outage`?")]


def test_references_resolve_across_all_named_runbooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIO.replace("runbooks: [mail-outage]", "runbooks: [mail-outage, console-loss]") + """\
  - id: console-dark
    at: T+2h
    services: {admin-portal: down}
    to: identity-admin
    objectives: [know-status]
  - id: went-mobile
    after: {decision: route, option: mobile}
    at: +5m
    say: The app works.
"""
    # `route` is a decision in both runbooks: the options of both count.
    assert check(tmp_path, monkeypatch, a=RUNBOOK, b=SECOND, scenario=scenario) == []


@pytest.mark.parametrize(("old", "new", "rule", "line", "hint"), [
    ("services: {mail-transport: degraded}", "services: {mail-transprot: degraded}", "inject-unknown-service", 8,
     "did you mean `mail-transport`?"),
    ("event: customer-escalation", "event: customer-escalatoin", "inject-unheard-event", 15,
     "did you mean `customer-escalation`?"),
    ("event: customer-escalation", "event: media-inquiry", "inject-unheard-event", 15,
     "add a step with `on: media-inquiry` to a runbook, or drop the event"),
    ("to: mail-admin", "to: mail-amdin", "inject-unknown-role", 9, "did you mean `mail-admin`?"),
    ("objectives: [detect-fast]", "objectives: [detect-fast, detect-slow]", "inject-unknown-objective", 11,
     "did you mean `detect-fast`?"),
    ("{decision: route, option: hold}", "{decision: rout, option: hold}", "inject-unknown-step", 13,
     "did you mean `route`?"),
    ("{decision: route, option: hold}", "{decision: detect, option: hold}", "inject-unknown-step", 13,
     "the decision steps are `route`; to wait for the step to be done, write `after: {step: detect}`"),
    ("{step: route}", "{step: rooute}", "inject-unknown-step", 17, "did you mean `route`?"),
    ("option: hold}", "option: hodl}", "inject-unknown-option", 13, "did you mean `hold`?"),
    ("option: hold}", "option: fail-over}", "inject-unknown-option", 13, "its options are `reroute`, `hold`"),
])
def test_each_broken_reference_is_reported_where_it_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, rule: str, line: int, hint: str) -> None:
    assert old in SCENARIO
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=SCENARIO.replace(old, new, 1))
    assert brief(findings) == [(rule, line, hint)]
    assert findings[0].message.startswith("inject `")


def test_an_unknown_decision_is_not_also_an_unknown_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIO.replace("{decision: route, option: hold}", "{decision: nowhere, option: nothing}")
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=scenario)
    assert [f.rule for f in findings] == ["inject-unknown-step"]


def test_findings_stay_on_their_line_when_the_schema_drops_an_inject(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIO.replace("injects:\n", "injects:\n  - just a string\n")
    scenario = scenario.replace("to: mail-admin", "to: nobody")
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=scenario)
    assert [(f.rule, f.line) for f in findings] == [("schema-type", 6), ("inject-unknown-role", 10)]


def test_timing_reads_what_the_file_wrote_not_what_survived_the_schema(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIO.replace("at: T+2h\n", "at: soon\n").replace("{decision: route, option: hold}",
                                                                   "{decision: Route, option: hold}")
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=scenario)
    assert [(f.rule, f.line) for f in findings] == [("schema-id", 13), ("schema-duration", 21)]


def test_only_the_first_slip_in_time_order_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIO + """\
  - id: late-one
    at: T+1h
    say: Out of order.
  - id: later-still
    at: T+30m
    say: Out of order too, but not reported again.
"""
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=scenario)
    assert brief(findings) == [("inject-order", 24, "keep scheduled injects in time order: move it before `restored`")]
    assert findings[0].message == "inject `late-one` at `T+1h` comes after inject `restored` at `T+2h` in the file"


def test_duration_bounds_only_scheduled_injects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    longer = SCENARIO.replace("at: +30m", "at: +5h")  # a contingency may run past the window
    assert check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=longer) == []
    shorter = SCENARIO.replace("duration: 2h", "duration: 1h30m")
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=shorter)
    assert brief(findings) == [("inject-after-duration", 21,
                                "lengthen `duration`, or move the inject into the exercise window")]
    assert "(`1h30m`)" in findings[0].message
    untimed = SCENARIO.replace("duration: 2h\n", "")
    assert check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=untimed) == []


# --- duplicate-id ------------------------------------------------------------------------------


def _subject(path: str, model: object, line: int) -> Subject:
    kind = "runbook" if isinstance(model, Runbook) else "scenario"
    doc = Document(path=path, kind=kind, values={(kind,): (line, 10)})
    return Subject(doc, model)


def _runbook(rid: str) -> Runbook:
    # model_construct skips validation, so an id the schema would reject (upper case) can be tried
    return Runbook.model_construct(runbook=rid, title="t", steps={})


def test_duplicate_ids_are_reported_at_the_later_path_whatever_the_input_order() -> None:
    first = _subject("runbooks/a.yaml", _runbook("mail-outage"), 2)
    second = _subject("runbooks/b.yaml", _runbook("Mail-Outage"), 3)
    for order in ([first, second], [second, first]):
        findings = list(duplicate_rule.check(Project(runbooks=order)))
        assert [(f.path, f.line) for f in findings] == [("runbooks/b.yaml", 3)]
        assert findings[0].message == ("runbook `Mail-Outage` has an id equal but for case (`mail-outage`) as "
                                       "another runbook")
        assert findings[0].hint == "the first is at runbooks/a.yaml:2; rename one of them"


def test_runbooks_and_scenarios_may_share_an_id() -> None:
    runbook = _subject("a.yaml", _runbook("mail-outage"), 1)
    scenario = _subject("b.yaml", Scenario.model_construct(scenario="mail-outage", title="t", runbooks=[],
                                                           injects=[]), 1)
    assert list(duplicate_rule.check(Project(runbooks=[runbook], scenarios=[scenario]))) == []


def test_duplicate_inject_ids_point_back_at_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIO.replace("id: restored", "id: routed")
    findings = check(tmp_path, monkeypatch, runbook=RUNBOOK, scenario=scenario)
    assert brief(findings) == [("duplicate-id", 20, "the first is at scenario.yaml:16; rename one of them")]
