"""The MSEL as it stands: injects fired (with T+), due, upcoming (with a countdown) and contingent,
and the words of the latest inject for the facilitator to read out again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from engine.drill.plan import PlanInject
from engine.drill.state import DrillState
from engine.tui import display
from engine.tui.widgets.pane_text import PaneText

NEXT_SHOWN = 3  # upcoming injects listed above the latest inject's words


def target_line(state: DrillState, inject: PlanInject) -> str:
    if not inject.to:
        return ""
    name = state.participants.get(inject.to)
    return f" → {inject.to}" + (f" ({name})" if name else "")


def condition(state: DrillState, inject: PlanInject) -> str:
    """When a contingency inject will arm, or that it never will (the team chose another option)."""
    step = (inject.after_step or "").partition("/")[2] or inject.after_step or "?"
    decision = state.decisions.get(inject.after_step or "")
    if inject.after_option and decision and decision.option != inject.after_option:
        return f"will not come: {step} chose {decision.option}"
    when = f"option {inject.after_option} of {step}" if inject.after_option else f"{step} done"
    return f"after {when} +{display.span(inject.at or 0)}"


class InjectTimeline(VerticalScroll, can_focus=False):
    def compose(self) -> ComposeResult:
        yield PaneText()

    def show(self, state: DrillState, now_t: float) -> None:
        """What comes next, the latest inject's words (to read out again), then the rest of the MSEL."""
        upcoming = state.upcoming()
        fired = sorted(state.fired.values(), key=lambda f: f.seq, reverse=True)
        waiting = [i for i in state.plan.injects if i.id not in state.fired and state.due_time(i) is None]
        lines: list[Content] = []
        if upcoming:
            lines.append(Content.styled("Next", "bold"))
            lines += [self._upcoming(state, t, inject, now_t) for t, inject in upcoming[:NEXT_SHOWN]]
        if fired:
            latest = fired[0]
            inject = state.plan.inject(latest.id)
            lines += [Content(""), Content.assemble(("Latest ", "bold"), display.clock(latest.t), " ",
                                                    (display.literal(latest.id), "bold"),
                                                    display.literal(target_line(state, inject) if inject else ""))]
            if inject and inject.say:
                lines.append(display.content(inject.say.strip(), "italic"))
        if len(upcoming) > NEXT_SHOWN:
            lines += [Content(""), Content.styled("Later", "bold")]
            lines += [self._upcoming(state, t, inject, now_t) for t, inject in upcoming[NEXT_SHOWN:]]
        if waiting:
            lines += [Content(""), Content.styled("Waiting on the team", "bold")]
            lines += [Content.assemble(("? ", "dim"), (display.literal(inject.id), "dim"),
                                       (f"  {display.literal(condition(state, inject))}", "dim")) for inject in waiting]
        if fired:
            lines += [Content(""), Content.styled("Fired", "bold")]
        for item in fired:
            inject = state.plan.inject(item.id)
            how = " (by hand)" if item.manual else ""
            lines.append(Content.assemble(("✓ ", "dim"), (display.clock(item.t), "dim"), " ",
                                          (display.literal(item.id) + how, "dim"),
                                          (display.literal(target_line(state, inject) if inject else ""), "dim")))
        self.query_one(PaneText).show(Content("\n").join(lines) if lines else Content("This scenario has no injects."))

    @staticmethod
    def _upcoming(state: DrillState, t: float, inject: PlanInject, now_t: float) -> Content:
        if t <= now_t:
            return Content.assemble(("! due now ", "bold"), (display.literal(inject.id), "bold"),
                                    display.literal(target_line(state, inject)))
        return Content.assemble("○ ", display.clock(t), " ", display.literal(inject.id),
                                (f"  in {display.countdown(t - now_t)}", "bold"),
                                display.literal(target_line(state, inject)))
