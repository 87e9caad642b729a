"""Polls from the console: open one (OpenPollScreen: on a ready decision, its options from the runbook; on
a question of the module under way; or a question typed now, with options typed now or free-text answers),
then watch its tally live and show it on the projector or close it (PollScreen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.drill import modules
from engine.drill.state import StepStatus
from engine.tui import display
from engine.tui.poll_actions import tally_lines
from engine.tui.screens.dialog import Dialog
from engine.tui.screens.form import FormScreen, buttons, field


class OpenPollScreen(FormScreen[None]):
    CHOICE_LISTS = {"on": "what the poll is on (↑↓)"}

    def compose(self) -> ComposeResult:
        state, now_t = self.drill.state, self.drill.now_t()
        self.choices: list[tuple[str, str, str, str]] = [("typed", "", "", ""), ("free", "", "", "")]
        labels = [Content("A question typed now, with options typed now"), Content("A question with free-text answers")]
        for key, step in state.plan.steps.items():
            if step.options and state.status(key) in (StepStatus.READY, StepStatus.ACTIVE):
                self.choices.append(("decision", key, "", ""))
                labels.append(Content.assemble(("Decision ", "bold"), display.literal(step.id, one_line=True),
                                               f": {display.literal(step.question or step.title, one_line=True)}"))
        where = modules.view(state, now_t)
        if where is not None and where.current is not None:
            for question in where.current.questions:
                self.choices.append(("question", "", where.current.id, question.id))
                labels.append(Content.assemble(("Question ", "bold"), display.literal(question.ask, one_line=True)))
        self.marked_index: int | None = None
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Open a poll", "bold"), classes="dialog-title")
            yield OptionList(*(Option(label) for label in labels), id="on")
            yield field("Question", Input(placeholder="what the room is asked", id="ask", compact=True))
            yield field("Options", Input(placeholder="separated by | (none: free-text answers)", id="options",
                                         compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("↑↓: choose · Enter: next field · ctrl+s: open · Esc: cancel", "dim"))
            yield from buttons("Open the poll")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.set_focus(self.query_one("#on", OptionList))

    def mark(self, list_id: str, index: int) -> None:
        self.marked_index = index
        kind, key, module, question = self.choices[index]
        ask, options = self.query_one("#ask", Input), self.query_one("#options", Input)
        plan = self.drill.plan
        if kind == "decision":
            step = plan.steps[key]
            ask.value, options.value = step.question or step.title, " | ".join(step.options or {})
        elif kind == "question":
            found = next(m for m in plan.scenario.modules if m.id == module)
            ask.value, options.value = next(q.ask for q in found.questions if q.id == question), ""
        elif kind == "free":
            options.value = ""
        options.disabled = kind in ("decision", "free", "question")

    def marked(self, list_id: str) -> bool:
        return self.marked_index is not None

    def action_submit(self) -> None:
        if self.marked_index is None:
            self.problem("Choose what the poll is on first (↑↓).")
            return
        kind, key, module, question = self.choices[self.marked_index]
        ask = " ".join(self.query_one("#ask", Input).value.split())
        typed = [o.strip() for o in self.query_one("#options", Input).value.split("|") if o.strip()]
        if not ask:
            self.problem("A poll needs its question.")
            return
        if kind == "typed" and len(typed) < 2:
            self.problem("Type two options or more, separated by |.")
            return
        drill, by = self.drill, self.drill.state.facilitator or ""
        if kind == "decision":
            self.record(lambda: drill.open_poll(ask, step=key, by=by))
        elif kind == "question":
            self.record(lambda: drill.open_poll(ask, module=module, question=question, by=by))
        else:
            self.record(lambda: drill.open_poll(ask, typed if kind == "typed" else [], by=by))


class PollScreen(Dialog[None]):
    """The open poll's tally, live; s shows it on the projector, c closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Back"), Binding("s", "reveal", "Show"), Binding("c", "close", "Close")]

    def __init__(self, poll: str) -> None:
        super().__init__()
        self.poll = poll

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Poll", "bold"), classes="dialog-title")
            yield Static(id="tally", markup=False)
            yield Static(id="problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(Content("Show on the projector (s)"), id="reveal", compact=True)
                yield Button(Content("Close the poll (c)"), id="close", variant="primary", compact=True)
                yield Button(Content("Back (Esc)"), id="back", compact=True)

    def on_mount(self) -> None:
        self.clock_moved()

    def clock_moved(self) -> None:
        """Redrawn each second (the app's tick) and after each answer: the tally as it stands."""
        state = self.app.drill.state  # type: ignore[attr-defined]
        poll = state.polls[self.poll]
        self.query_one("#tally", Static).update(Content("\n").join(tally_lines(poll, state.plan)))
        self.query_one("#reveal", Button).disabled = poll.revealed_t is not None

    def _do(self, action: str) -> None:
        app, drill = self.app, self.app.drill  # type: ignore[attr-defined]
        by = drill.state.facilitator or ""
        call = (lambda: drill.reveal_poll(self.poll, by)) if action == "reveal" else (
            lambda: drill.close_poll(self.poll, by))
        if app.perform(call, report=lambda why: self.query_one("#problem", Static).update(why)):  # type: ignore[attr-defined]
            if action == "close":
                self.dismiss(None)
            else:
                self.clock_moved()

    def action_reveal(self) -> None:
        self._do("reveal")

    def action_close(self) -> None:
        self._do("close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "back":
            self.dismiss(None)
        else:
            self._do(event.button.id or "")
