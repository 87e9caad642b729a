"""The stand-in plan of a drill log, for when the runbook and scenario files it names are not at hand or
have changed (engine.logged_plan.plan_for_log says which).

`plan_from_log(events)` knows only the ids the events name: every step is a
main step with no needs, every option a decision was made or revised to (or
polled or proposed on) is an option, every module question discussed (or
polled or answered) is a question, every role a seat joined as is a role, so
any sequence the real plan allowed folds without complaint; a report shows
ids, not titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.drill import events as ev
from engine.drill.plan import Plan, PlanInject, PlanStep

# each names an option its decision has (a proposal, the option it proposes)
_OPTIONED = frozenset({ev.DECISION_MADE, ev.DECISION_REVISED, ev.PROPOSAL_MADE})


def plan_from_log(events: Iterable[ev.Event]) -> Plan:
    """The stand-in plan of a log's events (a list, or a LogStream read as it goes: one pass, nothing kept
    but the ids)."""
    ids = _Ids()
    for event in events:
        ids.take(event.type, event.data if isinstance(event.data, dict) else {}, event.t)
    return ids.plan()


class _Ids:
    """The ids a log's events name, gathered as they are read: what each kind of event tells of the plan."""

    def __init__(self) -> None:
        self.start: dict[str, Any] | None = None
        self.start_t = 0.0  # the first event's scenario time: when every stand-in step is ready
        self.steps: dict[str, PlanStep] = {}
        self.services: dict[str, str] = {}
        self.objectives: dict[str, str] = {}
        self.injects: dict[str, PlanInject] = {}
        self.questions: dict[str, dict[str, None]] = {}  # module id -> its question ids, in the order discussed
        self.roles: dict[str, None] = {}  # the roles seats joined as, in the order first joined

    def take(self, kind: str, data: dict[str, Any], t: float) -> None:
        if self.start is None:
            self.start, self.start_t = data, t
        if isinstance(data.get("step"), str):
            self._step(kind, data["step"], data, t)
        if kind == ev.SEAT_JOINED and isinstance(data.get("role"), str):
            self.roles.setdefault(data["role"], None)
        found = data.get("services")
        for service in (found if isinstance(found, dict) else {}):
            self.services.setdefault(str(service), str(service))
        named = {ev.SERVICE_CHANGED: "service", ev.RATING: "objective", ev.INJECT_FIRED: "inject",
                 ev.DISCUSSION_SUMMARY: "module", ev.POLL_OPENED: "module", ev.PROPOSAL_MADE: "module"}.get(kind)
        if named is None or not isinstance(data.get(named), str):
            return
        if kind == ev.SERVICE_CHANGED:
            self.services.setdefault(data["service"], data["service"])
        elif kind == ev.RATING:
            self.objectives.setdefault(data["objective"], "")
        elif kind == ev.INJECT_FIRED:
            self._inject(data, t)
        elif isinstance(data.get("question"), str):
            self.questions.setdefault(data["module"], {})[data["question"]] = None

    def _step(self, kind: str, key: str, data: dict[str, Any], t: float) -> None:
        step = self.steps.setdefault(key, _step(key))
        option, item = data.get("option"), data.get("item")
        if kind in _OPTIONED and isinstance(option, str):
            step.options = step.options or {}
            step.options.setdefault(option, [])
            step.labels.setdefault(option, option)
        polled = data.get("options")
        if kind == ev.POLL_OPENED and isinstance(polled, list):  # a poll on a decision offers all its options
            step.options = step.options or {}
            for each in polled:
                step.options.setdefault(str(each), [])
                step.labels.setdefault(str(each), str(each))
        if kind == ev.DECISION_MADE and data.get("fell_to_default") is True and isinstance(option, str):
            # a timed decision that fell to its default: its limit is not known, only that it had run out by
            # then (every stand-in step is ready from the start), so the fold takes the event
            step.default, step.within = option, max(0, int(t - self.start_t))
        if kind == ev.CHECK_TICKED and isinstance(item, int) and item >= 0:
            step.do += [""] * (item + 1 - len(step.do))

    def _inject(self, data: dict[str, Any], t: float) -> None:
        found, event = data.get("services"), data.get("event")
        self.injects.setdefault(data["inject"], PlanInject(
            id=data["inject"], at=int(t), after_step=None, after_option=None,
            event=event if isinstance(event, str) else None,
            services=dict(found) if isinstance(found, dict) else {}, to=None, say=None, expect=None))

    def plan(self) -> Plan:
        from engine.model import Scenario  # pydantic's: imported only when a stand-in plan is built
        from engine.scenario_model import Module

        start = self.start or {}
        raw_scenario = start.get("scenario")
        scenario_info: dict[str, Any] = raw_scenario if isinstance(raw_scenario, dict) else {}
        scenario_id = str(scenario_info.get("id") or "unknown-scenario")
        runbook_ids = [str(f.get("id")) for f in start.get("runbooks") or [] if isinstance(f, dict) and f.get("id")]
        modules = [Module.model_construct(id=m, title=m, situation=None, at=None, after=None, injects=[],
                                          questions=[_question(q) for q in asked])
                   for m, asked in self.questions.items()]
        scenario = Scenario.model_construct(scenario=scenario_id, title=scenario_id, summary=None,
                                            runbooks=runbook_ids, duration=None, anchor=None, injects=[],
                                            modules=modules)
        return Plan(scenario, [], self.steps, list(self.injects.values()), self.services, self.objectives, [],
                    logged_roles=list(self.roles))


def _step(key: str) -> PlanStep:
    runbook, _, step_id = key.partition("/")
    return PlanStep(key=key, runbook=runbook, id=step_id or key, title=step_id or key, owner=None, target=None,
                    do=[], needs=[], requires=[], fallback=None, options=None, question=None, labels={},
                    on=None, objectives=[])


def _question(question_id: str) -> Any:
    from engine.scenario_model import Question

    return Question.model_construct(id=question_id, ask=question_id, to=[], objectives=[], prompts=[], expect=[])
