"""Typed model of an improvement-plan file (see docs/improvements.md).

    improvements: m365-na-outage          # the plan's id
    items:
      - id: ip-20260122-17
        finding: {log: exports/drills/....jsonl, line: 17, drill: 3f1c..., note: Nobody knew ...}
        action: Print the escalation numbers into the binder
        element: planning                 # HSEEP POETE
        owner: Dana Okafor
        due: 2026-03-01
        status: open                      # open | in-progress | done | verified | wont-fix
        touches: {steps: [admin-console-loss/provider-escalation],
                  objectives: [admin-console-loss/provider-accountability]}

Strict like runbooks: unknown keys and wrong types are schema findings at their line.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from engine.improvement.states import OPEN_STATUSES as OPEN_STATUSES
from engine.improvement.states import STATUSES as STATUSES
from engine.model import ID_PATTERN, Id, Text, _Strict

ELEMENTS = ("planning", "organization", "equipment", "training", "exercise")  # HSEEP POETE
REF_PATTERN = "^" + ID_PATTERN.strip("^$") + "/" + ID_PATTERN.strip("^$") + "$"
_REF = re.compile(REF_PATTERN)


def _check_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "timestamp", "{value} is not a date like 2026-03-01", {"value": repr(value)}) from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise PydanticCustomError("timestamp", "{value} is not a date like 2026-03-01", {"value": repr(value)})
    return value


def _check_ref(value: str) -> str:
    if not _REF.match(value):
        raise PydanticCustomError(
            "id", "{value} is not a reference like 'runbook-id/step-id'", {"value": repr(value)})
    return value


Day = Annotated[str, AfterValidator(_check_date),
                WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-03-01"]})]
Ref = Annotated[str, AfterValidator(_check_ref), WithJsonSchema({"type": "string", "pattern": REF_PATTERN})]
Status = Literal["open", "in-progress", "done", "verified", "wont-fix"]
Element = Literal["planning", "organization", "equipment", "training", "exercise"]


class Source(_Strict):
    """The area for improvement an item answers: a note in a drill log."""

    log: Text = Field(description="The drill log, as a path from the repository's root")
    line: int = Field(ge=1, description="The note's line in the log (1-based)")
    drill: str | None = Field(None, pattern="^[0-9a-f]{16,64}$",
                              description="The drill's id: SHA-256 (hex, 16 or more digits) of the log's first line")
    note: Text = Field(description="The note's text as the log holds it")


class Touches(_Strict):
    """What the item changes, and what a later drill verifies it by."""

    steps: list[Ref] = Field(default_factory=list, description="Runbook steps, as runbook-id/step-id")
    objectives: list[Ref] = Field(default_factory=list, description="Objectives, as runbook-id/objective-id")


class Item(_Strict):
    """One corrective action of the plan."""

    id: Id
    finding: Source | None = Field(None, description="The drill note it answers (none for an item added by hand)")
    action: Text | None = Field(None, description="The corrective action")
    element: Element | None = Field(None, description="HSEEP capability element (POETE)")
    owner: Text | None = None
    due: Day | None = Field(None, description="Due date, YYYY-MM-DD")
    status: Status = "open"
    reason: Text | None = Field(None, description="Why it will not be fixed (status wont-fix)")
    completed: Day | None = Field(None, description="When it was done, YYYY-MM-DD; a drill after it verifies it")
    touches: Touches = Field(default_factory=Touches)


class ImprovementPlan(_Strict):
    """An improvement plan (the IP of an AAR/IP): corrective actions tracked to verification."""

    improvements: Id
    title: Text | None = None
    items: list[Item] = Field(default_factory=list)
