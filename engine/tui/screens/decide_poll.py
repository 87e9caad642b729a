"""The decision form's poll part: the tally of the latest poll on this decision, and a switch to cite it
(decision.made's `poll`), on by default. Nothing is shown when no poll was put on the decision."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Checkbox, Static

from engine.drill.state import DrillState
from engine.tui.poll_actions import tally_lines


def poll_on(state: DrillState, step: str) -> str | None:
    """The id of the latest poll on decision `step`, or None."""
    return next((p.poll for p in reversed(state.polls.values()) if p.step == step), None)


def poll_fields(state: DrillState, step: str) -> ComposeResult:
    poll = poll_on(state, step)
    if poll is None:
        return
    yield Static(Content("\n").join(tally_lines(state.polls[poll], state.plan)), markup=False, id="poll-tally")
    with Horizontal(classes="field-row"):
        yield Checkbox(Content(f"Cite {poll} in the decision"), value=True, id="cite-poll", compact=True)


def cited(form: Any) -> str | None:
    """The poll the form cites: the latest on its decision when the switch is on; None otherwise."""
    boxes = form.query("#cite-poll")
    if not boxes or not boxes.first(Checkbox).value:
        return None
    return poll_on(form.drill.state, form.step.key)
