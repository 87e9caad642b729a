"""The `actions:` of a team file: what a facilitator does in the console or the room, scripted for headless play.

Each entry is taken at a scenario time (`at: T+0:30`) or when a step is done
(`after: assess`), and names one action with its fields:

    actions:
      - at: T+0:30
        revise: {decision: route, option: fail-over, reason: the relay is ready, by: ic}
      - after: assess
        id: calm-call                     # so a later action can amend or withdraw this note
        observation: {text: A calm first call, step: assess, by: Ann}
      - at: T+1h
        amend-note: {note: calm-call, text: A calm and quick first call}

ACTIONS is the table: action name -> the fields it takes (a pydantic model)
and what it does through the Drill API (each event checked, fsynced, applied,
as the console does). A new action is one entry. The names a field gives
(a step, a decision and its option, an objective, a service, an inject, a
module and its question, the `id` of an earlier entry) are resolved against
the plan when the file is read, so a mistake is reported at its
file:line:col before anything is played. The format is in docs/drill-log.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from engine.drill import events as ev
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.model import Health, Offset

NonEmpty = Annotated[str, Field(min_length=1)]


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Revise(_Fields):
    decision: str
    option: str
    reason: NonEmpty
    by: str = ""


class Reopen(_Fields):
    step: str
    reason: NonEmpty
    by: str = ""


class Skip(_Fields):
    step: str
    reason: NonEmpty


class Tick(_Fields):
    step: str
    item: Annotated[int, Field(ge=1)]  # 1-based, as the console shows the checklist
    checked: bool = True


class WithdrawInject(_Fields):
    inject: str  # a scenario inject id, or the id of an earlier adhoc entry
    reason: NonEmpty
    by: str = ""


class AmendNote(_Fields):
    note: str  # the id of an earlier entry that recorded the note
    text: NonEmpty
    by: str = ""


class WithdrawNote(_Fields):
    note: str
    reason: NonEmpty
    by: str = ""


class NoteFields(_Fields):  # observation, strength
    text: NonEmpty
    step: str | None = None
    objective: str | None = None
    by: str = ""


class ImprovementFields(NoteFields):  # with the improvement plan's columns
    action: str | None = None
    element: Literal["planning", "organization", "equipment", "training", "exercise"] | None = None
    owner: str | None = None
    due: str | None = None


class Adhoc(_Fields):
    say: NonEmpty
    to: list[str] = []
    services: dict[str, Health] = {}
    event: str | None = None
    by: str = ""


class SetService(_Fields):
    service: str
    health: Health


class Fire(_Fields):
    inject: str


class Jump(_Fields):
    to: Offset


class Summary(_Fields):
    module: str
    question: str
    text: NonEmpty
    by: str = ""


class AmendSummary(_Fields):
    summary: str  # the id of an earlier summary entry
    text: NonEmpty
    by: str = ""


class WithdrawSummary(_Fields):
    summary: str
    reason: NonEmpty
    by: str = ""


class Feedback(_Fields):
    ratings: dict[str, int] = {}
    answers: dict[str, str] = {}
    respondent: str = ""
    name: str = ""
    role: str = ""
    organisation: str = ""


class By(_Fields):  # next-module, open-feedback, close-feedback
    by: str = ""


Refs = dict[str, Any]  # entry id -> the seq of the note or summary it recorded, or the ad-hoc inject's id
Perform = Callable[[Drill, Any, Refs], ev.Event]


@dataclass(frozen=True)
class Action:
    """One kind of action: its fields, what it does, and the kind of id it gives its entry (None: no id)."""

    fields: type[_Fields]
    perform: Perform
    gives: str | None = None  # "note", "summary" or "inject": what a later entry may refer to it as


def _note(kind: str) -> Perform:
    def perform(drill: Drill, f: Any, refs: Refs) -> ev.Event:
        extra = {name: getattr(f, name) for name in ("action", "element", "owner", "due")} \
            if isinstance(f, ImprovementFields) else {}
        return drill.note(kind, f.text, f.step, f.by, objective=f.objective, **extra)
    return perform


def _ref(refs: Refs, entry_id: str) -> Any:
    """What the entry `entry_id` recorded; EventError when it was not taken (refused, or not due yet)."""
    from engine.drill.state import EventError

    if entry_id not in refs:
        raise EventError(f"the entry with id {entry_id!r} has recorded nothing yet (refused, or its time has not "
                         "come)")
    return refs[entry_id]


def _next_module(drill: Drill, f: Any, refs: Refs) -> ev.Event:
    """As the console's `m`: the clock jumps to the next module's start, or, for a module without one, its
    injects fire now. Raises EventError when there is no next module."""
    from engine.drill import modules
    from engine.drill.state import EventError

    where = modules.view(drill.state, drill.now_t())
    if where is None or where.following is None:
        raise EventError("there is no next module" if where else "this scenario has no modules")
    target = where.following_t
    if target is not None and target > drill.now_t():
        return drill.jump(target)
    opening = modules.opening_injects(drill.state, where.following)
    if not opening:
        raise EventError(f"module {where.following.id} has no injects left to fire")
    return [drill.fire(inject, manual=True) for inject in opening][-1]


ACTIONS: dict[str, Action] = {
    "revise": Action(Revise, lambda d, f, r: d.revise(f.decision, f.option, f.reason, f.by)),
    "reopen": Action(Reopen, lambda d, f, r: d.reopen(f.step, f.reason, f.by)),
    "skip": Action(Skip, lambda d, f, r: d.skip_step(f.step, f.reason)),
    "tick": Action(Tick, lambda d, f, r: d.tick(f.step, f.item - 1, f.checked)),
    "withdraw-inject": Action(WithdrawInject, lambda d, f, r: d.withdraw(
        f.inject if d.plan.inject(f.inject) else _ref(r, f.inject), f.reason, f.by)),
    "amend-note": Action(AmendNote, lambda d, f, r: d.amend_note(_ref(r, f.note), f.text, f.by)),
    "withdraw-note": Action(WithdrawNote, lambda d, f, r: d.withdraw_note(_ref(r, f.note), f.reason, f.by)),
    "observation": Action(NoteFields, _note("observation"), gives="note"),
    "strength": Action(NoteFields, _note("strength"), gives="note"),
    "improvement": Action(ImprovementFields, _note("improvement"), gives="note"),
    "adhoc": Action(Adhoc, lambda d, f, r: d.adhoc(f.say, f.to, f.services, f.event, f.by), gives="inject"),
    "fire": Action(Fire, lambda d, f, r: d.fire(f.inject, manual=True)),
    "set-service": Action(SetService, lambda d, f, r: d.set_service(f.service, f.health)),
    "next-module": Action(By, _next_module),
    "jump": Action(Jump, lambda d, f, r: d.jump(f.to[1])),
    "summary": Action(Summary, lambda d, f, r: d.summarise(f.module, f.question, f.text, f.by), gives="summary"),
    "amend-summary": Action(AmendSummary, lambda d, f, r: d.amend_summary(_ref(r, f.summary), f.text, f.by)),
    "withdraw-summary": Action(WithdrawSummary,
                               lambda d, f, r: d.withdraw_summary(_ref(r, f.summary), f.reason, f.by)),
    "feedback": Action(Feedback, lambda d, f, r: d.submit_feedback(
        f.ratings, f.answers, respondent=f.respondent, name=f.name, role=f.role, organisation=f.organisation)),
    "open-feedback": Action(By, lambda d, f, r: d.open_feedback(f.by)),
    "close-feedback": Action(By, lambda d, f, r: d.close_feedback(f.by)),
}

WHEN_KEYS = ("at", "after", "id")


@dataclass
class TeamAction:
    """One `actions:` entry, resolved against the plan: names are step keys, objective keys, ids."""

    name: str  # the action, a key of ACTIONS
    fields: Any  # its _Fields, with names resolved
    at: int | None  # scenario seconds
    after: str | None  # a step key: taken when that step is done
    id: str | None  # what later entries call it
    where: str  # file:line:col of the entry, for a refusal at play time
    order: int  # its place in the file: actions due together are taken in file order
    taken: bool = False

    def perform(self, drill: Drill, refs: Refs) -> ev.Event:
        """Take the action through the Drill API; remember what it gave under its id. Raises EventError
        (refused: nothing written), DecodeError (a field the event refuses) or LogError."""
        event = ACTIONS[self.name].perform(drill, self.fields, refs)
        gives = ACTIONS[self.name].gives
        if self.id is not None and gives is not None:
            refs[self.id] = event.data.get("inject") if gives == "inject" else event.seq
        return event


def resolve_fields(plan: Plan, name: str, fields: _Fields, ids: dict[str, str],
                   fail: Callable[[tuple[Any, ...], str], Exception]) -> _Fields:
    """The fields with every name resolved against the plan and the ids of earlier entries (`ids`: id ->
    what it gives). `fail(where, message)` builds the error for the field at `where` (a path below the
    action's mapping). Raises what fail builds."""
    from engine.drill.team import UnknownName, find_objective, find_option, find_step

    changes: dict[str, Any] = {}
    values = dict(fields)
    try:
        if name == "revise":
            changes["decision"] = find_step(plan, values["decision"], decision=True)
    except UnknownName as exc:
        raise fail(("decision",), str(exc)) from None
    for key, lookup in (("step", lambda v: find_step(plan, v)), ("objective", lambda v: find_objective(plan, v)),
                        ("option", lambda v: find_option(plan, changes["decision"], v))):
        if values.get(key) is not None and key in values:
            try:
                changes[key] = lookup(values[key])
            except UnknownName as exc:
                raise fail((key,), str(exc)) from None
    _check_names(plan, name, {**values, **changes}, ids, fail)
    return fields.model_copy(update=changes)


def _check_names(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str],
                 fail: Callable[[tuple[Any, ...], str], Exception]) -> None:
    """Services, injects, modules, questions and references to earlier entries: these must exist."""
    from engine.drill.team import _did_you_mean

    services = list(plan.services)
    for service in ([values["service"]] if "service" in values else []) + list(values.get("services") or {}):
        if service not in plan.services:
            where = ("service",) if "service" in values else ("services", service)
            raise fail(where, f"no service {service!r} in the drill's runbooks{_did_you_mean(service, services)}; "
                              f"services: {', '.join(services)}")
    if "inject" in values:
        injects = [i.id for i in plan.injects] + [i for i, gives in ids.items() if gives == "inject"]
        if values["inject"] not in injects or (name == "fire" and plan.inject(values["inject"]) is None):
            raise fail(("inject",), f"no inject {values['inject']!r} in the scenario or among the ids of earlier "
                                    f"adhoc entries{_did_you_mean(values['inject'], injects)}")
    for ref in ("note", "summary"):
        if ref in values and ids.get(values[ref]) != ref:
            known = [i for i, gives in ids.items() if gives == ref]
            raise fail((ref,), f"no earlier entry with id {values[ref]!r} recorded a {ref}"
                               f"{_did_you_mean(values[ref], known)}" + (f"; ids: {', '.join(known)}" if known else ""))
    if name == "summary":
        modules = {m.id: m for m in plan.scenario.modules}
        module = modules.get(values["module"])
        if module is None:
            raise fail(("module",), f"no module {values['module']!r} in the scenario"
                                    f"{_did_you_mean(values['module'], list(modules))}")
        questions = [q.id for q in module.questions]
        if values["question"] not in questions:
            raise fail(("question",), f"module {module.id} has no question {values['question']!r}"
                                      f"{_did_you_mean(values['question'], questions)}")
    if name == "adhoc":
        roles = sorted({role for runbook in plan.runbooks for role in runbook.roles})
        for index, role in enumerate(values.get("to") or []):
            if role not in roles:
                raise fail(("to", index), f"no role {role!r} in the drill's runbooks{_did_you_mean(role, roles)}; "
                                          f"roles: {', '.join(roles)}")
    if name == "tick" and values["item"] > len(plan.steps[values["step"]].do):
        raise fail(("item",), f"step {values['step']} has {len(plan.steps[values['step']].do)} checklist items; "
                              f"there is no item {values['item']}")
    if name == "jump" and values["to"][0] != "absolute":
        raise fail(("to",), "a jump's `to` is a scenario time from the start, like T+2h")


