"""Record the gist of the discussion on one module question (a discussion.summary event).

A small form in the console's way: Enter moves from the summary to who
recorded it, only ctrl+s (or the Record button) records, Esc cancels, and a
refusal is said in the form. "By" starts as the drill's facilitator.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from engine.model import Module, Question
from engine.tui import display
from engine.tui.screens.form import FormScreen, buttons, field


class DiscussionSummaryScreen(FormScreen[None]):
    def __init__(self, module: Module, question: Question, number: int) -> None:
        super().__init__()
        self.module, self.question, self.number = module, question, number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Static(Content.assemble(("Discussion summary ", "bold"),
                                          display.content(self.module.title, one_line=True)),
                         classes="dialog-title")
            yield Static(Content.assemble((f"{self.number}. ", "bold"),
                                          display.content(self.question.ask, "bold")), markup=False)
            yield field("Summary", Input(placeholder="the gist of what was said", id="summary-text", compact=True))
            yield field("By", Input(placeholder="who is recording it", id="summary-by", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("Enter: next field · ctrl+s: record · Esc: cancel", "dim"))
            yield from buttons("Record the summary")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.query_one("#summary-by", Input).value = self.drill.state.facilitator or ""
        self.query_one("#summary-text", Input).focus()

    def action_submit(self) -> None:
        text = self.query_one("#summary-text", Input).value.strip()
        if not text:
            self.problem("A summary needs text.")
            self.set_focus(self.query_one("#summary-text", Input))
            return
        by = self.query_one("#summary-by", Input).value.strip()
        drill, module, question = self.drill, self.module.id, self.question.id
        self.record(lambda: drill.summarise(module, question, text, by))
