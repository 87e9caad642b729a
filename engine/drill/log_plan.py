"""The stand-in plan of a drill log, for when the runbook and scenario files it names are not at hand or
have changed (engine.logged_plan.plan_for_log says which).

`plan_from_log(events)` knows only the ids the events name: every step is a
main step with no needs, every option a decision was made or revised to is an
option, every module question discussed is a question, so any sequence the
real plan allowed folds without complaint; a report shows ids, not titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.drill import events as ev
from engine.drill.plan import Plan, PlanInject, PlanStep
from engine.model import Scenario
from engine.scenario_model import Module, Question

_OPTIONED = frozenset({ev.DECISION_MADE, ev.DECISION_REVISED})  # each names an option its decision has


def plan_from_log(events: Iterable[ev.Event]) -> Plan:
    """The stand-in plan of a log's events (a list, or a LogStream read as it goes: one pass, nothing kept
    but the ids)."""
    start: dict[str, Any] | None = None
    steps: dict[str, PlanStep] = {}
    services: dict[str, str] = {}
    objectives: dict[str, str] = {}
    injects: dict[str, PlanInject] = {}
    questions: dict[str, dict[str, None]] = {}  # module id -> its question ids, in the order discussed
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        start = data if start is None else start
        if event.type == ev.DISCUSSION_SUMMARY and isinstance(data.get("module"), str) \
                and isinstance(data.get("question"), str):
            questions.setdefault(data["module"], {})[data["question"]] = None
        key = data.get("step")
        if isinstance(key, str):
            step = steps.get(key) or _step(key)
            steps[key] = step
            if event.type in _OPTIONED and isinstance(data.get("option"), str):
                step.options = step.options or {}
                step.options.setdefault(data["option"], [])
                step.labels.setdefault(data["option"], data["option"])
            if event.type == ev.CHECK_TICKED and isinstance(data.get("item"), int) and data["item"] >= 0:
                step.do += [""] * (data["item"] + 1 - len(step.do))
        found = data.get("services")
        for service in (found if isinstance(found, dict) else {}):
            services.setdefault(str(service), str(service))
        if event.type == ev.SERVICE_CHANGED and isinstance(data.get("service"), str):
            services.setdefault(data["service"], data["service"])
        if event.type == ev.RATING and isinstance(data.get("objective"), str):
            objectives.setdefault(data["objective"], "")
        if event.type == ev.INJECT_FIRED and isinstance(data.get("inject"), str):
            injects.setdefault(data["inject"], PlanInject(
                id=data["inject"], at=int(event.t), after_step=None, after_option=None,
                event=data.get("event") if isinstance(data.get("event"), str) else None,
                services=dict(found) if isinstance(found, dict) else {}, to=None, say=None, expect=None))
    start = start or {}
    raw_scenario = start.get("scenario")
    scenario_info: dict[str, Any] = raw_scenario if isinstance(raw_scenario, dict) else {}
    scenario_id = str(scenario_info.get("id") or "unknown-scenario")
    runbook_ids = [str(f.get("id")) for f in start.get("runbooks") or [] if isinstance(f, dict) and f.get("id")]
    modules = [Module.model_construct(id=m, title=m, situation=None, at=None, after=None, injects=[],
                                      questions=[_question(q) for q in asked]) for m, asked in questions.items()]
    scenario = Scenario.model_construct(scenario=scenario_id, title=scenario_id, summary=None,
                                        runbooks=runbook_ids, duration=None, anchor=None, injects=[],
                                        modules=modules)
    return Plan(scenario, [], steps, list(injects.values()), services, objectives, [])


def _step(key: str) -> PlanStep:
    runbook, _, step_id = key.partition("/")
    return PlanStep(key=key, runbook=runbook, id=step_id or key, title=step_id or key, owner=None, target=None,
                    do=[], needs=[], requires=[], fallback=None, options=None, question=None, labels={},
                    on=None, objectives=[])


def _question(question_id: str) -> Question:
    return Question.model_construct(id=question_id, ask=question_id, to=[], objectives=[], prompts=[], expect=[])
