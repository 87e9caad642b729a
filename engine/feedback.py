"""HSEEP's participant feedback form: the one question set behind the printed form and the drill room's.

`tabletop handbook --for feedback` prints these items; the drill room's form
(engine.room) asks the same ones, and a `feedback.submitted` event
(engine.drill.events) records the answers by the items' ids. An id never
changes meaning once released: a reworded statement keeps its id, a new
question gets a new one, and a retired id stays listed in RETIRED so older
logs still replay.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALE = (1, 2, 3, 4, 5)
SCALE_WORDS = {1: "strongly disagree", 2: "disagree", 3: "neither agree nor disagree", 4: "agree",
               5: "strongly agree"}

MAX_ABOUT = 120  # characters of a name, role or organisation
MAX_ANSWER = 2000  # characters of one open answer
MAX_RESPONSES = 500  # responses a drill takes: past this the form is full


@dataclass(frozen=True)
class Item:
    """One line of the form. id: stable, lowercase with hyphens; text: as the participant reads it;
    lines: ruled lines left to write on paper (open questions only)."""

    id: str
    text: str
    lines: int = 0


ABOUT = (
    Item("name", "Name (optional)"),
    Item("role", "Role in the exercise"),
    Item("organisation", "Organisation"),
)

STATEMENTS = (
    Item("organised", "The exercise was well organised and kept to its schedule."),
    Item("realistic", "The scenario was realistic and believable."),
    Item("facilitation", "The facilitators knew the subject and kept the discussion moving."),
    Item("situation-manual", "The Situation Manual was useful before and during the exercise."),
    Item("participants", "The right people and roles were in the room."),
    Item("plans", "I understand my organisation's plans better after the exercise."),
    Item("actions", "I know what I need to do differently after the exercise."),
)

QUESTIONS = (
    Item("strengths", "What went well? Name up to three strengths you saw.", 3),
    Item("improvements", "What needs to improve? Name up to three areas, and who should act on them.", 3),
    Item("own-changes", "What will you change in your own work or plans after today?", 2),
    Item("next-time", "How could this exercise be better next time?", 2),
)

RETIRED: dict[str, str] = {}  # id -> its text, for logs written before it left the form

STATEMENT_IDS = frozenset(i.id for i in STATEMENTS) | frozenset(RETIRED)
QUESTION_IDS = frozenset(i.id for i in QUESTIONS) | frozenset(RETIRED)


def text_of(item_id: str) -> str:
    """The words of a statement or question by id (the id itself when unknown)."""
    for item in (*STATEMENTS, *QUESTIONS):
        if item.id == item_id:
            return item.text
    return RETIRED.get(item_id, item_id)


def scale_ends() -> str:
    """`1 strongly disagree, 5 strongly agree`."""
    low, high = SCALE[0], SCALE[-1]
    return f"{low} {SCALE_WORDS[low]}, {high} {SCALE_WORDS[high]}"
