"""Reading a team file's `actions:` entries (engine.drill.team_actions has the table of actions): each
entry checked and its names resolved against the plan, a mistake raised at its file:line:col; and, on a
resumed play, which actions were taken before the stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from engine.drill.event_types.seats import name_problem
from engine.drill.plan import Plan
from engine.drill.team_actions import ACTIONS, WHEN_KEYS, Refs, TeamAction, _Fields, poll_question
from engine.model import Offset


def resolve_fields(plan: Plan, name: str, fields: _Fields, ids: dict[str, str],
                   fail: Callable[[tuple[Any, ...], str], Exception]) -> _Fields:
    """The fields with every name resolved against the plan and the ids of earlier entries (`ids`: id ->
    what it gives). `fail(where, message)` builds the error for the field at `where` (a path below the
    action's mapping). Raises what fail builds."""
    from engine.drill.team import UnknownName, find_objective, find_option, find_step

    changes: dict[str, Any] = {}
    values = dict(fields)
    try:
        if name in ("revise", "amend-decision") or values.get("decision") is not None:
            changes["decision"] = find_step(plan, values["decision"], decision=True)
    except UnknownName as exc:
        raise fail(("decision",), str(exc)) from None
    if values.get("option") is not None and "decision" not in changes:
        raise fail(("option",), "an option goes with the decision it belongs to: give `decision` too")
    for key, lookup in (("step", lambda v: find_step(plan, v)), ("objective", lambda v: find_objective(plan, v)),
                        ("option", lambda v: find_option(plan, changes["decision"], v))):
        if values.get(key) is not None and key in values:
            try:
                changes[key] = lookup(values[key])
            except UnknownName as exc:
                raise fail((key,), str(exc)) from None
    _check_names(plan, name, {**values, **changes}, ids, fail)
    return fields.model_copy(update=changes)


Problem = tuple[tuple[Any, ...], str] | None  # where in the action's fields, and why; None: fine


def _check_names(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str],
                 fail: Callable[[tuple[Any, ...], str], Exception]) -> None:
    """Services, injects, roles, modules, questions, checklist items and references to earlier entries:
    these must exist."""
    for check in _CHECKS:
        problem = check(plan, name, values, ids)
        if problem is not None:
            raise fail(*problem)


def _hint(name: str, choices: list[str]) -> str:
    from engine.drill.team import _did_you_mean

    return _did_you_mean(name, choices)


def _services(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str]) -> Problem:
    services = list(plan.services)
    for service in ([values["service"]] if "service" in values else []) + list(values.get("services") or {}):
        if service not in plan.services:
            where = ("service",) if "service" in values else ("services", service)
            return where, f"no service {service!r} in the drill's runbooks{_hint(service, services)}; " \
                          f"services: {', '.join(services)}"
    return None


def _inject(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str]) -> Problem:
    if "inject" not in values:
        return None
    injects = [i.id for i in plan.injects] + [i for i, gives in ids.items() if gives == "inject"]
    if values["inject"] in injects and (name != "fire" or plan.inject(values["inject"]) is not None):
        return None
    return ("inject",), f"no inject {values['inject']!r} in the scenario or among the ids of earlier adhoc " \
                        f"entries{_hint(values['inject'], injects)}"


def _refs(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str]) -> Problem:
    for ref in ("note", "summary", "poll", "proposal"):
        if ref in values and ids.get(values[ref]) != ref:
            known = [i for i, gives in ids.items() if gives == ref]
            return (ref,), f"no earlier entry with id {values[ref]!r} recorded a {ref}" \
                           f"{_hint(values[ref], known)}" + (f"; ids: {', '.join(known)}" if known else "")
    return None


def _module(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str]) -> Problem:
    if values.get("module") is None:
        return None
    modules = {m.id: m for m in plan.scenario.modules}
    module = modules.get(values["module"])
    if module is None:
        return ("module",), f"no module {values['module']!r} in the scenario{_hint(values['module'], list(modules))}"
    questions = [q.id for q in module.questions]
    if values["question"] not in questions:
        return ("question",), f"module {module.id} has no question {values['question']!r}" \
                              f"{_hint(values['question'], questions)}"
    return None


def _roles(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str]) -> Problem:
    roles = sorted({role for runbook in plan.runbooks for role in runbook.roles})
    for index, role in enumerate(values.get("to") or [] if name == "adhoc" else []):
        if role not in roles:
            return ("to", index), f"no role {role!r} in the drill's runbooks{_hint(role, roles)}; " \
                                  f"roles: {', '.join(roles)}"
    if name == "join" and values["role"] not in plan.roles:
        return ("role",), f"no role {values['role']!r} in the drill's runbooks{_hint(values['role'], plan.roles)}; " \
                          f"roles: {', '.join(plan.roles)}"
    if name == "join" and (problem := name_problem(values["name"])):
        return ("name",), problem
    return None


