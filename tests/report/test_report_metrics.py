"""Figures in the report, checked against what the golden drill (tests/report/report_drills.py) did."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.report.builder import build_report

DATA = Path(__file__).resolve().parent / "data"
M, A, S = "inbound-mail-continuity/", "admin-console-loss/", "security-telemetry-gap/"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return build_report(str(DATA / "golden.jsonl"), roots=[str(DATA / "files")])


def test_executive_summary_figures(report) -> None:  # type: ignore[no-untyped-def]
    f = report.figures
    assert (f.scenario_start_t, f.scenario_end_t) == (0.0, 11 * 3600.0)
    assert (f.pauses, f.paused_seconds) == (1, 15 * 60.0)
    assert (f.jumps, f.jumped_seconds) == (1, (595 - 485) * 60.0)
    assert (f.injects_planned, f.injects_fired, f.injects_not_fired) == (21, 20, ["relay-spool-alarm"])
    assert (f.decisions, f.decisions_by_default) == (2, 1)
    assert (f.steps_total, f.steps_skipped_by_facilitator, f.steps_not_taken) == (47, 2, 4)
    assert f.ratings == {"P": 3, "S": 6, "M": 1, "U": 1} and f.objectives_rated == 11
    assert (f.improvements, f.improvements_without_owner) == (7, 1)


def test_time_taken_leaves_out_time_blocked_by_an_outage(report) -> None:  # type: ignore[no-untyped-def]
    case = report.step(A + "open-support-case")
    # started T+0:10, blocked T+0:25 to T+6:00 while the admin center was down, done T+6:08
    assert (case.started_t, case.done_t) == (600.0, 22080.0)
    assert case.held == [[1500.0, 21600.0]]
    assert case.taken == (22080 - 600) - (21600 - 1500)
    assert case.over_target == case.taken - 20 * 60


def test_blocked_while_waiting_is_not_counted_as_held(report) -> None:  # type: ignore[no-untyped-def]
    gap = report.step(S + "close-gap")
    assert gap.blocked == [[2700.0, 36000.0]]  # the portals went dark at T+0:45, back at T+10:00
    # Held only while everything it needs was resolved: from T+2:50 (extra watch done) to T+10:00. The
    # Defender queue coming back at T+7:30 does not send it back to waiting: the SIEM pull had stood in.
    assert gap.held == [[10200.0, 36000.0]]


def test_critical_path_as_played_follows_the_latest_predecessor_and_the_decision(report) -> None:  # type: ignore[no-untyped-def]
    mail = next(p for p in report.metrics.critical_paths if p.runbook == "inbound-mail-continuity")
    assert [h.key.split("/")[1] for h in mail.hops] == [
        "detect-deferrals", "check-gateway-queues", "size-impact", "failover-decision", "watch-queues",
        "confirm-recovery"]
    assert [h.via for h in mail.hops] == ["needs", "needs", "needs", "decision", "needs", ""]
    drill = [p for p in report.metrics.critical_paths if p.drill]
    assert len(drill) == 1 and drill[0].end_t == max(p.end_t for p in report.metrics.critical_paths)


def test_longest_waits_are_ready_to_picked_up(report) -> None:  # type: ignore[no-untyped-def]
    first = report.metrics.longest_waits[0]
    assert first.key == A + "verify-restoration"
    # ready at T+6:00, when the admin center came back: open-support-case (done T+6:08) had been covered
    # by its fallback, so it no longer holds this step up
    assert (first.ready_t, first.picked_t) == (6 * 3600.0, 10 * 3600 + 60.0)
    waits = [w.wait for w in report.metrics.longest_waits]
    assert waits == sorted(waits, reverse=True)


def test_steps_never_exercised_and_branches_never_taken(report) -> None:  # type: ignore[no-untyped-def]
    never = {s.key: s for s in report.not_exercised}
    assert never[M + "switch-mx"].reason.startswith("branch not taken")
    assert never[A + "urgent-admin-change"].reason.startswith("skipped by the facilitator")
    assert never[A + "close-admin-incident"].status == "ready"
    assert never[S + "report-gap"].reason.startswith("still waiting for")
    assert A + "read-service-health" not in never  # it was started before it was skipped
    options = {(b.source, b.option) for b in report.branches_not_taken if b.kind == "option"}
    assert options == {(M + "failover-decision", "fail-over"), (S + "posture-decision", "accept-gap")}


def test_decisions_say_when_play_took_the_default(report) -> None:  # type: ignore[no-untyped-def]
    by_step = {d.step: d for d in report.decisions}
    assert not by_step[M + "failover-decision"].by_default
    assert by_step[M + "failover-decision"].by == "Priya Natarajan"
    assert by_step[S + "posture-decision"].by_default


def test_notes_land_with_their_objectives_runbooks_or_the_general_list(report) -> None:  # type: ignore[no-untyped-def]
    mail = next(a for a in report.analysis if a.id == "inbound-mail-continuity")
    detect = next(o for o in mail.objectives if o.id == "detect-externally")
    assert [n.kind for n in detect.strengths] == ["strength"] and detect.rating == "P"
    assert any("ticket template" in n.text for n in mail.other_notes)  # its step serves no objective
    assert any("clock jump" in n.text for n in report.general_notes)  # tied to no step
    unowned = [i for i in report.improvement_plan if not i.owner]
    assert [i.number for i in unowned] == [2]


def test_timeline_has_both_times_and_step_transitions(report) -> None:  # type: ignore[no-untyped-def]
    kinds = {(e.kind, e.what) for e in report.timeline}
    assert {("inject", "fired"), ("service", "changed"), ("decision", "made"), ("step", "started"),
            ("step", "done"), ("step", "blocked"), ("step", "unblocked"), ("step", "opened"),
            ("step", "skipped"), ("clock", "paused"), ("clock", "jumped")} <= kinds
    blocked = next(e for e in report.timeline if e.what == "blocked")
    assert blocked.detail == "admin-center down"
    seqs = [e.seq for e in report.timeline]
    assert seqs == sorted(seqs)
