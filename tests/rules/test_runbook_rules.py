"""Runbook-stage rules on small runbooks: what they say, where, and what they leave to other rules."""

from __future__ import annotations

import textwrap
from pathlib import Path

from engine.config import Config
from engine.findings import Finding
from engine.validate import validate


def check(tmp_path: Path, text: str) -> list[Finding]:
    path = tmp_path / "runbook.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return validate([str(path)], Config()).findings


def rules(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in findings]


def test_each_cycle_is_reported_once_with_its_path(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: two-loops
        title: Two loops
        steps:
          a: {title: A, needs: [c]}
          b: {title: B, needs: [a]}
          c: {title: C, needs: [b]}
          d: {title: D, needs: [d]}
    """)
    assert rules(found) == [("cycle", 4), ("cycle", 7)]
    assert found[0].message == "steps `a`, `b` and `c` wait for or open each other: `a -> b -> c -> a`"
    assert found[0].related == ("`b` needs `a`", "`c` needs `b`", "`a` needs `c`")
    assert found[1].message == "step `d` waits for or opens itself: `d -> d`"


def test_a_cycle_through_a_decision_names_the_option(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: retry-loop
        title: Retry loop
        steps:
          start: {title: Start}
          assess:
            title: Assess
            needs: [start, retry]
            decision:
              question: Again?
              options:
                again: {next: [retry]}
                stop: {next: [done]}
          retry: {title: Retry}
          done: {title: Done}
    """)
    assert rules(found) == [("cycle", 5)]
    assert found[0].related == ("option `again` of `assess` opens `retry`", "`assess` needs `retry`")


def test_a_dead_end_on_every_path_says_so_and_later_steps_are_not_repeated(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: stuck
        title: Stuck
        services:
          crm: CRM
        steps:
          escalation:
            title: Escalation
            on: customer-escalation
            requires: [crm]
            fallback: phone-tree
          phone-tree: {title: Phone tree}
          confirm: {title: Confirm, needs: [phone-tree]}
          close-out: {title: Close out, needs: [confirm]}
    """)
    assert rules(found) == [("dead-end", 12)]
    assert found[0].message == "on every path, step `confirm` waits forever for `phone-tree`"
    assert "`escalation`" in (found[0].hint or "")


def test_a_step_stuck_only_on_an_event_branch_is_left_to_needs_on_event(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: event-need
        title: Event need
        steps:
          escalation: {title: Escalation, on: customer-escalation}
          close-out: {title: Close out, needs: [escalation]}
          after: {title: After, needs: [close-out]}
    """)
    assert rules(found) == [("needs-on-event", 5)]


def test_path_rules_stay_quiet_on_a_runbook_with_a_cycle(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: loop-and-join
        title: Loop and join
        steps:
          decide:
            title: Decide
            decision:
              question: Which?
              options:
                a: {next: [branch-a]}
                b: {next: [branch-b]}
          branch-a: {title: A}
          branch-b: {title: B}
          join: {title: Join, needs: [branch-a]}
          x: {title: X, needs: [y]}
          y: {title: Y, needs: [x]}
    """)
    assert rules(found) == [("cycle", 14)]


def test_a_join_on_a_fallback_alone_is_skippable_on_every_path(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: fallback-join
        title: Fallback join
        services:
          admin-center: Admin center
        steps:
          read-health: {title: Read health, requires: [admin-center], fallback: out-of-band}
          out-of-band: {title: Out of band}
          report: {title: Report, needs: [out-of-band]}
          summary: {title: Summary, needs: [out-of-band, read-health]}
    """)
    assert rules(found) == [("join-all-skippable", 8)]
    assert found[0].message.startswith("on every path, `out-of-band`, the only step that `report` needs is skipped")


def test_a_join_over_both_branches_of_a_decision_is_fine(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: good-join
        title: Good join
        steps:
          decide:
            title: Decide
            decision:
              question: Which?
              options:
                a: {next: [branch-a]}
                b: {next: [branch-b]}
          branch-a: {title: A}
          branch-b: {title: B}
          join: {title: Join, needs: [branch-a, branch-b]}
    """)
    assert found == []


def test_event_branches_and_live_fallbacks_are_reachable(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: reachable
        title: Reachable
        services:
          crm: CRM
        steps:
          start: {title: Start}
          escalation:
            title: Escalation
            on: customer-escalation
            requires: [crm]
            fallback: phone-tree
          phone-tree:
            title: Phone tree
            decision:
              question: Reached them?
              options:
                yes: {next: [log-call]}
                no: {next: [send-letter]}
          log-call: {title: Log the call}
          send-letter: {title: Send a letter}
    """)
    assert found == []


def test_unknown_references_hint_only_when_something_is_close(tmp_path: Path) -> None:
    found = check(tmp_path, """\
        runbook: refs
        title: Refs
        steps:
          detect: {title: Detect}
          close-out: {title: Close out, needs: [detect, dettect, zebra]}
    """)
    assert rules(found) == [("unknown-need", 5), ("unknown-need", 5)]
    hints = {f.message.split("`")[3]: f.hint for f in found}
    assert hints == {"dettect": "did you mean `detect`?", "zebra": None}
