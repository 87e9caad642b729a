"""The team file of headless play: who plays, how long their steps take, what they decide and note.

A team file is YAML read with the project's loader (so every mistake is
reported at its file:line:col), checked with a small pydantic model, then
resolved against the drill's plan: step names become `runbook/step` keys,
objectives `runbook/objective` keys. The format is in docs/drill-log.md.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.drill.plan import Plan
from engine.model import Duration, Offset

if TYPE_CHECKING:
    from engine.drill.team_actions import TeamAction

NonEmpty = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DecisionEntry(_Strict):
    option: NonEmpty
    rationale: str = ""
    by: str = ""
    poll: str | None = None  # the id of an `open-poll` entry in `actions:`: the decision cites that poll


class NoteEntry(_Strict):
    kind: Literal["observation", "strength", "improvement"]
    text: NonEmpty
    step: str | None = None
    at: Offset | None = None  # T+1h: when the note is taken
    after: str | None = None  # a step: the note is taken when that step is done
    # Neither: when `step` is done, or without a step just before the drill ends.
    by: str = ""


class RatingEntry(_Strict):
    rating: Literal["P", "S", "M", "U"]
    comment: str = ""


class HotwashEntry(_Strict):
    question: NonEmpty
    answer: NonEmpty


class TeamFile(_Strict):
    team: NonEmpty
    facilitator: str | None = None
    participants: dict[str, str] = Field(default_factory=dict)
    durations: dict[str, Duration] = Field(default_factory=dict)
    decisions: dict[str, DecisionEntry] = Field(default_factory=dict)
    notes: list[NoteEntry] = Field(default_factory=list)
    ratings: dict[str, RatingEntry] = Field(default_factory=dict)
    hotwash: list[HotwashEntry] = Field(default_factory=list)
    actions: list[Any] = Field(default_factory=list)  # checked entry by entry (engine.drill.team_actions)


class TeamError(Exception):
    """A team file that cannot be used; the message starts with file:line:col."""


class UnknownName(LookupError):
    """A step, option or objective name that matches nothing (the message has a did-you-mean)."""


@dataclass(frozen=True)
class Choice:
    option: str
    rationale: str
    by: str
    poll: str | None = None  # the id of the `open-poll` action whose poll the decision cites
    cites: tuple[str, int] | None = None  # a fork's: the parent's poll (its id, its poll.opened seq) it cited
    cited_at: str = ""  # file:line:col of the team file's `poll:`, for a citation play cannot make


@dataclass(frozen=True)
class TeamNote:
    kind: str
    text: str
    step: str | None  # step key
    at: int | None  # scenario seconds
    after: str | None  # step key
    by: str


@dataclass
class Team:
    """A team file resolved against a plan."""

    name: str
    path: str
    facilitator: str | None = None
    participants: dict[str, str] = field(default_factory=dict)
    durations: dict[str, int] = field(default_factory=dict)  # step key -> seconds
    decisions: dict[str, Choice] = field(default_factory=dict)  # step key -> choice
    notes: list[TeamNote] = field(default_factory=list)
    ratings: list[tuple[str, str, str]] = field(default_factory=list)  # objective key, rating, comment
    hotwash: list[tuple[str, str]] = field(default_factory=list)
    actions: list[TeamAction] = field(default_factory=list)  # the `actions:` entries, in file order


def find_step(plan: Plan, name: str, *, decision: bool = False) -> str:
    """The step key for `step-id` or `runbook/step-id`. Raises UnknownName with a did-you-mean."""
    keys = [k for k, s in plan.steps.items() if s.options or not decision]
    what = "decision" if decision else "step"
    if name in plan.steps:
        if name in keys:
            return name
        raise UnknownName(f"{name} is not a decision; decisions: {', '.join(_short(plan, keys))}")
    matches = [k for k in plan.steps if plan.steps[k].id == name]
    if len(matches) > 1:
        raise UnknownName(f"{what} {name!r} is in several runbooks; write one of {', '.join(matches)}")
    if matches:
        if matches[0] in keys:
            return matches[0]
        raise UnknownName(f"{name} is not a decision; decisions: {', '.join(_short(plan, keys))}")
    raise UnknownName(f"no {what} {name!r} in the drill's runbooks{_did_you_mean(name, keys + _short(plan, keys))}")


def find_option(plan: Plan, key: str, option: str) -> str:
    options = list(plan.steps[key].options or {})
    if option in options:
        return option
    raise UnknownName(f"decision {key} has no option {option!r}{_did_you_mean(option, options)}; "
                     f"options: {', '.join(options)}")


def find_objective(plan: Plan, name: str) -> str:
    if name in plan.objectives:
        return name
    matches = [k for k in plan.objectives if k.split("/", 1)[1] == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownName(f"objective {name!r} is in several runbooks; write one of {', '.join(matches)}")
    choices = list(plan.objectives) + [k.split("/", 1)[1] for k in plan.objectives]
    raise UnknownName(f"no objective {name!r} in the drill's runbooks{_did_you_mean(name, choices)}")


def _short(plan: Plan, keys: list[str]) -> list[str]:
    """Bare step ids where they are unique across the drill, else the full keys."""
    count: dict[str, int] = {}
    for step in plan.steps.values():
        count[step.id] = count.get(step.id, 0) + 1
    return [plan.steps[k].id if count[plan.steps[k].id] == 1 else k for k in keys]


def _cited_poll(actions: list[TeamAction], entry_id: str, decision: str) -> str | None:
    """Why a decision cannot cite the poll of the `open-poll` entry `entry_id`, or None: the entry must open
    a poll on this decision or on no decision (a module question, or options typed on the spot)."""
    polls = [a for a in actions if a.name == "open-poll" and a.id is not None]
    found = next((a for a in polls if a.id == entry_id), None)
    if found is None:
        ids = [str(a.id) for a in polls]
        return (f"no `open-poll` entry in `actions:` has the id {entry_id!r}{_did_you_mean(entry_id, ids)}"
                + (f"; poll entries: {', '.join(ids)}" if ids else "; give the `open-poll` entry an `id`"))
    if found.fields.decision not in (None, decision):
        return (f"the poll of {entry_id!r} is on the decision {found.fields.decision}, not this one; a decision "
                "cites a poll on itself or on no decision")
    return None


def _did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_team(path: str, plan: Plan) -> Team:
    """Read, check and resolve a team file. Raises TeamError naming file:line:col."""
    from engine.load import read_document

    doc = read_document(path)
    problems = [f for f in doc.findings if f.rule != "file-unknown-kind"]
    if doc.unreadable or problems:
        first = (problems or doc.findings)[0]
        raise TeamError(f"{path}:{first.line}:{first.column}: {first.message}")
    if not isinstance(doc.data, dict):
        raise TeamError(f"{path}:1:1: a team file is a mapping that starts with `team: NAME`")
    try:
        model = TeamFile.model_validate(doc.data)
    except ValidationError as exc:
        raise TeamError(_pydantic_message(path, doc, exc)) from None
    return _resolve(path, doc, model, plan)


def read_actions(path: str, doc: Any, entries: list[Any], plan: Plan) -> list[TeamAction]:
    from engine.drill.team_entries import read_actions as read

    return read(path, doc, entries, plan)


def _pydantic_message(path: str, doc: Any, exc: ValidationError, *, model: type[BaseModel] | None = None,
                      prefix: tuple[Any, ...] = ()) -> str:
    """The first error of a validation, at its file:line:col; `model` was validated against the part of the
    document at `prefix` (default: TeamFile, the whole file)."""
    from engine.schema import fields_at

    error = exc.errors(include_url=False)[0]
    loc = tuple(p for p in error["loc"] if p != "[key]")
    dotted = ".".join(str(p) for p in prefix[-1:] + loc) or "the file"
    if error["type"] == "extra_forbidden":
        line, col = doc.where(prefix + loc, key=True)
        allowed = sorted(fields_at(model or TeamFile, loc[:-1]))
        return f"{path}:{line}:{col}: unknown key {loc[-1]!r}{_did_you_mean(str(loc[-1]), allowed)}; " \
               f"allowed here: {', '.join(allowed)}"
    if error["type"] == "missing":
        line, col = doc.where(prefix + loc[:-1])
        return f"{path}:{line}:{col}: `{dotted}` is required but missing"
    line, col = doc.where(prefix + loc)
    message = str(error["msg"]).replace("Input should be", "expected")
    return f"{path}:{line}:{col}: `{dotted}`: {message}"


def _resolve(path: str, doc: Any, model: TeamFile, plan: Plan) -> Team:
    def fail(where: tuple[Any, ...], message: str, key: bool = False) -> TeamError:
        line, col = doc.where(where, key=key)
        return TeamError(f"{path}:{line}:{col}: {message}")

    team = Team(name=model.team, path=path, facilitator=model.facilitator, participants=dict(model.participants))
    roles = sorted({role for runbook in plan.runbooks for role in runbook.roles})
    for role in model.participants:
        if role not in roles:
            raise fail(("participants", role), f"no role {role!r} in the drill's runbooks"
                       f"{_did_you_mean(role, roles)}; roles: {', '.join(roles)}", key=True)
    for name, seconds in model.durations.items():
        try:
            team.durations[find_step(plan, name)] = seconds
        except UnknownName as exc:
            raise fail(("durations", name), str(exc), key=True) from None
    for name, entry in model.decisions.items():
        try:
            key = find_step(plan, name, decision=True)
        except UnknownName as exc:
            raise fail(("decisions", name), str(exc), key=True) from None
        try:
            option = find_option(plan, key, entry.option)
        except UnknownName as exc:
            raise fail(("decisions", name, "option"), str(exc)) from None
        cited_at = "" if entry.poll is None else "{}:{}:{}".format(path, *doc.where(("decisions", name, "poll")))
        team.decisions[key] = Choice(option, entry.rationale, entry.by, entry.poll, cited_at=cited_at)
    for index, note in enumerate(model.notes):
        team.notes.append(_note(plan, note, lambda part, m, i=index: fail(("notes", i, part), m)))
    for name, rating in model.ratings.items():
        try:
            team.ratings.append((find_objective(plan, name), rating.rating, rating.comment))
        except UnknownName as exc:
            raise fail(("ratings", name), str(exc), key=True) from None
    team.hotwash = [(h.question, h.answer) for h in model.hotwash]
    team.actions = read_actions(path, doc, model.actions, plan)
    for name, entry in model.decisions.items():
        if entry.poll is not None:
            problem = _cited_poll(team.actions, entry.poll, find_step(plan, name, decision=True))
            if problem:
                raise fail(("decisions", name, "poll"), problem)
    return team


def _note(plan: Plan, note: NoteEntry, fail: Any) -> TeamNote:
    if note.at is not None and note.after is not None:
        raise fail("after", "a note is taken either `at` a time or `after` a step, not both")
    if note.at is not None and note.at[0] != "absolute":
        raise fail("at", "a note's `at` is a scenario time from the start, like T+1h")
    step = after = None
    try:
        if note.step is not None:
            step = find_step(plan, note.step)
    except UnknownName as exc:
        raise fail("step", str(exc)) from None
    try:
        if note.after is not None:
            after = find_step(plan, note.after)
    except UnknownName as exc:
        raise fail("after", str(exc)) from None
    if note.at is None and after is None:
        after = step  # a note on a step, with no time, is taken when that step is done
    return TeamNote(note.kind, note.text, step, note.at[1] if note.at else None, after, note.by)
