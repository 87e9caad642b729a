"""Withdraw an inject fired by mistake: choose it (the one highlighted on the Injects pane to start with),
give the reason, then confirm a question naming the service changes that will be undone.

It still counts as fired and never fires again; the log and the report keep it, marked withdrawn.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.drill import events as ev
from engine.drill.foresight import foresee
from engine.drill.state import EventError
from engine.tui import display
from engine.tui.correction_actions import by_default, effect_lines
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.form import FormScreen, buttons, field
from engine.tui.widgets.inject_timeline import fired_label


class WithdrawScreen(FormScreen[None]):
    CHOICE_LISTS = {"fired": "the inject fired by mistake (↑↓)"}
    DEFAULT_CSS = "WithdrawScreen #fired { height: auto; max-height: 8; }"

    def __init__(self, highlighted: str | None = None) -> None:
        super().__init__()
        self.first = highlighted
        self.chosen: str | None = None

    def compose(self) -> ComposeResult:
        state = self.drill.state
        fired = [f for f in sorted(state.fired.values(), key=lambda f: f.seq, reverse=True)
                 if f.id not in state.withdrawn]
        ids = [f.id for f in fired]
        self.chosen = self.first if self.first in ids else (ids[0] if ids else None)
        with Vertical(classes="dialog fire-dialog"):
            yield Static(Content.styled("Withdraw an inject fired by mistake", "bold"), classes="dialog-title")
            yield OptionList(*(Option(self._prompt(f.id), id=f.id) for f in fired), id="fired")
            yield field("Reason", Input(placeholder="required, e.g. fired by a stray key", id="reason", compact=True))
            yield field("By", Input(value=by_default(state), placeholder="name or role", id="by", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("↑↓: the inject · Enter: next field · ctrl+s: review and withdraw · "
                                        "Esc: cancel", "dim"))
            yield from buttons("Withdraw")

    def _prompt(self, inject_id: str) -> Content:
        state = self.drill.state
        mark = "(•) " if inject_id == self.chosen else "( ) "
        return Content.assemble((mark, "bold"), fired_label(state, state.fired[inject_id]))

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        fired = self.query_one("#fired", OptionList)
        if self.chosen is not None:
            fired.highlighted = fired.get_option_index(self.chosen)
        self.set_focus(fired)

    def mark(self, list_id: str, index: int) -> None:
        fired = self.query_one("#fired", OptionList)
        self.chosen = fired.get_option_at_index(index).id
        for each in range(fired.option_count):
            fired.replace_option_prompt_at_index(each, self._prompt(fired.get_option_at_index(each).id or ""))
        fired.highlighted = index
        self.problem("")

    def marked(self, list_id: str) -> bool:
        return self.chosen is not None

    def action_submit(self) -> None:
        inject_id, reason = self.chosen, self.query_one("#reason", Input).value.strip()
        if inject_id is None:
            self.problem("Choose the inject fired by mistake first (↑↓).")
            return
        if not reason:
            self.problem("Withdrawing needs a reason.")
            self.set_focus(self.query_one("#reason", Input))
            return
        by = self.query_one("#by", Input).value.strip()
        drill = self.drill
        try:
            effects = foresee(drill.state, ev.InjectWithdrawn(inject_id, reason, by), drill.now_t())
        except EventError as exc:
            self.problem(str(exc))
            return
        fired = drill.state.fired[inject_id]
        lines = [f"{inject_id}, fired at {display.clock(fired.t)}, is withdrawn at {display.clock(drill.now_t())}.",
                 *(effect_lines(effects) or ["It changed no service and opened nothing: only the log changes."]),
                 "It will not fire again; the log and the report keep it, marked withdrawn."]

        def done(yes: bool | None) -> None:
            if yes:
                self.record(lambda: drill.withdraw(inject_id, reason, by))

        self.app.push_screen(ConfirmScreen(f"Withdraw {display.literal(inject_id, one_line=True)}?",
                                           "\n".join(lines), "Withdraw"), done)
