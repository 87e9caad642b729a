"""Every reader of a drill log, asked in turn, must tell the story the fold tells (engine.drill.state via the
replay): the report JSON, readiness JSON, coverage, plan status, `log show`, the participant view, and a
resume from any prefix of the log. Not a test module: the robot (test_robot.py) and the fault tests call
`agree` with the live drill and the log it wrote.

Each reader is reached through its public entry: the report builder, and the `tabletop` command run in
this process for the rest, so the checks survive a rewrite of the code behind them.
"""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from robotdraw import SECRET
from robotkit import TODAY

from engine.cli import main
from engine.drill import events as ev
from engine.drill.clock import FakeClock
from engine.drill.log import read_log
from engine.drill.plan import Plan
from engine.drill.replay import replay
from engine.drill.session import Drill
from engine.drill.state import DrillState, StepStatus
from engine.report.builder import build_report
from engine.room import views

T_RESUME = datetime(2027, 1, 1, tzinfo=UTC)  # when a resume from a prefix happens: later than any event


def light(state: DrillState) -> dict[str, Any]:
    """What the fold knows after an event, as plain values a later replay is compared with."""
    return {
        "seq": state.seq, "t": state.t, "running": state.running, "ended": state.ended,
        "statuses": {k: s.value for k, s in state.statuses().items()},
        "steps": {k: (r.started_t, r.done_t, r.skipped_t, r.skipped_by) for k, r in state.steps.items()},
        "decisions": {k: (d.option, d.fell_to_default) for k, d in state.decisions.items()},
        "ready": dict(state.ready_t),  # the countdowns of timed decisions
        "fired": sorted(state.fired), "withdrawn": sorted(state.withdrawn), "services": dict(state.services),
        "notes": [(n.seq, state.note_text(n.seq)) for n in state.notes], "withdrawn notes": state.withdrawn_notes(),
        "ratings": {k: r.rating for k, r in state.ratings.items()}, "hotwash": list(state.hotwash),
        "summaries": [(s.seq, state.summary_text(s.seq)) for s in state.summaries],
        "corrections": len(state.corrections), "feedback": len(state.feedback),
        "attendance": [(a.seat, a.name, a.role, a.joined_t, a.left_t) for a in state.attendance],
        "polls": [(p.poll, p.options, dict(p.answers), p.revealed_t, p.closed_t, p.tally)
                  for p in state.polls.values()],
        "proposals": [(p.seq, p.seat, p.name, p.step, p.option, p.module, p.text, p.taken_t)
                      for p in state.proposals],
        "cited": {k: d.poll for k, d in state.decisions.items()},
    }


def cli(*args: str) -> tuple[int, str, str]:
    """`tabletop ARGS` run in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def public_leaks(seen: Any, state: DrillState) -> list[str]:
    """What the participant seat must never be shown, found in `seen` (a view or a streamed event): the
    marked secrets (notes, an inject's `expect`, a question's prompts and points), an `expect` or
    `prompts` field, an unfired inject."""
    text = json.dumps(seen, ensure_ascii=False)
    out = [f"the secret marker {SECRET!r}"] if SECRET in text else []
    for inject in state.plan.injects:
        if inject.expect and inject.expect in text:
            out.append(f"the expect of {inject.id}")
        if inject.id not in state.fired and inject.say and inject.say in text:
            out.append(f"the words of {inject.id}, which has not fired")
    for module in state.plan.scenario.modules:
        for question in module.questions:
            out += [f"a prompt of {question.id}" for p in question.prompts or () if p in text]
            out += [f"an expected point of {question.id}" for p in question.expect or () if p in text]
    out += [f"note {n.seq}" for n in state.notes if n.text in text]
    out += [f"a field {name!r}" for name in ("expect", "prompts") if f'"{name}"' in text]
    return out


def check_public(state: DrillState, now_t: float, event: ev.Event | None = None) -> dict[str, Any] | None:
    """The participant page now, and (given) the streamed line of `event` just applied, leak nothing; returns
    that line."""
    page = views.participant(state, now_t)
    assert not public_leaks(page, state), public_leaks(page, state)
    shown = {page["current"]["id"]} if page["current"] else set()
    shown |= {i["id"] for i in page["earlier"]}
    assert shown <= set(state.fired), f"the room shows injects that have not fired: {shown - set(state.fired)}"
    if event is not None:
        line = views.public_event(event, state)
        assert not public_leaks(line, state), (event.type, public_leaks(line, state))
        if line["kind"] == "other":
            assert set(line) == {"seq", "kind"}, f"{event.type} tells the room more than its seq: {line}"
        return line
    return None


def check_evaluator(state: DrillState, now_t: float) -> None:
    """The evaluator seat's observations are the notes that stand, newest first, each as last amended."""
    page = views.evaluator(state, now_t)
    gone = state.withdrawn_notes()
    standing = [n for n in reversed(state.notes) if n.seq not in gone]
    assert [n["text"] for n in page["notes"]] == [state.note_text(n.seq) for n in standing], "evaluator notes"
    counted = {o["key"]: o["notes"] for o in page["objectives"]}
    assert counted == {k: sum(n.objective == k for n in standing) for k in state.plan.objectives}