_WHEN = TypeAdapter(Offset)


def read_actions(path: str, doc: Any, entries: list[Any], plan: Plan) -> list[TeamAction]:
    """The `actions:` entries of a team file (`doc`, from engine.load.read_document), resolved against the
    plan. Raises engine.drill.team.TeamError `file:line:col: why` at the first mistake."""
    from engine.drill.team import TeamError, UnknownName, _did_you_mean, find_step

    ids: dict[str, str] = {}  # id -> what its entry gives (note, summary, inject)
    out = []
    for index, entry in enumerate(entries):
        base: tuple[Any, ...] = ("actions", index)

        def fail(where: tuple[Any, ...], message: str, key: bool = False, base: tuple[Any, ...] = base) -> TeamError:
            line, col = doc.where(base + where, key=key)
            return TeamError(f"{path}:{line}:{col}: {message}")

        if not isinstance(entry, dict):
            raise fail((), "an action is a mapping: `at: T+0:30` or `after: STEP`, and one action with its fields")
        names = [str(k) for k in entry if k not in WHEN_KEYS]
        for name in names:
            if name not in ACTIONS:
                raise fail((name,), f"unknown action {name!r}{_did_you_mean(name, list(ACTIONS))}; actions: "
                                    f"{', '.join(ACTIONS)} (and `at`, `after`, `id`)", key=True)
        if len(names) != 1:
            raise fail((names[1],) if names else (), "an entry names exactly one action" +
                       (f"; this one names {', '.join(names)}" if names else ""), key=bool(names))
        name = names[0]
        at, after = _when(plan, entry, fail, find_step, UnknownName)
        entry_id = entry.get("id")
        if entry_id is not None:
            if not isinstance(entry_id, str) or not entry_id:
                raise fail(("id",), "`id` is a name for this entry, like calm-call")
            if entry_id in ids:
                raise fail(("id",), f"id {entry_id!r} is given to an earlier entry already")
            if ACTIONS[name].gives is None:
                raise fail(("id",), f"`{name}` records nothing a later entry can refer to; `id` goes on an entry "
                                    "that records a note (observation, strength, improvement), a summary or an "
                                    "adhoc inject")
        fields = _fields(path, doc, base + (name,), ACTIONS[name].fields, entry[name], fail)

        def below(where: tuple[Any, ...], message: str, name: str = name) -> TeamError:
            return fail((name, *where), message)

        fields = resolve_fields(plan, name, fields, ids, below)
        if entry_id is not None:
            ids[entry_id] = ACTIONS[name].gives  # type: ignore[assignment]
        line, col = doc.where(base, key=False)
        out.append(TeamAction(name, fields, at, after, entry_id, f"{path}:{line}:{col}", index))
    return out


