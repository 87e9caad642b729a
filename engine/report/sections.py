"""The sections of the report, each computed from the folded log and the plan.

Nothing here reads a file or a clock: `builder` hands in the plan (from the
runbook files, or the stand-in made from the log) and the fold.
"""

from __future__ import annotations

from typing import Any

from engine.drill import events as ev
from engine.drill import replay
from engine.drill.clock import parse_wall
from engine.drill.plan import Plan, PlanStep
from engine.drill.replay import Played
from engine.drill.state import DrillState, StepStatus
from engine.report import model as m

# How headless play marks a decision nobody made (engine/drill/play.py DEFAULT_RATIONALE starts so).
DEFAULT_DECISION = "first option taken by default"


def title_of(plan: Plan, key: str) -> str:
    step = plan.steps.get(key)
    return step.title if step else key


def wall_of(played: Played, seq: int) -> str:
    """The wall time of a note or decision (engine.drill.replay.Played.wall_of)."""
    return played.wall_of(seq)


# ----- overview and notes -----


def overview(plan: Plan, played: Played, runbooks: list[m.RunbookRef]) -> m.Overview:
    state, first, last = played.state, played.first, played.last
    assert first is not None and last is not None  # a report is made of a log with events
    info = state.start_info
    roles: dict[str, str] = {}
    for rb in plan.runbooks:
        for role, text in rb.roles.items():
            roles.setdefault(role, text)
    participants = [m.Participant(str(role), str(name), roles.get(str(role)))
                    for role, name in state.participants.items()]
    scenario = plan.scenario
    return m.Overview(
        scenario_id=scenario.scenario, scenario_title=scenario.title, scenario_summary=scenario.summary,
        anchor=scenario.anchor, planned_duration=scenario.duration, runbooks=runbooks,
        mode=str(info["mode"]) if info.get("mode") else None,
        facilitator=str(state.facilitator) if state.facilitator else None, participants=participants,
        date=first.wall[:10], started_wall=first.wall, last_wall=last.wall,
        ended=state.ended, end_reason=str(state.end_reason) if state.end_reason else None,
    )


def notes(plan: Plan, played: Played) -> list[m.NoteItem]:
    """The notes that stand, in log order, each with its text as last amended; a withdrawn note is left out
    (the corrections section says what changed), as a withdrawn discussion summary is."""
    state = played.state
    withdrawn = state.withdrawn_notes()
    return [m.NoteItem(seq=n.seq, t=n.t, wall=wall_of(played, n.seq), kind=n.kind, text=state.note_text(n.seq),
                       by=n.by, step=n.step, step_title=title_of(plan, n.step) if n.step else None, action=n.action,
                       element=n.element, owner=n.owner, due=n.due)
            for n in state.notes if n.seq not in withdrawn]


# ----- steps and their metrics -----


def step_metrics(plan: Plan, played: Played) -> list[m.StepMetrics]:
    state = played.state
    out = []
    for key, step in plan.steps.items():
        record, track = state.steps[key], played.tracks[key]
        worked = replay.worked(record, track)  # every interval at work, a reopened step's too
        started = worked[0][0] if worked else None
        picked = started if started is not None else record.done_t
        taken = replay.time_at_work(record, track)  # less time blocked by an outage; plan status reads the same
        out.append(m.StepMetrics(
            key=key, runbook=step.runbook, id=step.id, title=step.title, owner=step.owner, target=step.target,
            status=str(state.status(key)), branch=step.branch, opened_t=record.opened_t, ready_t=track.ready_t,
            started_t=started, done_t=record.done_t, skipped_t=record.skipped_t, skip_reason=record.skip_reason,
            skipped_by=record.skipped_by, blocked=[list(b) for b in track.blocked],
            held=[list(h) for h in track.held], taken=taken,
            intervals=[list(i) for i in worked] if len(worked) > 1 else [],
            over_target=taken - step.target if taken is not None and step.target is not None else None,
            wait=picked - track.ready_t if picked is not None and track.ready_t is not None else None,
            checklist_done=len(record.ticks), checklist_total=len(step.do), objectives=list(step.objectives),
        ))
    return out


def metrics(plan: Plan, played: Played, steps: list[m.StepMetrics], runbooks: list[m.RunbookRef]) -> m.Metrics:
    waits = [m.WaitItem(s.key, s.title, s.ready_t, s.ready_t + s.wait, s.wait)
             for s in steps if s.wait and s.ready_t is not None]
    waits.sort(key=lambda w: -w.wait)  # stable: ties keep runbook order
    over = sorted((s for s in steps if s.over_target is not None and s.over_target > 0),
                  key=lambda s: -(s.over_target or 0))
    by_key = {s.key: s for s in steps}
    paths = [p for rb in runbooks if (p := critical_path(plan, played.state, by_key, rb)) is not None]
    if paths:
        last = max(paths, key=lambda p: p.end_t or 0)
        last.drill = True
    return m.Metrics(longest_waits=waits[:5], over_target=[s.key for s in over], critical_paths=paths)


