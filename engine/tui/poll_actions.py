"""The console's room actions: open a poll, show or close it (key v), and the participants' suggestions
(key g), with the lines the Room pane and the decision form show of them.

Every line here is drawn from drill.state; the participants' text is literal (never markup). A poll never
moves the drill: the facilitator still records each decision, which may cite the poll.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content

from engine.drill.plan import Plan
from engine.drill.records import PollRecord
from engine.drill.state import DrillState
from engine.tui.literal import literal

POLL_ACTIONS = ("poll", "proposals")
BAR = 20  # characters of the widest tally bar
OPTION_WIDTH = 48  # characters of an option shown in a tally row: with its bar, one row of 80 columns
ANSWER_WIDTH = 60  # characters of a free-text answer shown in the tally (the report has it whole)


def refusal(app: Any, action: str) -> str | None:
    """Why a room action does not apply now (None: it does)."""
    if getattr(app, "room_server", None) is None:
        return "polls and proposals come from the drill room, which is not open (start the console with --room)"
    if action == "proposals" and not app.drill.state.proposals:
        return "no participant has proposed anything yet"
    return None


def tally_lines(poll: PollRecord, plan: Plan) -> list[Content]:
    """The poll's question, then one line an option in the runbook's words (`Hold and watch the queues  ███  3`),
    as the room and the report show it, or the free-text answers, newest first."""
    state = "open" if poll.open else "closed"
    shown = ", shown on the projector" if poll.revealed_t is not None else ""
    lines = [Content.assemble((f"Poll {poll.poll} ({state}{shown}): ", "bold"), literal(poll.text, one_line=True)),
             Content(f"  {len(poll.answers)} answered")]
    counts = poll.tally if poll.tally is not None else poll.count()
    top = max([1, *counts.values()])
    cut = {o: clipped(plan.worded(poll.step, o), OPTION_WIDTH) for o in counts}
    width = max([1, *(len(text) for text in cut.values())])
    for option, n in counts.items():
        lines.append(Content.assemble(f"  {cut[option]:<{width}}  ", ("█" * round(BAR * n / top), "bold"), f" {n}"))
    if not poll.options:
        for answer in list(poll.answers.values())[::-1][:6]:
            lines.append(Content(f"  · {clipped(answer, ANSWER_WIDTH)}"))
    return lines


def clipped(text: str, limit: int) -> str:
    """`text` literal on one line, cut to `limit` characters with an ellipsis: a row of the tally stays one row
    (twelve options of 120 characters, or six answers of 500, pushed the poll's buttons off an 80x24 screen)."""
    flat = literal(text, one_line=True)
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def room_lines(state: DrillState) -> list[Content]:
    """For the Room pane: the latest poll with its tally (v to open, show or close) and the suggestions."""
    poll = next(reversed(state.polls.values()), None)
    out = tally_lines(poll, state.plan) if poll is not None else [Content("No poll yet (v opens one).")]
    if poll is not None:
        out.append(Content.styled("  v: show it or close it" if poll.open else "  v: open another", "dim"))
    new = sum(p.taken_t is None for p in state.proposals)
    out.append(Content(f"Suggestions from the room: {new} new of {len(state.proposals)} (g lists them)"
                       if state.proposals else "Suggestions from the room: none yet"))
    return out


def open_or_manage(screen: Any) -> None:
    """v: the poll form when no poll is open, else the open poll's tally with Show and Close."""
    from engine.tui.screens.poll import OpenPollScreen, PollScreen

    poll = screen.drill.state.open_poll()
    screen.app.push_screen(OpenPollScreen() if poll is None else PollScreen(poll.poll))


def proposals(screen: Any) -> None:
    from engine.tui.screens.proposals import ProposalsScreen

    screen.app.push_screen(ProposalsScreen())
