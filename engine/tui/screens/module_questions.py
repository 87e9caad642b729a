"""The current module for the facilitator: its situation, and each question with prompts and expected points.

Below the text, the questions as a list: choose one (↑↓) and press Enter to
record the gist of its discussion (a discussion.summary event, through the
summary form); the summaries already recorded show under each question, as
last amended. `a` amends the question's latest summary, `w` withdraws it
with a reason (discussion.amended / discussion.withdrawn).
Esc or q closes it. Everything shown is scenario or typed text, drawn as
literal text (no markup), like every other user text in the console.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.drill.state import SummaryRecord
from engine.model import Module
from engine.tui import display
from engine.tui.key_guard import KeyGuard
from engine.tui.screens.dialog import Dialog


def module_text(module: Module, said: Sequence[SummaryRecord] = ()) -> Content:
    """The module as the facilitator reads it out and steers the discussion, with the summaries `said` so far
    (each as it stands: amended text, withdrawn ones left out)."""
    parts: list[Content | str] = []
    if module.situation:
        parts += [Content.styled("Situation", "bold"), "\n", display.content(module.situation), "\n\n"]
    for number, question in enumerate(module.questions, 1):
        parts += [Content.styled(f"{number}. ", "bold"), display.content(question.ask, "bold", one_line=True), "\n"]
        if question.to:
            parts += [display.content("   for " + ", ".join(question.to), "dim"), "\n"]
        for prompt in question.prompts:
            parts += [display.content(f"   prompt: {prompt}", one_line=True), "\n"]
        for point in question.expect:
            parts += [display.content(f"   look for: {point}", "italic", one_line=True), "\n"]
        for record in said:
            if record.module == module.id and record.question == question.id:
                who = f" ({record.by})" if record.by else ""
                parts += [display.content(f"   summary{who}: {record.text}", "green", one_line=True), "\n"]
        parts.append("\n")
    if not module.questions:
        parts.append(Content("This module has no discussion questions."))
    return Content.assemble(*parts)


class ModuleQuestionsScreen(Dialog[None]):
    BINDINGS = [Binding("escape,q", "dismiss", "Close"), Binding("a", "correct('amend')", "Amend"),
                Binding("w", "correct('withdraw')", "Withdraw"),
                # The situation and the prompts scroll while the questions list keeps the keyboard: at 80x24
                # only a few lines of them fit above the list.
                Binding("pagedown,space", "scroll_text(1)", "Scroll down", priority=True),
                Binding("pageup", "scroll_text(-1)", "Scroll up", priority=True)]

    def __init__(self, module: Module, position: str) -> None:
        super().__init__()
        self.module, self.position = module, position
        self.guard: KeyGuard | None = None  # set when the summary form closes: keys typed for it are dropped
        self._covered = False

    def said(self) -> list[SummaryRecord]:
        """The summaries as they stand: the amended text, the withdrawn ones left out."""
        drill = getattr(self.app, "drill", None)
        if drill is None:
            return []
        state = drill.state
        withdrawn = state.withdrawn_summaries()
        return [replace(s, text=state.summary_text(s.seq)) for s in state.summaries if s.seq not in withdrawn]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.assemble(Content.styled(self.position + " ", "bold"),
                                          display.content(self.module.title, "bold", one_line=True)),
                         classes="dialog-title")
            with VerticalScroll(id="module-scroll"):
                yield Static(module_text(self.module, self.said()), markup=False, id="module-text")
            if self.module.questions:
                yield OptionList(*self._options(), id="questions")
                yield Static(Content.styled("PgUp/PgDn (space): scroll the situation and prompts · ↑↓: choose a "
                                            "question · Enter: record a summary of its discussion · a / w: amend / "
                                            "withdraw its latest summary · Esc: close", "dim"))
            else:
                yield Static(Content.styled("Esc: close", "dim"))

    def _options(self) -> list[Option]:
        said = self.said()
        out = []
        for number, question in enumerate(self.module.questions, 1):
            count = sum(1 for s in said if s.module == self.module.id and s.question == question.id)
            mark = f"  [{count} recorded]" if count else ""
            out.append(Option(display.content(f"{number}. {question.ask}{mark}", one_line=True), id=question.id))
        return out

    def action_scroll_text(self, pages: int) -> None:
        """Page the situation and the prompts up or down (the questions list keeps the focus)."""
        scroll = self.query_one("#module-scroll", VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + pages * max(scroll.size.height - 1, 1), animate=False)

    def on_mount(self) -> None:
        if self.module.questions:
            questions = self.query_one("#questions", OptionList)
            questions.highlighted = 0
            self.set_focus(questions)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from engine.tui.screens.discussion import DiscussionSummaryScreen

        event.stop()
        index = event.option_index
        self.app.push_screen(DiscussionSummaryScreen(self.module, self.module.questions[index], index + 1))

    def action_correct(self, mode: str) -> None:
        """Amend or withdraw the highlighted question's latest summary (it says so when there is none)."""
        from engine.tui.screens.discussion import DiscussionSummaryScreen

        if not self.module.questions:
            return
        index = self.query_one("#questions", OptionList).highlighted or 0
        question = self.module.questions[index]
        standing = [s for s in self.said() if s.module == self.module.id and s.question == question.id]
        if not standing:
            self.app.notify("No summary is recorded on this question yet.", title="Nothing to correct",
                            severity="warning", markup=False, timeout=4)
            return
        latest = standing[-1]
        self.app.push_screen(DiscussionSummaryScreen(self.module, question, index + 1, mode,
                                                     (latest.seq, latest.text)))

    def on_screen_suspend(self) -> None:
        self._covered = True

    def on_screen_resume(self) -> None:
        if not self._covered:
            return
        self._covered = False
        self.guard = KeyGuard.of(self.app)  # the summary form has just closed over this screen
        self.query_one("#module-text", Static).update(module_text(self.module, self.said()))
        questions = self.query_one("#questions", OptionList)
        highlighted = questions.highlighted
        questions.clear_options()
        questions.add_options(self._options())
        questions.highlighted = highlighted

    def on_key(self, event: events.Key) -> None:
        """Keys typed as the summary form closed are dropped (they were meant for the form)."""
        if self.guard is not None:
            self.guard.drop(event, self.app, "as the summary form closed")