def critical_path(plan: Plan, state: DrillState, steps: dict[str, m.StepMetrics],
                  runbook: m.RunbookRef) -> m.CriticalPath | None:
    """The chain ending at the runbook's last step to finish; each hop takes the predecessor that finished
    last. A branch step with nothing before it hops on to the decision that opened it."""
    done = [k for k, s in plan.steps.items() if s.runbook == runbook.id and state.steps[k].done_t is not None]
    if not done:
        return None
    order = list(plan.steps)
    key = max(done, key=lambda k: (state.steps[k].done_t, order.index(k)))
    chain: list[tuple[str, str]] = [(key, "")]
    seen = {key}
    while True:
        hop = _previous(plan, state, key, order)
        if hop is None or hop[0] in seen:
            break
        key = hop[0]
        seen.add(key)
        chain.append(hop)
    hops = []
    for key, via in reversed(chain):
        s = steps[key]
        hops.append(m.PathHop(key, s.title, s.started_t, s.done_t if s.done_t is not None else s.skipped_t,
                              s.taken, via))
    first = steps[hops[0].key]
    begin = next((t for t in (first.started_t, first.ready_t, first.done_t) if t is not None), None)
    return m.CriticalPath(runbook.id, runbook.title, hops, begin, hops[-1].done_t, False)


def _previous(plan: Plan, state: DrillState, key: str, order: list[str]) -> tuple[str, str] | None:
    step = plan.steps[key]
    candidates = []
    for need in step.needs:
        finished, via, through = _finish(plan, state, need)
        if finished is not None:
            candidates.append((finished, state.steps[through].done_t is not None, -order.index(through),
                               through, via))
    if candidates:
        best = max(candidates)
        return best[3], best[4]
    for opener in step.openers:
        decision = state.decisions.get(opener.source) if opener.kind == "next" else None
        if decision is not None and decision.option == opener.option:
            return opener.source, "decision"
    return None


def _finish(plan: Plan, state: DrillState, key: str) -> tuple[float | None, str, str]:
    """When a needed step stopped holding things up, the step that did it, and how."""
    record = state.steps[key]
    if record.done_t is not None:
        return record.done_t, "needs", key
    if record.skipped_t is not None:
        return record.skipped_t, "needs", key
    fallback = plan.steps[key].fallback
    if fallback and state.steps[fallback].done_t is not None:
        return state.steps[fallback].done_t, "fallback", fallback
    return None, "", key


# ----- what was not exercised -----


def not_exercised(plan: Plan, played: Played) -> list[m.NotExercised]:
    state = played.state
    out = []
    for key, step in plan.steps.items():
        status = state.status(key)
        record = state.steps[key]
        if status in (StepStatus.DONE, StepStatus.ACTIVE) or record.started_t is not None:
            continue
        out.append(m.NotExercised(key, step.title, str(status), _why_not(plan, state, step, status)))
    return out


def _why_not(plan: Plan, state: DrillState, step: PlanStep, status: StepStatus) -> str:
    record = state.steps[step.key]
    if status is StepStatus.SKIPPED:
        if record.skipped_by == "facilitator":
            return f"skipped by the facilitator: {record.skip_reason}"
        return record.skip_reason or "skipped"
    if status is StepStatus.BLOCKED:
        down = [s for s in step.requires if state.services.get(s) == "down"]
        return "blocked when the log ends: " + ", ".join(down) + " down"
    if status is StepStatus.WAITING:
        open_needs = [title_of(plan, n) for n in step.needs if not state.resolved(n)]
        return "still waiting for: " + "; ".join(open_needs)
    if status is StepStatus.READY:
        return "ready, but nobody started it"
    reasons = []
    for opener in step.openers:
        if opener.kind == "event":
            reasons.append(f"its event `{opener.source}` never came")
        elif opener.kind == "fallback":
            reasons.append(f"{title_of(plan, opener.source)} was never blocked")
        else:
            reasons.append(f"option `{opener.option}` of {title_of(plan, opener.source)} was not chosen")
    return "never opened: " + "; ".join(reasons)


def branches_not_taken(plan: Plan, state: DrillState) -> list[m.BranchNotTaken]:
    out = []
    for key, step in plan.steps.items():
        chosen = state.decisions.get(key)
        for option, targets in (step.options or {}).items():
            if chosen is None or chosen.option != option:
                out.append(m.BranchNotTaken("option", key, step.title, option, step.labels.get(option),
                                            list(targets)))
        if step.fallback and state.steps[step.fallback].opened_t is None:
            out.append(m.BranchNotTaken("fallback", key, step.title, None, None, [step.fallback]))
    events: dict[str, list[str]] = {}
    for key, step in plan.steps.items():
        if step.on and step.on not in state.arrived:
            events.setdefault(step.on, []).append(key)
    out += [m.BranchNotTaken("event", name, name, None, None, keys) for name, keys in events.items()]
    return out