def _when(plan: Plan, entry: dict[str, Any], fail: Any, find_step: Any, unknown: Any) -> tuple[int | None, str | None]:
    if ("at" in entry) == ("after" in entry):
        raise fail(("after",) if "at" in entry else (), "an action is taken either `at` a scenario time or "
                   "`after` a step is done: give one of them", key="at" in entry)
    if "at" in entry:
        try:
            kind, seconds = _WHEN.validate_python(entry["at"])
        except ValidationError:
            raise fail(("at",), f"`at` is a scenario time like T+0:30 or T+1h, not {entry['at']!r}") from None
        if kind != "absolute":
            raise fail(("at",), "an action's `at` is a scenario time from the start, like T+0:30")
        return int(seconds), None
    if not isinstance(entry["after"], str):
        raise fail(("after",), "`after` names a step, like assess or runbook/assess")
    try:
        return None, find_step(plan, entry["after"])
    except unknown as exc:
        raise fail(("after",), str(exc)) from None


def _fields(path: str, doc: Any, where: tuple[Any, ...], model: type[_Fields], value: Any, fail: Any) -> _Fields:
    from engine.drill.team import _pydantic_message

    if value is None and not any(f.is_required() for f in model.model_fields.values()):
        value = {}  # `next-module:` with nothing after it
    if not isinstance(value, dict):
        raise fail((where[-1],), f"`{where[-1]}` takes a mapping of its fields: "
                                 f"{', '.join(model.model_fields)}")
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        from engine.drill.team import TeamError

        raise TeamError(_pydantic_message(path, doc, exc, model=model, prefix=where)) from None


