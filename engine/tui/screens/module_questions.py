"""The current module for the facilitator: its situation, and each question with prompts and expected points.

Read-only: Esc or q closes it. Everything shown is scenario text, drawn as
literal text (no markup), like every other user text in the console.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.model import Module
from engine.tui import display


def module_text(module: Module) -> Content:
    """The module as the facilitator reads it out and steers the discussion."""
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
        parts.append("\n")
    if not module.questions:
        parts.append(Content("This module has no discussion questions."))
    return Content.assemble(*parts)


class ModuleQuestionsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, module: Module, position: str) -> None:
        super().__init__()
        self.module, self.position = module, position

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Content.assemble(Content.styled(self.position + " ", "bold"),
                                          display.content(self.module.title, "bold", one_line=True)),
                         classes="dialog-title")
            with VerticalScroll():
                yield Static(module_text(self.module), markup=False)
            yield Static(Content.styled("Esc: close", "dim"))