# ----- decisions, improvement plan, hot wash -----


def decisions(plan: Plan, played: Played) -> list[m.DecisionItem]:
    out = []
    made = first_made(played)
    for record in sorted(played.state.decisions.values(), key=lambda d: d.seq):
        step = plan.steps[record.step]
        options = [{"id": o, "label": step.labels.get(o, o)} for o in step.options or {}]
        ready = played.state.ready_t.get(record.step, played.tracks[record.step].ready_t)
        decided_t, fell = made.get(record.step, (record.t, record.fell_to_default))
        out.append(m.DecisionItem(
            seq=record.seq, t=record.t, wall=wall_of(played, record.seq), step=record.step, title=step.title,
            question=step.question, option=record.option, label=step.labels.get(record.option, record.option),
            options=options, rationale=record.rationale, by=record.by,
            by_default=record.rationale.startswith(DEFAULT_DECISION),
            ready_t=ready, latency=None if ready is None else round(decided_t - ready, 3), within=step.within,
            fell_to_default=fell,
        ))
    return out


def first_made(played: Played) -> dict[str, tuple[float, bool]]:
    """Each decision step's decision.made (before any revision): its scenario time, and whether it fell to the
    default of a timed decision. A decision's latency runs from ready to this time."""
    out: dict[str, tuple[float, bool]] = {}
    for event in played.events:
        if event.type == ev.DECISION_MADE:
            payload = played.payload(event)
            assert isinstance(payload, ev.DecisionMade)
            out.setdefault(payload.step, (event.t, payload.fell_to_default))
    return out


def improvement_plan(plan: Plan, items: list[m.NoteItem]) -> list[m.ImprovementItem]:
    out: list[m.ImprovementItem] = []
    for note in (n for n in items if n.kind == "improvement"):
        step = plan.steps.get(note.step) if note.step else None
        out.append(m.ImprovementItem(
            number=len(out) + 1, seq=note.seq, t=note.t, issue=note.text, action=note.action,
            element=note.element, owner=note.owner, due=note.due, step=note.step, step_title=note.step_title,
            objectives=list(step.objectives) if step else [], by=note.by,
        ))
    return out


def hotwash(played: Played) -> list[m.HotwashItem]:
    out = []
    for event in (e for e in played.events if e.type == ev.HOTWASH_ANSWER):
        match played.payload(event):
            case ev.HotwashAnswer(question=question, answer=answer):
                out.append(m.HotwashItem(event.seq, event.t, event.wall, question, answer))
    return out


# ----- analysis per objective -----


def analysis(plan: Plan, played: Played, items: list[m.NoteItem],
             runbooks: list[m.RunbookRef]) -> tuple[list[m.RunbookAnalysis], list[m.NoteItem]]:
    state = played.state
    keys = list(plan.objectives) + [k for k in state.ratings if k not in plan.objectives]
    tested: dict[str, list[str]] = {}
    for inject in plan.scenario.injects or []:
        for bare in inject.objectives:
            for key in keys:
                if key.endswith("/" + bare):
                    tested.setdefault(key, []).append(inject.id)
    by_key: dict[str, m.ObjectiveAnalysis] = {}
    for key in keys:
        runbook, _, oid = key.partition("/")
        rating = state.ratings.get(key)
        by_key[key] = m.ObjectiveAnalysis(
            key=key, runbook=runbook, id=oid, text=plan.objectives.get(key) or "",
            rating=rating.rating if rating else None, rating_label=ev.RATINGS.get(rating.rating) if rating else None,
            rating_comment=rating.comment if rating else "",
            steps=[m.StepRef(k, s.title, str(state.status(k))) for k, s in plan.steps.items() if key in s.objectives],
            injects=tested.get(key, []), strengths=[], improvements=[], observations=[],
        )
    sections = [m.RunbookAnalysis(rb.id, rb.title, [o for o in by_key.values() if o.runbook == rb.id], [])
                for rb in runbooks]
    general: list[m.NoteItem] = []
    for note in items:
        step = plan.steps.get(note.step) if note.step else None
        if step is None:
            general.append(note)
            continue
        served = [by_key[k] for k in step.objectives if k in by_key]
        for objective in served:
            {"strength": objective.strengths, "improvement": objective.improvements,
             "observation": objective.observations}[note.kind].append(note)
        if not served:
            home = next((s for s in sections if s.id == step.runbook), None)
            (home.other_notes if home else general).append(note)
    return sections, general


# ----- figures -----