def agree(project: Path, plan: Plan, state: DrillState, log: Path, snapshots: dict[int, dict[str, Any]],
          module_starts: dict[str, float] | None, told: dict[int, dict[str, Any]] | None = None) -> None:
    """Every reader of `log` (in `project`, the current folder) tells the fold's story (`state`, the live
    drill's). snapshots: seq -> light(state) just after that event, as the drill ran; module_starts: module
    id -> when the console first showed it under way (None: not checked); told: seq -> what the room's
    stream told the participants of that event as it happened (views.public_event)."""
    assert Path.cwd().resolve() == project.resolve(), "the readers find the files the log names from the project"
    read = read_log(str(log))
    assert read.ok, read.problem
    assert len(read.events) == state.seq + 1
    check_report(plan, state, log, module_starts)
    check_step_times(state, log)
    check_log_show(state, log)
    check_readiness(plan, state, log.parent)
    check_coverage(plan, state, log.parent)
    check_plan_status(state, log)
    check_prefixes(plan, log, snapshots)
    if told is not None:
        check_room_catch_up(plan, log, told)


def check_room_catch_up(plan: Plan, log: Path, told: dict[int, dict[str, Any]]) -> None:
    """A room started on the log (after a crash, or a browser that joins late) tells every past event as the
    live stream told it."""
    from engine.room.stream import Hub

    copy = log.with_name("room.jsonl")
    shutil.copyfile(log, copy)
    drill = Drill.resume(plan, str(copy), FakeClock(T_RESUME))
    try:
        hub = Hub(drill)
        for seq, line in told.items():
            assert hub.payloads[seq] == line, (seq, "caught up, told live", hub.payloads[seq], line)
        hub.close()
    finally:
        drill.close()
        copy.unlink()


