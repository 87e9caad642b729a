"""Typed models of runbooks and scenarios (see docs/format.md).

pydantic v2 validates a file's data in one pass, reports every problem with
its location inside the document (which the loader maps to file:line:col),
and gives the JSON Schema for editors for free. Models are strict: YAML
`15` is not the string "15", and unknown keys are errors, because a typo in
a runbook should fail CI rather than silently drop a step's dependency.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from engine.bounds import OutOfBounds, check_wall
from engine.duration import DurationError, parse_duration, parse_offset

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
DURATION_PATTERN = r"^\s*(\d+[dhms])+\s*$"
OFFSET_PATTERN = r"^\s*((T\+|\+)?(\d+[dhms])+|(T\+|\+)(0|\d+:[0-5]\d(:[0-5]\d)?))\s*$"


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise PydanticCustomError(
            "id",
            "{value} is not a valid id: use lowercase kebab-case like 'detect-deferrals'",
            {"value": repr(value)},
        )
    return value


def _to_seconds(value: Any) -> int:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration", "expected a duration like 15m, 2h or 1h30m, got {kind}", {"kind": _kind(value)}
        )
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


def _to_offset(value: Any) -> tuple[str, int]:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration", "expected a scenario time like T+20m or +30m, got {kind}", {"kind": _kind(value)}
        )
    try:
        return parse_offset(value)
    except DurationError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


def _check_timestamp(value: str) -> str:
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PydanticCustomError(
            "timestamp", "{value} is not an ISO 8601 time like 2026-01-22T19:33:00Z", {"value": repr(value)}
        ) from None
    if stamp.tzinfo is None:
        raise PydanticCustomError("timestamp", "{value} has no time zone; add Z for UTC", {"value": repr(value)})
    try:
        check_wall(stamp, "the time")
    except OutOfBounds as exc:
        raise PydanticCustomError("timestamp", str(exc)) from None
    return value


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), "nothing" if value is None else type(value).__name__
    )


Id = Annotated[str, AfterValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
Duration = Annotated[
    int,
    BeforeValidator(_to_seconds),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["15m", "2h", "1h30m"]}),
]
Offset = Annotated[
    tuple[str, int],
    BeforeValidator(_to_offset),
    WithJsonSchema({"type": "string", "pattern": OFFSET_PATTERN, "examples": ["T+20m", "+30m", "T+1:30"]}),
]
Timestamp = Annotated[
    str, AfterValidator(_check_timestamp), WithJsonSchema({"type": "string", "format": "date-time"})
]
Text = Annotated[str, Field(min_length=1)]
Health = Literal["up", "degraded", "down"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Option(_Strict):
    """One answer to a decision, and the branch steps it opens."""

    label: Text | None = None
    next: list[Id] = Field(default_factory=list, description="Branch steps this option opens")


class Decision(_Strict):
    """A question the team must answer; each option opens its own branch."""

    question: Text
    options: dict[Id, Option]


class Step(_Strict):
    """One thing the team does, with who owns it and what it waits for."""

    title: Text
    summary: Text | None = None
    owner: Id | None = Field(None, description="A role id of this runbook")
    target: Duration | None = Field(None, description="Expected duration, e.g. 15m")
    objectives: list[Id] = Field(default_factory=list)
    do: list[Text] = Field(default_factory=list, description="Checklist the facilitator can tick")
    needs: list[Id] = Field(default_factory=list, description="Steps that must be done or skipped first")
    requires: list[Id] = Field(default_factory=list, description="Services this step cannot do without")
    fallback: Id | None = Field(None, description="Branch step opened while a required service is down")
    decision: Decision | None = None
    on: Id | None = Field(None, description="Event that opens this branch step")


class Runbook(_Strict):
    """What the team does: a dependency graph of steps."""

    runbook: Id
    title: Text
    version: int | None = Field(None, ge=0, le=999_999_999, description="A whole number, 0 or more")
    summary: Text | None = None
    services: dict[Id, Text] = Field(default_factory=dict)
    roles: dict[Id, Text] = Field(default_factory=dict)
    objectives: dict[Id, Text] = Field(default_factory=dict)
    drill_every: Duration | None = Field(None, description="Drill it live at least this often, e.g. 90d "
                                         "(`tabletop readiness`; overrides drill_every in the settings)")
    steps: dict[Id, Step] = Field(min_length=1)


class After(_Strict):
    """The condition of a contingency inject: a decision option taken, or a step done."""

    decision: Id | None = None
    option: Id | None = None
    step: Id | None = None


class Inject(_Strict):
    """One row of the MSEL: something that happens to the team."""

    id: Id
    title: Text | None = Field(None, description="A short name, as an MSEL's Subject or Title column gives it")
    at: Offset | None = Field(None, description="T+20m, or +30m after the `after` condition")
    after: After | None = None
    event: Id | None = Field(None, description="Opens `on:` branch steps listening for it")
    services: dict[Id, Health] = Field(default_factory=dict)
    to: Id | None = Field(None, description="Intended player: a role id")
    say: Text | None = Field(None, description="What the facilitator reads out")
    expect: Text | None = Field(None, description="The response the exercise expects")
    objectives: list[Id] = Field(default_factory=list)


MissionArea = Literal["prevention", "protection", "mitigation", "response", "recovery"]
ExerciseType = Literal["seminar", "workshop", "tabletop", "game", "drill", "functional", "full-scale"]


class Contact(_Strict):
    """A point of contact for the exercise (HSEEP lists them in every exercise document)."""

    name: Text
    role: Text | None = Field(None, description="Their part in the exercise, e.g. exercise director")
    organisation: Text | None = None
    email: Text | None = None
    phone: Text | None = None


class Exercise(_Strict):
    """The HSEEP exercise overview: what the handbooks and the after-action report open with."""

    type: ExerciseType | None = Field(None, description="The HSEEP exercise type; tabletop when not given")
    date: Text | None = Field(None, description="When the exercise is held, as people should read it")
    location: Text | None = None
    scope: Text | None = Field(None, description="What is in play and what is not: duration, players, limits")
    mission_areas: list[MissionArea] = Field(default_factory=list, alias="mission-areas")
    core_capabilities: list[Text] = Field(
        default_factory=list, alias="core-capabilities",
        description="Core capabilities of the National Preparedness Goal the exercise tests",
    )
    threat: Text | None = Field(None, description="The threat or hazard")
    sponsor: Text | None = None
    organisations: list[Text] = Field(default_factory=list, description="Participating organisations")
    contacts: list[Contact] = Field(default_factory=list, description="Points of contact")


class Question(_Strict):
    """A discussion question put to the players at the end of a module's situation update."""

    id: Id
    ask: Text = Field(description="The question as the players read it")
    to: list[Id] = Field(default_factory=list, description="Role ids the question is aimed at")
    objectives: list[Id] = Field(default_factory=list, description="Objectives the discussion informs")
    prompts: list[Text] = Field(
        default_factory=list, description="Follow-ups for the facilitator only; never in the Situation Manual"
    )
    expect: list[Text] = Field(
        default_factory=list, description="Points a good discussion covers; facilitators and evaluators only"
    )


