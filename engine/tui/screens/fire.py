"""Fire an inject by hand: a list of those not fired (scheduled ones with their time, contingency ones
with their condition) and, for the one chosen, a confirmation naming what firing it will do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.drill.plan import PlanInject
from engine.drill.state import DrillState
from engine.tui import display
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.dialog import Dialog
from engine.tui.widgets.inject_timeline import condition


def when(state: DrillState, inject: PlanInject, now_t: float) -> str:
    """When the inject would fire by itself: `T+0:45:00, in 12:00`, `due now`, or its condition."""
    due = state.due_time(inject)
    if due is None:
        return condition(state, inject)
    if due <= now_t:
        return "due now"
    return f"{display.clock(due)}, in {display.countdown(due - now_t)}"


def confirm_fire(state: DrillState, inject: PlanInject, now_t: float) -> ConfirmScreen:
    """The question before firing by hand, naming the inject, its time, and what it changes."""
    lines = [f"It would fire by itself: {when(state, inject, now_t)}.",
             f"Fired now, the log records it as fired by hand at {display.clock(now_t)}, and its text "
             f"comes up to read out{' to ' + inject.to if inject.to else ''}."]
    if inject.services:
        lines.append("Services: " + ", ".join(f"{s} → {h}" for s, h in inject.services.items()) + ".")
    if inject.event:
        lines.append(f"Event {inject.event}: the steps listening for it open.")
    return ConfirmScreen(f"Fire inject {display.literal(inject.id, one_line=True)} now?", "\n".join(lines),
                         "Fire now")


class FireScreen(Dialog[str | None]):
    """Returns the chosen inject's id (None: cancelled); the console asks before firing it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, state: DrillState, now_t: float) -> None:
        super().__init__()
        self.state, self.now_t = state, now_t

    def compose(self) -> ComposeResult:
        state, now_t = self.state, self.now_t
        scheduled = [inject for _, inject in state.upcoming()]
        contingent = [i for i in state.plan.injects if i.id not in state.fired and state.due_time(i) is None]
        options = []
        for inject in [*scheduled, *contingent]:
            say = display.literal((inject.say or "").strip(), one_line=True)
            say = say if len(say) <= 70 else say[:69].rstrip() + "…"
            options.append(Option(Content.assemble((display.literal(inject.id), "bold"),
                                                   f"  {display.literal(when(state, inject, now_t))}\n",
                                                   (f"  {say}", "dim")), id=inject.id))
        with Vertical(classes="dialog fire-dialog"):
            yield Static(Content.styled("Fire an inject now (soonest first)", "bold"), classes="dialog-title")
            yield OptionList(*options, id="injects")
            yield Static(Content.styled("↑↓ choose · Enter: choose (asks before firing) · Esc: cancel", "dim"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#injects", OptionList))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