def check_report(plan: Plan, state: DrillState, log: Path, module_starts: dict[str, float] | None) -> None:
    report = json.loads(build_report(str(log)).to_json())
    notices = [n["text"] for n in report["notices"] if n["level"] != "info"]
    assert not notices, notices
    assert report["source"]["plan_from"] == "files" and report["verification"]["ok"]
    assert report["verification"]["events_applied"] == state.seq + 1
    figures, statuses = report["figures"], state.statuses()
    count = sum(1 for s in statuses.values() if s is StepStatus.DONE)
    assert figures["steps_done"] == count, ("steps done", figures["steps_done"], count)
    assert figures["decisions"] == len(state.decisions)
    assert figures["injects_not_fired"] == [i.id for i in plan.injects if i.id not in state.fired]
    assert figures["objectives_rated"] == len(state.ratings)
    live_notes = [n for n in state.notes if n.seq not in state.withdrawn_notes()]
    for kind, name in (("improvement", "improvements"), ("strength", "strengths"), ("observation", "observations")):
        assert figures[name] == sum(1 for n in live_notes if n.kind == kind), (name, figures[name])
    standing = [state.note_text(n.seq) for n in live_notes if n.kind == "improvement"]
    assert [i["issue"] for i in report["improvement_plan"]] == standing, "the improvement plan"
    for step in report["steps"]:
        record, key = state.steps[step["key"]], step["key"]
        assert step["status"] == statuses[key].value, (key, step["status"], statuses[key])
        assert (step["done_t"], step["skipped_t"]) == (record.done_t, record.skipped_t), key
        # the report's start is when the step was first at work: a reopened step's first interval (or, when it
        # was done without a step.started, the start of its second, the first timed one), never another time
        starts = [begin for begin, _ in record.intervals()]
        assert step["started_t"] in (None, *starts[:2]), (key, step["started_t"], starts)
        if step["taken"] is not None:
            assert step["taken"] >= 0, (key, step["taken"])
    decided = {d["step"]: d["option"] for d in report["decisions"]}
    assert decided == {k: d.option for k, d in state.decisions.items()}
    for d in report["decisions"]:  # a timed decision's countdown started where the fold says; latency never < 0
        assert d["ready_t"] == state.ready_t.get(d["step"], d["ready_t"]), (d["step"], d["ready_t"], state.ready_t)
        assert d["latency"] is None or d["latency"] >= 0, (d["step"], d["latency"])
        fell = d["fell_to_default"] and d["within"] is not None and d["latency"] + 1e-6 >= d["within"]
        assert fell == d["fell_to_default"], ("a default taken before its time", d)
    assert [c["seq"] for c in report.get("corrections", [])] == [c.seq for c in state.corrections]
    assert [(h["question"], h["answer"]) for h in report["hotwash"]] == [(q, a) for q, a, _ in state.hotwash]
    assert {a["id"] for a in report.get("adhoc_injects", [])} == set(state.adhoc)
    assert [(a["seat"], a["name"], a["role"], a["joined"], a["left"]) for a in report.get("attendance", [])] == \
        [(a.seat, a.name, a.role, a.joined_t, a.left_t) for a in state.attendance], "the attendance sheet"
    assert [(p["poll"], p["options"], p["tally"], p["answered"], p["closed"], p["cited_by"])
            for p in report.get("polls", [])] == [
        (p.poll, list(p.options), p.tally if p.tally is not None else p.count(), len(p.answers), p.closed_t,
         [d.step for d in state.decisions.values() if d.poll == p.poll]) for p in state.polls.values()], "the polls"
    assert [(p["name"], p["text"], p["taken"]) for p in report.get("proposals", [])] == \
        [(p.name, p.text, p.taken_t) for p in state.proposals], "the proposals"
    said = {(m["id"], q["id"]): [s["text"] for s in q["summaries"]] for m in report["modules"] for q in m["questions"]}
    withdrawn = state.withdrawn_summaries()
    for (module, question), texts in said.items():
        assert texts == [state.summary_text(s.seq) for s in state.summaries
                         if (s.module, s.question) == (module, question) and s.seq not in withdrawn]
    if module_starts is not None:
        began = {m["id"]: m["started_t"] for m in report["modules"] if m["started_t"] is not None}
        assert began == module_starts, ("module starts: report, console", began, module_starts)


def check_step_times(state: DrillState, log: Path, *, known: bool = True) -> None:
    """The time each step done took, as plan status reads it (engine.readiness.drills.summarize: "done in
    12m, within its 15m target") and as the report shows it; `known`: except where a known fault (KNOWN)
    makes them differ."""
    from engine.readiness.drills import summarize

    if known and readiness_loses(state):  # the summary stops at the event its plan made from the log refuses
        return
    steps = [s for s in json.loads(build_report(str(log)).to_json())["steps"] if s["status"] == "done"]
    summary = summarize(str(log)).steps
    reopened = {c.subject for c in state.corrections if c.kind == ev.STEP_REOPENED}
    for step in steps:
        key = step["key"]
        if known and ((key in reopened and "step times: reopened" in KNOWN)
                      or (step["blocked"] and "step times: blocked" in KNOWN)):
            continue
        assert key in summary, f"plan status does not know that {key} was done"
        assert summary[key][0] == step["taken"], (key, "plan status, report", summary[key][0], step["taken"])
    undone = set(summary) - {s["key"] for s in steps} - (reopened if known and "step times: reopened" in KNOWN
                                                         else set())
    assert not undone, f"plan status counts steps done that the fold does not: {sorted(undone)}"


def check_log_show(state: DrillState, log: Path) -> None:
    """`log verify` says the log is whole and fits the files; `log show` prints one line per event."""
    code, out, err = cli("log", "verify", str(log))
    assert code == 0, (out, err)
    code, out, err = cli("log", "show", str(log))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == state.seq + 1
    for line, event in zip(lines, read_log(str(log)).events, strict=True):
        assert event.type in line, (event.type, line)


# Disagreements known on main, each a strict xfail test in test_robot_faults.py: the robot leaves the reader
# alone when a drill has one, until the fix is merged (then the coordinator empties the entry).
KNOWN: set[str] = set()  # empty since issue 20 fixed them; a new known fault is named here with its test


