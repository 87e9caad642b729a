"""Record a decision: the option chosen, the rationale, and who decided (the owner's name to start with,
else the owner's role). A timed decision shows its countdown, moved by the clock's tick. The option list
keeps the focus when an option is marked; Enter goes on to "Why", then to "Decided by". A blank rationale
or decider is refused, saying which."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.tui import display
from engine.tui.literal import one_line
from engine.tui.screens.decide_poll import cited, poll_fields
from engine.tui.screens.form import buttons, field
from engine.tui.screens.option_pick import OptionPick
from engine.tui.widgets.step_detail import time_limit

if TYPE_CHECKING:
    from engine.drill.plan import PlanStep
    from engine.drill.state import DrillState


def decider(state: DrillState, step: PlanStep) -> str:
    """Who decides `step` to start with: the name the room gave its owner's role, else the role; "" if none."""
    owner = step.owner or ""
    return state.participants.get(owner) or owner


class DecideScreen(OptionPick):
    CHOICE_LISTS = {"options": "the option the team decided on (1-9 or ↑↓)"}
    prefill: tuple[str, str] | None = None  # (option, rationale) from a participant's proposal taken

    def compose(self) -> ComposeResult:
        step = self.step
        state = self.drill.state
        by = decider(state, step)
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Decision ", "bold"), (display.literal(step.id), "bold")),
                         classes="dialog-title")
            yield Static(display.content(step.question or step.title), markup=False)
            if step.within is not None:
                yield Static(id="countdown", markup=False)
            yield OptionList(*(Option(self._prompt(n, option), id=option)
                               for n, option in enumerate(step.options or {}, 1)), id="options")
            yield field("Why", Input(placeholder="the rationale: what the team weighed", id="rationale", compact=True))
            yield field("Decided by", Input(value=by, placeholder="name or role", id="by", compact=True))
            yield from poll_fields(state, step.key)
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("1-9 or ↑↓: choose · Enter: next field · ctrl+s: record · "
                                        "Esc: cancel", "dim"))
            yield from buttons("Record the decision")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.clock_moved()
        self.set_focus(self.query_one("#options", OptionList))
        if self.prefill is not None and self.prefill[0] in (self.step.options or {}):
            self.choose(list(self.step.options or {}).index(self.prefill[0]))
            self.query_one("#rationale", Input).value = one_line(self.prefill[1])

    def clock_moved(self) -> None:
        """A timed decision's countdown, moved by the console's clock tick (the app calls this on each)."""
        if self.step.within is not None:
            drill = self.drill
            self.query_one("#countdown", Static).update(time_limit(drill.state, self.step, drill.now_t()))

    def action_submit(self) -> None:
        option = self.chosen
        if option is None:
            self.problem("Choose the option the team decided on first (1-9 or ↑↓).")
            self.query_one("#options", OptionList).focus()
            return
        rationale = self.query_one("#rationale", Input).value.strip()
        by = self.query_one("#by", Input).value.strip()
        for value, name, why in ((rationale, "rationale", "A decision needs its rationale: what the team weighed."),
                                 (by, "by", "A decision needs who decided it: a name or a role.")):
            if not value:
                self.problem(why)
                self.set_focus(self.query_one(f"#{name}", Input))
                return
        drill, key = self.drill, self.step.key
        poll = cited(self)
        self.record(lambda: drill.decide(key, option, rationale, by, poll=poll))
