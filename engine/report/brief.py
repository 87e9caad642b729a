"""The parts of the report leadership reads first: the HSEEP overview from `exercise:`, the one-page
executive brief, and the exercise's modules with their questions and recorded discussion."""

from __future__ import annotations

from typing import Any

from engine.drill import modules as drill_modules
from engine.drill.plan import Plan
from engine.drill.replay import Played
from engine.hseep import EXERCISE_TYPES, MISSION_AREAS, capability_named
from engine.report import model as m

_URGENCY = {"U": 0, "M": 1, "S": 2, "P": 3}


def exercise_info(plan: Plan) -> m.ExerciseInfo | None:
    """The scenario's `exercise:` block as the report prints it; None when the scenario has none."""
    exercise = plan.scenario.exercise
    if exercise is None:
        return None
    contacts = [", ".join(p for p in (c.name, c.role, c.organisation, c.email, c.phone) if p)
                for c in exercise.contacts]
    return m.ExerciseInfo(
        type=EXERCISE_TYPES[exercise.type or "tabletop"], date=exercise.date or "", location=exercise.location or "",
        scope=exercise.scope or "", mission_areas=[MISSION_AREAS[a] for a in exercise.mission_areas],
        core_capabilities=[capability_named(c) or c for c in exercise.core_capabilities],
        threat=exercise.threat or "", sponsor=exercise.sponsor or "",
        organisations=list(exercise.organisations), contacts=contacts,
    )


def modules(plan: Plan, played: Played) -> list[m.ModuleItem]:
    """Each module of the scenario with when it began in this drill (by the clock or moved on to, as
    engine.drill.modules reads it), its injects that fired before it began, and the discussion summaries
    recorded on each of its questions (discussion.summary events)."""
    state = played.state
    fired, begun = state.fired, drill_modules.starts(state, state.t)
    early = drill_modules.delivered_early(state)
    titles = [module.title for module in plan.scenario.modules]
    out = []
    for index, module in enumerate(plan.scenario.modules):
        questions = [m.QuestionItem(q.id, q.ask, list(q.to), list(q.objectives), _said(played, module.id, q.id))
                     for q in module.questions]
        came = [{"inject": e.inject, "t": e.t, "during": titles[e.during] if e.during is not None else None}
                for e in early if e.own == index]
        out.append(m.ModuleItem(module.id, module.title, drill_modules.scheduled_start(module), begun.get(index),
                                list(module.injects), sum(1 for i in module.injects if i in fired), questions,
                                came))
    return out


def _said(played: Played, module_id: str, question_id: str) -> list[dict[str, Any]]:
    """The discussion summaries recorded on one question, in log order: {"t": scenario seconds, "text", "by"};
    the text as last amended, a withdrawn one left out (the corrections section says what changed)."""
    state = played.state
    withdrawn = state.withdrawn_summaries()
    return [{"t": s.t, "text": state.summary_text(s.seq), "by": s.by} for s in state.summaries
            if s.module == module_id and s.question == question_id and s.seq not in withdrawn]


def brief(report: m.Report) -> m.Brief:
    """The executive brief, from the sections already built."""
    ratings = {ob.key: ob.rating for a in report.analysis for ob in a.objectives}
    ratings.update({ob.id: ob.rating for a in report.analysis for ob in a.objectives})

    def urgency(item: m.ImprovementItem) -> tuple[int, int]:
        ranks = [_URGENCY.get(ratings.get(o) or "", 4) for o in item.objectives] or [4]
        return min(ranks), item.number

    top = sorted(report.improvement_plan, key=urgency)[:3]
    return m.Brief(
        exercised=[rb.title for rb in report.overview.runbooks],
        modules=[module.title for module in report.modules],
        key_times=_key_times(report),
        top_improvements=top,
    )


def _key_times(report: m.Report) -> list[m.KeyTime]:
    out: list[m.KeyTime] = []
    injects = [e for e in report.timeline if e.kind == "inject" and e.what == "fired"]
    if injects:
        out.append(m.KeyTime("First inject", injects[0].t, injects[0].title))
    done = [s for s in report.steps if s.done_t is not None]
    if done:
        first = min(done, key=lambda s: s.done_t or 0)
        out.append(m.KeyTime("First step done", first.done_t or 0, first.title))
    for decision in report.decisions[:3]:
        out.append(m.KeyTime("Decision", decision.t, f"{decision.title}: {decision.label}"))
    if report.overview.ended:
        out.append(m.KeyTime("Drill ended", report.figures.scenario_end_t, report.overview.end_reason or ""))
    return out