def readiness_loses(state: DrillState) -> list[str]:
    """The known faults (KNOWN) this drill would meet in readiness."""
    out = []
    revisions = [c for c in state.corrections if c.kind == ev.DECISION_REVISED]
    made: dict[str, str] = {}
    for c in revisions:  # the option first chosen is what the first revision of that decision changed
        made.setdefault(c.subject, c.old)
    if any(c.new != made[c.subject] for c in revisions):
        out.append("readiness: a revision to an option never chosen first")
    if state.summaries:
        out.append("readiness: a discussion summary")
    return [f for f in out if f in KNOWN]


def check_readiness(plan: Plan, state: DrillState, logs: Path, *, known: bool = True) -> None:
    """Readiness counts the drill live, for each of its runbooks, with its ratings; `known`: unless the drill
    meets a known fault (KNOWN)."""
    code, out, err = cli("readiness", "--logs", str(logs), "--no-cache", "--format", "json", "--today", TODAY,
                         "--runbooks", "runbooks", "--scenarios", "scenarios", "--improvements", "improvements")
    assert code in (0, 1), err
    view = json.loads(out)
    if known and readiness_loses(state):
        return
    assert view["logs"]["read"] == 1 and view["logs"]["live"] == 1, view["logs"]
    assert not view["logs"]["not_counted"], view["logs"]["not_counted"]
    mine = {rb.runbook for rb in plan.runbooks}
    for row in view["runbooks"]:
        if row["id"] in mine:
            assert row["live_drills"] == 1 and not row["never_drilled_live"], row
    (drilled,) = view["drills"]
    assert drilled["attendance"] == [{"name": a.name, "role": a.role, "joined": a.joined_t, "left": a.left_t}
                                     for a in state.attendance], "readiness: the attendance"
    rated = {o["key"]: [r["rating"] for r in o["ratings"]] for o in view["objectives"]}
    for key in plan.objectives:
        expected = [state.ratings[key].rating] if key in state.ratings else []
        assert rated.get(key, []) == expected, (key, rated.get(key), expected)


def check_coverage(plan: Plan, state: DrillState, logs: Path) -> None:
    scenario = plan.scenario_file.path
    code, out, err = cli("coverage", "--logs", str(logs), "--format", "json", "runbooks", scenario)
    assert code == 0, err
    coverage = json.loads(out)
    (info,) = coverage["logs"]
    assert info["used"] and not info["problems"], info
    drilled = {i["key"] for i in coverage["items"] if i["last_drilled"]}
    options = {k.removeprefix("option:") for k in drilled if k.startswith("option:")}
    assert options == {f"{k}={d.option}" for k, d in state.decisions.items()}, ("options", options)
    steps = {k.removeprefix("step:") for k in drilled if k.startswith("step:")}
    done = {k for k, s in state.statuses().items() if s is StepStatus.DONE}
    assert steps == done, ("steps drilled: coverage, fold", sorted(steps), sorted(done))


def check_plan_status(state: DrillState, log: Path) -> None:
    improvements = Path("improvements")
    shutil.rmtree(improvements)
    improvements.mkdir()
    code, out, err = cli("plan", "add", str(log), "--to", str(improvements))
    assert code == 0, err
    code, out, err = cli("plan", "status", "--format", "json", "--logs", str(log.parent), "--no-cache",
                         "--today", TODAY, "--runbooks", "runbooks", "--improvements", str(improvements))
    assert code == 0, err
    items = json.loads(out)["items"]
    standing = [n for n in state.notes if n.kind == "improvement" and n.seq not in state.withdrawn_notes()]
    assert len(items) == len(standing), ("plan items, areas for improvement", len(items), len(standing))
    day = read_log(str(log)).events[0].wall[:10]
    assert all(i["opened"] == day for i in items), ("each item opened the day of its drill", day, items)


def check_prefixes(plan: Plan, log: Path, snapshots: dict[int, dict[str, Any]]) -> None:
    """The fold of every prefix of the log is the state the drill had then; a resume from a few of them
    picks the drill up there."""
    lines = log.read_bytes().splitlines(keepends=True)
    cut = log.with_name("prefix.jsonl")
    for n in range(1, len(lines) + 1):
        cut.write_bytes(b"".join(lines[:n]))
        assert light(replay(plan, read_log(str(cut)))) == snapshots[n - 1], f"the fold of the first {n} lines"
        if n in (1, len(lines) // 2, len(lines)):
            resumed = Drill.resume(plan, str(cut), FakeClock(T_RESUME))
            try:
                got, was = light(resumed.state), snapshots[n - 1]
                assert got["statuses"] == was["statuses"] and got["decisions"] == was["decisions"]
                assert got["fired"] == was["fired"] and not got["running"]
            finally:
                resumed.close()
    cut.unlink()


