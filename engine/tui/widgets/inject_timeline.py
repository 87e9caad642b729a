"""The MSEL as it stands: what comes next (with a countdown), the latest inject's words to read out
again, every fired inject (↑↓ to move, Enter to read one in full), then later and contingency injects.

One OptionList, like the step detail: the fired injects are its options, the rest is text in disabled
options, so the keyboard moves only over what can be opened. The text options change every second
(countdowns); the fired options only when an inject fires.

The list scrolls (at 80x24 the pane is some ten lines, and the newest fired inject is scrolled into
view), but never so that it starts inside the "Next" list: its top line would then be a later inject
read as the next one. It starts at the top, or below the whole "Next" list.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.drill.plan import PlanInject
from engine.drill.state import DrillState, FiredInject
from engine.tui import display

NEXT_SHOWN = 3  # upcoming injects listed above the latest inject's words
FIRED = "fired-"  # option ids of fired injects: fired-<inject id>


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


def fired_order(state: DrillState) -> list[str]:
    """Fired inject ids, oldest first (the order of their events in the log)."""
    return [f.id for f in sorted(state.fired.values(), key=lambda f: f.seq)]


def fired_label(state: DrillState, item: FiredInject) -> Content:
    """`✓ T+0:12:05 gateway-backlog (by hand) → messaging-lead (Priya)`."""
    inject = state.inject(item.id)
    how = (" (ad hoc)" if item.id in state.adhoc else " (by hand)" if item.manual
           else " (late: jumped past)" if item.late_t is not None else "")
    if item.id in state.withdrawn:
        how += f" (withdrawn at {display.clock(state.withdrawn[item.id].t)})"
    return Content.assemble("✓ ", display.clock(item.t), " ", (display.literal(item.id), "bold"), how,
                            (display.literal(target_line(state, inject) if inject else ""), "dim"))


def _text(lines: list[Content]) -> Option:
    return Option(Content("\n").join(lines), disabled=True)


class InjectTimeline(OptionList):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._fired: tuple[object, ...] = ()
        self._texts: tuple[str, ...] = ()

    def chosen(self) -> str | None:
        """The fired inject under the highlight, if any."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return option_id.removeprefix(FIRED) if option_id.startswith(FIRED) else None

    def highlight_newest(self) -> None:
        """Put the highlight on the newest fired inject (where re-reading usually starts)."""
        order = [o.id for o in self.options if o.id and o.id.startswith(FIRED)]
        if order:
            self.highlighted = self.get_option_index(order[0])

    def show(self, state: DrillState, now_t: float) -> None:
        """Redraw from the state: the text parts every call, the fired list when something fired."""
        parts, after = self._before(state, now_t), self._after(state, now_t)
        fired = sorted(state.fired.values(), key=lambda f: f.seq, reverse=True)
        signature = tuple((f.id, f.t, f.manual, f.id in state.withdrawn) for f in fired) + (
            tuple(state.participants.items()), len(parts))
        texts = (*(str(part) for part in parts), str(after))
        if signature == self._fired and self.option_count:
            if texts != self._texts:
                for index, part in enumerate(parts):
                    self.replace_option_prompt_at_index(index, part)
                self.replace_option_prompt_at_index(self.option_count - 1, after)
                self._texts = texts
            return
        keep = self.chosen()
        options = [_text([part]) for part in parts]
        if fired:
            options.append(_text([Content(""), Content.assemble(("Fired ", "bold"),
                                                                ("↑↓ then Enter reads one again", "dim"))]))
            options += [Option(fired_label(state, item), id=FIRED + item.id) for item in fired]
        options.append(_text([after]))
        self._fired, self._texts = signature, texts
        self.set_options(options)
        if keep is not None:
            self.highlighted = self.get_option_index(FIRED + keep)
        elif fired:
            self.highlight_newest()

    def validate_scroll_y(self, value: float) -> float:
        """Never start the view inside the "Next" list (the first option): a scroll that would is taken to
        the top when it goes up, and past the whole list when it goes down (so a fired inject highlighted
        at the bottom stays in view)."""
        value = super().validate_scroll_y(value)
        rows = self._next_rows()
        if 0 < value < rows:
            return 0.0 if value < self.scroll_y else float(min(rows, self.max_scroll_y))
        return value

    def _next_rows(self) -> int:
        """Lines the "Next" list takes as drawn (0: there is none)."""
        if not self.option_count or not str(self.get_option_at_index(0).prompt).startswith("Next"):
            return 0
        return self._heights.get(0, 0)

    def _before(self, state: DrillState, now_t: float) -> list[Content]:
        """The options above the fired injects: what comes next (the injects with a time, soonest first, as
        the header reads them), then the latest inject's words to read out again; or a word that there is
        neither."""
        upcoming = state.upcoming()
        parts: list[Content] = []
        if upcoming:
            lines = [Content.styled("Next", "bold")]
            lines += [self._upcoming(state, t, inject, now_t) for t, inject in upcoming[:NEXT_SHOWN]]
            parts.append(Content("\n").join(lines))
        latest = max(state.fired.values(), key=lambda f: f.seq, default=None)
        if latest is not None:
            inject = state.inject(latest.id)
            gone = " (withdrawn)" if latest.id in state.withdrawn else ""
            lines = [Content("")] if parts else []
            lines.append(Content.assemble(("Latest ", "bold"), display.clock(latest.t), " ",
                                          (display.literal(latest.id), "bold"), gone,
                                          display.literal(target_line(state, inject) if inject else "")))
            if inject and inject.say:
                lines.append(display.content(inject.say.strip(), "italic"))
            parts.append(Content("\n").join(lines))
        if not parts:
            parts.append(Content("This scenario has no injects." if not state.plan.injects else "No inject yet."))
        return parts

    def _after(self, state: DrillState, now_t: float) -> Content:
        """Later scheduled injects, then contingency injects waiting on the team."""
        upcoming = state.upcoming()
        waiting = [i for i in state.plan.injects if i.id not in state.fired and state.due_time(i) is None]
        lines: list[Content] = []
        if len(upcoming) > NEXT_SHOWN:
            lines += [Content(""), Content.styled("Later", "bold")]
            lines += [self._upcoming(state, t, inject, now_t) for t, inject in upcoming[NEXT_SHOWN:]]
        if waiting:
            lines += [Content(""), Content.styled("Waiting on the team", "bold")]
            lines += [Content.assemble(("? ", "dim"), (display.literal(inject.id), "dim"),
                                       (f"  {display.literal(condition(state, inject))}", "dim")) for inject in waiting]
        return Content("\n").join(lines)

    @staticmethod
    def _upcoming(state: DrillState, t: float, inject: PlanInject, now_t: float) -> Content:
        if t <= now_t:
            return Content.assemble(("! due now ", "bold"), (display.literal(inject.id), "bold"),
                                    display.literal(target_line(state, inject)))
        return Content.assemble("○ ", display.clock(t), " ", display.literal(inject.id),
                                (f"  in {display.countdown(t - now_t)}", "bold"),
                                display.literal(target_line(state, inject)))
