"""Typed models of a scenario: its injects and their conditions (see docs/format.md).

Imported through engine.model (`from engine.model import Scenario` works as
before); a module of its own so that validating runbooks alone never builds
these classes. The shared types and rules are engine.model's.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from engine.model import Duration, Health, Id, Offset, Text, Timestamp, _Strict


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
