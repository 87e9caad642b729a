"""f1: every key of the console and what each step state means."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.drill.state import StepStatus
from engine.tui import display
from engine.tui.actions import ACTIONS
from engine.tui.screens.dialog import Dialog

EXTRA_KEYS = [
    ("↑ ↓ PgUp PgDn", "move between steps (or click a row)"),
    ("Enter", "on a step: to its checklist; in it: tick/untick"),
    ("space", "in the checklist: tick or untick"),
    ("Tab / Esc", "to the checklist and back to the steps"),
    ("1 2 4 5", "Step, Services, Log or Room pane (if tabbed)"),
    ("← →", "in an inject: the previous or next fired inject"),
    ("ctrl+p", "every action by name (the command palette)"),
]


def _key(key: str) -> str:
    return {"f1": "F1"}.get(key, key)


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("escape,f1,q,enter", "close", "Close")]

    def __init__(self, bindings: list[BindingType]) -> None:
        super().__init__()
        self.bindings = [b for b in bindings if isinstance(b, Binding) and b.description]

    def compose(self) -> ComposeResult:
        lines: list[Content] = [Content.styled("Keys", "bold")]
        seen: set[str] = set()
        for binding in self.bindings:
            if binding.action not in ACTIONS or binding.action in seen or binding.action == "resume":
                continue
            seen.add(binding.action)
            keys = "/".join(_key(b.key) for b in self.bindings if b.action == binding.action)
            lines.append(Content.assemble((f"  {keys:<15}", "bold"), ACTIONS[binding.action][1]))
        lines += [Content.assemble((f"  {k:<15}", "bold"), what) for k, what in EXTRA_KEYS]
        lines += [Content(""), Content.styled("Step states", "bold")]
        for status in StepStatus:
            lines.append(Content.assemble((f"  {display.state_label(status):<15}", "bold"),
                                          display.STATE_MEANING[status]))  # each fits in 80 columns
        lines += [Content(""), Content.styled("Times", "bold"),
                  Content("  12m/15m: time spent against the step's target; ! marks one over target."),
                  Content("  Everything you record is in the drill log at once: quitting loses nothing."),
                  Content(""), Content.styled("Esc, Enter or F1 closes this help.", "dim")]
        with Vertical(classes="dialog help-dialog"):
            yield Static(Content.styled("Help", "bold"), classes="dialog-title")
            with VerticalScroll():
                yield Static(Content("\n").join(lines))

    def action_close(self) -> None:
        self.dismiss(None)
