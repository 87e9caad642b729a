"""Record the gist of the discussion on one module question (a discussion.summary event), or correct the
latest one recorded on it: amend its text (discussion.amended) or withdraw it with a reason
(discussion.withdrawn).

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
from engine.tui.literal import one_line
from engine.tui.screens.form import FormScreen, buttons, field

MODES = {  # mode -> (title, the text field's label and placeholder, the button)
    "record": ("Discussion summary ", "Summary", "the gist of what was said", "Record the summary"),
    "amend": ("Amend the summary ", "Summary", "the corrected text", "Record the correction"),
    "withdraw": ("Withdraw the summary ", "Reason", "why it is withdrawn", "Withdraw it"),
}


class DiscussionSummaryScreen(FormScreen[None]):
    prefill = ""  # the text of a participant's written answer taken into the summary
    def __init__(self, module: Module, question: Question, number: int, mode: str = "record",
                 summary: tuple[int, str] | None = None) -> None:
        """`mode` record, amend or withdraw; `summary` the (seq, current text) of the one amended or withdrawn."""
        super().__init__()
        self.module, self.question, self.number = module, question, number
        self.mode, self.summary = mode, summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            title, label, placeholder, _ = MODES[self.mode]
            yield Static(Content.assemble((title, "bold"), display.content(self.module.title, one_line=True)),
                         classes="dialog-title")
            yield Static(Content.assemble((f"{self.number}. ", "bold"),
                                          display.content(self.question.ask, "bold")), markup=False)
            if self.mode == "withdraw" and self.summary is not None:
                yield Static(display.content(f"Summary #{self.summary[0]}: {self.summary[1]}", "green"),
                             markup=False)
            yield field(label, Input(placeholder=placeholder, id="summary-text", compact=True))
            yield field("By", Input(placeholder="who is recording it", id="summary-by", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("Enter: next field · ctrl+s: record · Esc: cancel", "dim"))
            yield from buttons(MODES[self.mode][3])

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.query_one("#summary-by", Input).value = self.drill.state.facilitator or ""
        if self.mode == "amend" and self.summary is not None:
            self.query_one("#summary-text", Input).value = one_line(self.summary[1])
        elif self.prefill:
            self.query_one("#summary-text", Input).value = one_line(self.prefill)
        self.set_focus(self.query_one("#summary-text", Input))

    def action_submit(self) -> None:
        text = self.query_one("#summary-text", Input).value.strip()
        if not text:
            self.problem("A withdrawal needs a reason." if self.mode == "withdraw" else "A summary needs text.")
            self.set_focus(self.query_one("#summary-text", Input))
            return
        by = self.query_one("#summary-by", Input).value.strip()
        drill, module, question = self.drill, self.module.id, self.question.id
        if self.summary is not None and self.mode == "amend":
            seq = self.summary[0]
            self.record(lambda: drill.amend_summary(seq, text, by))
        elif self.summary is not None and self.mode == "withdraw":
            seq = self.summary[0]
            self.record(lambda: drill.withdraw_summary(seq, text, by))
        else:
            self.record(lambda: drill.summarise(module, question, text, by))
