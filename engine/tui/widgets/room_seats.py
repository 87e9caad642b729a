"""The Room pane's list of who is in the drill room (the seats taken now, from seat.joined / seat.left) and
the facilitator's link per role. Names are the participants' own text: shown literally, never as markup."""

from __future__ import annotations

from textual.content import Content

from engine.drill.clock import format_t
from engine.drill.state import DrillState
from engine.tui.literal import literal


def who_is_in(state: DrillState) -> list[Content]:
    """"In the room: N", then one line a seat taken now, in the order joined: `name · role · since T+h:mm`."""
    seated = sorted(state.seated.values())
    lines = [Content.styled(f"In the room: {len(seated)}", "bold")]
    for row in seated:
        stay = state.attendance[row]
        lines.append(Content(f"  {literal(stay.name, one_line=True)} · {literal(stay.role)} · since "
                             f"{format_t(stay.joined_t)}"))
    if not seated:
        lines.append(Content.styled("  nobody has joined yet", "dim"))
    return lines


def role_links(participant: str, roles: list[str]) -> list[Content]:
    """A participant link per role (the join form chooses that role), for the facilitator to hand out."""
    return [Content("A link per role"), *(Content(f"  {literal(f'{participant}?role={role}')}") for role in roles)]
