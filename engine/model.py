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
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, WithJsonSchema
from pydantic_core import PydanticCustomError

from engine.bounds import OutOfBounds, check_wall
from engine.duration import DurationError, parse_duration, parse_offset

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
DURATION_PATTERN = r"^\s*(\d+[dhms])+\s*$"
CONTROL_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*:[A-Za-z0-9][A-Za-z0-9.()-]*$"
_CONTROL = re.compile(CONTROL_PATTERN)
OFFSET_PATTERN = r"^\s*((T\+|\+)?(\d+[dhms])+|(T\+|\+)(0|\d+:[0-5]\d(:[0-5]\d)?))\s*$"


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise PydanticCustomError(
            "id",
            "{value} is not a valid id: use lowercase kebab-case like 'detect-deferrals'",
            {"value": repr(value)},
        )
    return value


def _check_control(value: str) -> str:
    if not _CONTROL.match(value):
        raise PydanticCustomError(
            "control",
            "{value} is not a control: write the catalogue, a colon and the control's id, like 'soc2:CC7.4'",
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
Control = Annotated[
    str, AfterValidator(_check_control),
    WithJsonSchema({"type": "string", "pattern": CONTROL_PATTERN, "examples": ["soc2:CC7.4", "nist-800-53:CP-4"]}),
]
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
    within: Duration | None = Field(None, description="Time the team has, from the step becoming ready, e.g. 15m")
    default: Id | None = Field(None, description="The option taken when `within` runs out")


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


class Objective(_Strict):
    """An objective written as a mapping: its text and the controls (catalogue:id) it exercises."""

    text: Text
    controls: list[Control] = Field(default_factory=list, description="Controls it exercises, e.g. soc2:CC7.4")


# Tags of the two ways to write an objective; engine.schema drops them from error locations.
TEXT_TAG, MAPPING_TAG = "[as-text]", "[as-mapping]"


def _objective_form(value: Any) -> str:
    return MAPPING_TAG if isinstance(value, dict) or isinstance(value, BaseModel) else TEXT_TAG


ObjectiveEntry = Annotated[
    Annotated[str, Field(min_length=1), Tag(TEXT_TAG)] | Annotated[Objective, Tag(MAPPING_TAG)],
    Discriminator(_objective_form),
]


class Runbook(_Strict):
    """What the team does: a dependency graph of steps."""

    runbook: Id
    title: Text
    version: int | None = Field(None, ge=0, le=999_999_999, description="A whole number, 0 or more")
    summary: Text | None = None
    services: dict[Id, Text] = Field(default_factory=dict)
    roles: dict[Id, Text] = Field(default_factory=dict)
    objectives: dict[Id, ObjectiveEntry] = Field(
        default_factory=dict, description="Text, or a mapping with `text` and the `controls` it exercises")
    controls: list[Control] = Field(default_factory=list,
                                    description="Controls (catalogue:id) the runbook exercises as a whole")
    drill_every: Duration | None = Field(None, description="Drill it live at least this often, e.g. 90d "
                                         "(`tabletop readiness`; overrides drill_every in the settings)")
    steps: dict[Id, Step] = Field(min_length=1)


# The scenario's models (injects, modules, the exercise overview) live in engine.scenario_model and
# are built on first use: validating runbooks alone never pays for them.
_SCENARIO_NAMES = ("After", "Inject", "MissionArea", "ExerciseType", "Contact", "Exercise", "Question", "Module",
                   "Scenario")
KINDS = ("runbook", "scenario", "improvements")  # the top key that names each kind of file


def model_of(kind: str) -> type[_Strict]:
    """The model of a kind of file (KeyError for another); the improvement plan's lives in
    engine.improvement.model, the scenario's in engine.scenario_model."""
    if kind == "runbook":
        return Runbook
    if kind == "scenario":
        from engine.scenario_model import Scenario

        return Scenario
    if kind == "improvements":
        from engine.improvement.model import ImprovementPlan

        return ImprovementPlan
    raise KeyError(kind)


def __getattr__(name: str) -> Any:
    if name in _SCENARIO_NAMES:
        import engine.scenario_model

        return getattr(engine.scenario_model, name)
    if name == "MODELS":
        return {"runbook": Runbook, "scenario": model_of("scenario")}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from engine.scenario_model import (
        After,
        Contact,
        Exercise,
        ExerciseType,
        Inject,
        MissionArea,
        Module,
        Question,
        Scenario,
    )

    MODELS: dict[str, type[_Strict]]

__all__ = ["CONTROL_PATTERN", "ID_PATTERN", "KINDS", "After", "Contact", "Control", "Decision", "Duration",
           "Exercise", "ExerciseType", "Health", "Id", "Inject", "MissionArea", "Module", "Objective", "Offset",
           "Option", "Question", "Runbook", "Scenario", "Step", "Text", "Timestamp", "model_of"]