def figures(plan: Plan, played: Played, steps: list[m.StepMetrics], items: list[m.NoteItem],
            made: list[m.DecisionItem], plan_items: list[m.ImprovementItem]) -> m.Figures:
    """The report's figures: the clock, injects, decisions, steps, objectives, notes and plan items counted."""
    state, first, last = played.state, played.first, played.last
    assert first is not None and last is not None  # a report is made of a log with events
    ratings = {code: 0 for code in ev.RATINGS}
    for rating in state.ratings.values():
        ratings[rating.rating] += 1
    fired = state.fired.values()
    return m.Figures(
        scenario_start_t=first.t, scenario_end_t=state.t, scenario_covered=state.t - first.t,
        real_seconds=(parse_wall(last.wall) - parse_wall(first.wall)).total_seconds(),
        **_clock_figures(played),
        injects_planned=len(plan.injects), injects_fired=state.planned_fired(),
        injects_fired_by_hand=sum(1 for f in fired if f.manual and f.id not in state.adhoc),
        injects_not_fired=[i.id for i in plan.injects if i.id not in state.fired],
        decisions=len(made), decisions_by_default=sum(1 for d in made if d.by_default),
        **_step_figures(steps),
        objectives_total=len(set(plan.objectives) | set(state.ratings)), objectives_rated=len(state.ratings),
        ratings=ratings,
        strengths=sum(1 for n in items if n.kind == "strength"),
        improvements=sum(1 for n in items if n.kind == "improvement"),
        observations=sum(1 for n in items if n.kind == "observation"),
        improvements_without_owner=sum(1 for i in plan_items if not i.owner.strip()),
    )


def _clock_figures(played: Played) -> dict[str, Any]:
    """Pauses and jumps of the exercise clock: how many, and the seconds they took (wall) or skipped (T)."""
    pauses = jumps = 0
    paused = jumped = 0.0
    paused_at = None
    for event in (e for e in played.events if e.type in _CLOCK):
        match played.payload(event):
            case ev.ClockPaused():
                pauses += 1
                paused_at = parse_wall(event.wall)
            case ev.ClockResumed() | ev.Ended() if paused_at is not None:
                paused += (parse_wall(event.wall) - paused_at).total_seconds()
                paused_at = None
            case ev.ClockJumped(to=to):
                jumps += 1
                jumped += float(to) - event.t
    return {"pauses": pauses, "paused_seconds": paused, "jumps": jumps, "jumped_seconds": jumped}


def _step_figures(steps: list[m.StepMetrics]) -> dict[str, Any]:
    """The steps counted by how they ended, and against their targets."""
    statuses = [s.status for s in steps]
    timed = [s for s in steps if s.taken is not None and s.target is not None]
    return {
        "steps_total": len(steps), "steps_done": statuses.count("done"),
        "steps_skipped_by_facilitator": sum(1 for s in steps if s.status == "skipped"
                                            and s.skipped_by == "facilitator"),
        "steps_not_taken": sum(1 for s in steps if s.status == "skipped" and s.skipped_by != "facilitator"),
        "steps_ever_blocked": sum(1 for s in steps if s.blocked),
        "steps_unfinished": sum(1 for s in statuses if s in ("waiting", "ready", "active", "blocked")),
        "steps_dormant": statuses.count("dormant"),
        "steps_timed": len(timed), "steps_over_target": sum(1 for s in timed if (s.over_target or 0) > 0),
    }


_CLOCK = frozenset({ev.CLOCK_PAUSED, ev.CLOCK_RESUMED, ev.ENDED, ev.CLOCK_JUMPED})  # what figures() reads


# ----- the runbook graphs -----


def graphs(plan: Plan, state: DrillState, runbooks: list[m.RunbookRef]) -> list[m.RunbookGraph]:
    out = []
    for rb in runbooks:
        keys = [k for k, s in plan.steps.items() if s.runbook == rb.id]
        if not keys:
            continue
        nodes, edges = [], []
        for key in keys:
            step = plan.steps[key]
            kind = "decision" if step.options else "event" if step.on else "branch" if step.branch else "main"
            nodes.append(m.GraphNode(key, step.id, step.title, str(state.status(key)), kind, step.on))
            for need in step.needs:
                edges.append(m.GraphEdge(need, key, "needs", None, _played(state, need) and _played(state, key)))
            chosen = state.decisions.get(key)
            for option, targets in (step.options or {}).items():
                edges += [m.GraphEdge(key, t, "option", option, chosen is not None and chosen.option == option)
                          for t in targets]
            if step.fallback:
                edges.append(m.GraphEdge(key, step.fallback, "fallback", None,
                                         state.steps[step.fallback].opened_t is not None))
        out.append(m.RunbookGraph(rb.id, rb.title, nodes, edges))
    return out


def _played(state: DrillState, key: str) -> bool:
    record = state.steps[key]
    return record.done_t is not None or record.started_t is not None
