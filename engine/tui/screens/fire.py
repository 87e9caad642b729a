"""Fire any inject by hand: scheduled ones (with their time) and contingency ones (with their condition)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.tui import display
from engine.tui.screens.form import FormScreen
from engine.tui.widgets.inject_timeline import condition


class FireScreen(FormScreen[None]):
    def compose(self) -> ComposeResult:
        drill = self.drill
        state, now_t = drill.state, drill.now_t()
        scheduled = [(t, inject) for t, inject in state.upcoming()]
        contingent = [i for i in drill.plan.injects if i.id not in state.fired and state.due_time(i) is None]
        options = []
        for due, inject in [*scheduled, *((None, i) for i in contingent)]:
            if due is None:
                when = condition(state, inject)
            elif due <= now_t:
                when = "due now"
            else:
                when = f"{display.clock(due)}, in {display.countdown(due - now_t)}"
            say = display.literal((inject.say or "").strip(), one_line=True)
            say = say if len(say) <= 70 else say[:69].rstrip() + "…"
            options.append(Option(Content.assemble((display.literal(inject.id), "bold"), f"  {when}\n",
                                                   (f"  {say}", "dim")), id=inject.id))
        with Vertical(classes="dialog fire-dialog"):
            yield Static(Content.styled("Fire an inject now (soonest first)", "bold"), classes="dialog-title")
            yield OptionList(*options, id="injects")
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("↑↓ choose · Enter: fire · Esc: cancel", "dim"))

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.query_one("#injects", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        options = self.query_one("#injects", OptionList)
        if options.highlighted is None:
            self.problem("Choose an inject.")
            return
        inject_id = options.get_option_at_index(options.highlighted).id or ""
        drill, app = self.drill, self.drill_app
        if self.record(lambda: drill.fire(inject_id, manual=True)):
            app.pending.append(inject_id)
