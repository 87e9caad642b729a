"""The plan a drill log is read against: the files it names when they are at hand and unchanged, else a
stand-in made from the log alone.

- `plan_for_log(log_path, start)`: every reader that folds a finished log
  (readiness, plan status, the report) takes its plan here. The runbook and
  scenario files drill.started names are looked up safely
  (engine.logged_files.find_named) and used only when each one's SHA-256 is
  the one recorded; otherwise `LogPlan.why` says, once, why not.
- `plan_from_log(events)`: the stand-in. It knows only the ids the events
  name: every step is a main step with no needs, every option a decision was
  made or revised to is an option, every module question discussed is a
  question, so any sequence the real plan allowed folds without complaint;
  a report shows ids, not titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class LogPlan:
    """The plan to read a log against: from its files (`from_files`), or None with `why` the files could not
    be used (then fold against plan_from_log)."""

    plan: Plan | None
    why: str | None = None

    @property
    def from_files(self) -> bool:
        return self.plan is not None


_KIND_FOLDERS = {"scenario": "scenarios", "runbook": "runbooks"}
_LOADED: dict[tuple[tuple[str, str], ...], Plan] = {}  # (path, sha256) of each file -> its plan, this process
_KEPT = 16  # versions of the files kept loaded; past this the cache starts again


def plan_for_log(log_path: str, start: ev.Started, *, files_from: str | None = None) -> LogPlan:
    """The plan of the files drill.started (`start`) names, when every one is found (safely, see
    engine.logged_files) and its SHA-256 is the one recorded; else LogPlan(None, why). Never raises:
    a file that cannot be loaded is a `why`."""
    from engine.drill.plan import PlanError, sha256_file
    from engine.logged_files import find_named
    from engine.plans import load_plan

    named = ([("scenario", start.scenario)] if start.scenario else []) + [("runbook", f) for f in start.runbooks]
    if not named or named[0][0] != "scenario":
        return LogPlan(None, "the log names no scenario file")
    paths: list[tuple[str, str]] = []
    for kind, logged in named:
        found = find_named(log_path, logged.path, files_from=files_from, kind_folder=_KIND_FOLDERS[kind])
        if found.path is None:
            return LogPlan(None, f"the {kind} file {logged.path} was not read: {found.problem}")
        try:
            sha = sha256_file(found.path)
        except OSError as exc:
            return LogPlan(None, f"the {kind} file {logged.path} cannot be read: {exc.strerror or exc}")
        if sha != logged.sha256:
            return LogPlan(None, f"the {kind} file {logged.path} has changed since the drill")
        paths.append((found.path, sha))
    key = tuple(paths)
    if key not in _LOADED:
        if len(_LOADED) >= _KEPT:
            _LOADED.clear()
        try:
            _LOADED[key] = load_plan(paths[0][0], [p for p, _ in paths[1:]])
        except PlanError as exc:
            return LogPlan(None, f"the files cannot be used: {exc}")
    return LogPlan(_LOADED[key])