class Module(_Strict):
    """A part of a discussion-based exercise: a situation update, its injects, then questions."""

    id: Id
    title: Text
    situation: Text | None = Field(None, description="The narrative read at the start of the module")
    at: Offset | None = Field(None, description="T+2h, or +30m after the `after` condition")
    after: After | None = None
    injects: list[Id] = Field(default_factory=list, description="Ids of the injects that belong to it")
    questions: list[Question] = Field(default_factory=list)


class Scenario(_Strict):
    """What happens to the team: a timed list of injects (an MSEL), optionally in modules."""

    scenario: Id
    title: Text
    summary: Text | None = None
    exercise: Exercise | None = None
    runbooks: list[Id] = Field(min_length=1)
    duration: Duration | None = None
    anchor: Timestamp | None = Field(None, description="Real-world moment of T+0")
    modules: list[Module] = Field(default_factory=list)
    injects: list[Inject] = Field(default_factory=list)


MODELS: dict[str, type[_Strict]] = {"runbook": Runbook, "scenario": Scenario}
KINDS = ("runbook", "scenario", "improvements")  # the top key that names each kind of file


def model_of(kind: str) -> type[_Strict]:
    """The model of a kind of file; the improvement plan's lives in engine.improvement.model."""
    if kind == "improvements":
        from engine.improvement.model import ImprovementPlan

        return ImprovementPlan
    return MODELS[kind]