def _item(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str]) -> Problem:
    if name != "tick" or values["item"] <= len(plan.steps[values["step"]].do):
        return None
    return ("item",), f"step {values['step']} has {len(plan.steps[values['step']].do)} checklist items; " \
                      f"there is no item {values['item']}"


def _jump(plan: Plan, name: str, values: dict[str, Any], ids: dict[str, str]) -> Problem:
    if name == "jump" and values["to"][0] != "absolute":
        return ("to",), "a jump's `to` is a scenario time from the start, like T+2h"
    return None


_CHECKS = (_services, _inject, _refs, _module, _roles, _item, _jump)


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
    if entry.get("at") == "end":  # after drill.ended, with the hot wash
        return None, None
    if "at" in entry:
        try:
            kind, seconds = _WHEN.validate_python(entry["at"])
        except ValidationError:
            raise fail(("at",), f"`at` is a scenario time like T+0:30 or T+1h, or `end`, not {entry['at']!r}") \
                from None
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
    in the log, in the order they were taken: the note, summary, ad-hoc inject or proposal with the entry's
    text, the poll that asks what the entry asks."""
    if not resumed:
        return list(actions), {}
    still, taken, refs = [], [], {}
    used: set[int] = set()
    for action in sorted(actions, key=lambda a: a.order):
        moment = _taken_at(action, state)
        if moment is None:
            still.append(action)
        else:
            taken.append((moment, action.order, action))
    # What each gave, in the order they were taken: two entries that record alike (two polls asking the same)
    # are told apart by when, not by where they stand in the file.
    for _, _, action in sorted(taken, key=lambda m: m[:2]):
        given = _given(action, state, used)
        if action.id is not None and given is not None:
            refs[action.id] = given
    return still, refs


def _taken_at(action: TeamAction, state: Any) -> float | None:
    """When play took an action due before the stop (its `at`, the first time its `after` step was done,
    infinity for `at: end`), or None when it was not due."""
    if action.at is not None:
        return float(action.at) if action.at <= state.t else None
    if action.after is not None:
        # A step reopened since it was done (step.reopened) was done all the same: its `after` entries were due.
        record = state.steps[action.after]
        return record.worked[0][1] if record.worked else record.done_t
    return float("inf") if state.ended else None


def _given(action: TeamAction, state: Any, used: set[int]) -> Any:
    """What an action taken before a resume recorded: the seq of its note, summary or proposal, the id of its
    ad-hoc inject or poll; None when the log holds nothing that it gave (refused, or recorded nothing)."""
    gives = ACTIONS[action.name].gives
    find = None if gives is None else _FINDERS.get(gives)
    if find is None:
        return None
    seq = find(action, state, used)
    if seq is None:
        return None
    used.add(seq)
    if gives == "inject":
        return next(a.id for a in state.adhoc.values() if a.seq == seq)
    if gives == "poll":
        return next(p.poll for p in state.polls.values() if p.seq == seq)
    return seq


def _note_given(action: TeamAction, state: Any, used: set[int]) -> int | None:
    return next((n.seq for n in state.notes if n.seq not in used and n.kind == action.name
                 and n.text == action.fields.text), None)


def _summary_given(action: TeamAction, state: Any, used: set[int]) -> int | None:
    f = action.fields
    return next((s.seq for s in state.summaries if s.seq not in used
                 and (s.module, s.question, s.text) == (f.module, f.question, f.text)), None)


def _inject_given(action: TeamAction, state: Any, used: set[int]) -> int | None:
    return next((a.seq for a in state.adhoc.values() if a.seq not in used and a.text == action.fields.say), None)


def _poll_given(action: TeamAction, state: Any, used: set[int]) -> int | None:
    """The first poll not yet recalled that asks what the entry asks (polls open in time order, not file order)."""
    f = action.fields
    asked = (poll_question(state.plan, f), f.decision or "", f.module or "", f.question or "", f.by)
    return next((p.seq for p in state.polls.values() if p.seq not in used
                 and (p.text, p.step, p.module, p.question, p.by) == asked
                 and (not f.options or list(p.options) == list(f.options))), None)


def _proposal_given(action: TeamAction, state: Any, used: set[int]) -> int | None:
    f = action.fields
    return next((p.seq for p in state.proposals if p.seq not in used and (p.seat, p.text) == (f.seat, f.text)), None)


_FINDERS = {"note": _note_given, "summary": _summary_given, "inject": _inject_given, "poll": _poll_given,
            "proposal": _proposal_given}