def recall(actions: list[TeamAction], state: Any, resumed: bool) -> tuple[list[TeamAction], Refs]:
    """The actions still to take, and the ids of those taken, for a drill at `state`. A fresh drill takes them
    all; a resumed one (`resumed`) took before its stop every action then due, and finds what those gave
    in the log: the note, summary or ad-hoc inject with the entry's text."""
    if not resumed:
        return list(actions), {}
    still, refs = [], {}
    used: set[int] = set()
    for action in sorted(actions, key=lambda a: a.order):
        due = (action.at is not None and action.at <= state.t) or (
            action.after is not None and state.steps[action.after].done_t is not None)
        if not due:
            still.append(action)
            continue
        given = _given(action, state, used)
        if action.id is not None and given is not None:
            refs[action.id] = given
    return still, refs


def _given(action: TeamAction, state: Any, used: set[int]) -> Any:
    """What an action taken before a resume recorded: the seq of its note or summary, its ad-hoc inject's id."""
    gives, f = ACTIONS[action.name].gives, action.fields
    if gives == "note":
        found = next((n.seq for n in state.notes if n.seq not in used and n.kind == action.name and n.text == f.text),
                     None)
    elif gives == "summary":
        found = next((s.seq for s in state.summaries if s.seq not in used and (s.module, s.question, s.text)
                      == (f.module, f.question, f.text)), None)
    elif gives == "inject":
        found = next((a.seq for a in state.adhoc.values() if a.seq not in used and a.text == f.say), None)
        if found is not None:
            used.add(found)
            return next(a.id for a in state.adhoc.values() if a.seq == found)
    else:
        return None
    if found is not None:
        used.add(found)
    return found
