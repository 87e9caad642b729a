"""The participant feedback form, from the console: open it before the end or close it (key F), and one line
saying where it stands for the Room pane and the closing summary.

The form lives in the drill room (engine.room.feedback) and opens by itself when
the drill ends; the facilitator opens it early (say, for a participant who must
leave) or closes it once the forms are in. Both are drill events.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content

from engine.drill.state import DrillState


def refusal(app: Any) -> str | None:
    """Why F does nothing now (None: it toggles the form)."""
    if getattr(app, "room_server", None) is None:
        return "the feedback form is in the drill room, which is not open (start the console with --room)"
    return None


def toggle(app: Any) -> None:
    """Open the form if it is closed, close it if open; say which."""
    drill = app.drill
    by = drill.state.facilitator or ""
    opening = not drill.state.feedback_open
    if app.perform(lambda: drill.open_feedback(by) if opening else drill.close_feedback(by)):
        app.notify("Participants can send the feedback form from the room's participant page." if opening
                   else "No more feedback forms are taken (F opens the form again).",
                   title="Feedback form open" if opening else "Feedback form closed", markup=False)


def line(state: DrillState) -> Content:
    """`Feedback form: open · 3 received (F closes it)`."""
    count = len(state.feedback)
    received = f"{count} received" if count else "none received yet"
    if state.feedback_open:
        return Content.assemble(("Feedback form: open", "bold"), f" · {received} (F closes it)")
    when = "" if state.ended or state.feedback_set is False else ", opens when the drill ends"
    return Content(f"Feedback form: closed{when} · {received} (F opens it)")
