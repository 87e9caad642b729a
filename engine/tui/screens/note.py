"""Add a note tied to the focused step: an observation, a strength, or an area for improvement
(which may carry the improvement-plan columns: corrective action, capability element, owner, due)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from engine.drill import events as ev
from engine.drill.plan import PlanStep
from engine.tui import display
from engine.tui.screens.form import FormScreen, buttons, field

KIND_LABEL = {"observation": "Observation", "strength": "Strength", "improvement": "Area for improvement"}


class NoteScreen(FormScreen[None]):
    CHOICE_LISTS = {"kind": "a kind (o, s, i or ↑↓)"}

    def __init__(self, step: PlanStep | None) -> None:
        super().__init__()
        self.step = step
        self._kind = ev.NOTE_KINDS[0]

    def compose(self) -> ComposeResult:
        about = Content.assemble("about ", (display.literal(self.step.id), "bold")) if self.step else Content(
            "about the drill as a whole")
        with Vertical(classes="dialog note-dialog"):
            yield Static(Content.assemble(("Note ", "bold"), about), classes="dialog-title")
            with VerticalScroll(id="note-fields"):
                yield OptionList(*(Option(self._kind_prompt(kind), id=kind) for kind in ev.NOTE_KINDS), id="kind")
                yield field("Note", Input(placeholder="what was seen or said", id="text", compact=True))
                with Vertical(id="improvement"):
                    yield Static(Content.styled("For the improvement plan (all optional):", "dim"),
                                 classes="field-label")
                    yield field("Action", Input(placeholder="the corrective action", id="action", compact=True))
                    yield field("Element", Select([(Content(e), e) for e in ev.CAPABILITY_ELEMENTS],
                                                  prompt="capability element (POETE)", id="element", compact=True))
                    yield field("Owner", Input(placeholder="who will do it", id="owner", compact=True))
                    yield field("Due", Input(placeholder="e.g. 2026-03-31", id="due", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("o/s/i or ↑↓: kind · Enter: next field · space/↓: open a list · "
                                        "ctrl+s: record · Esc: cancel", "dim"))
            yield from buttons("Record the note")

    def _kind_prompt(self, kind: str) -> Content:
        mark = "(•)" if kind == self._kind else "( )"  # the choice reads without colour
        return Content.assemble((mark, "bold"), f" {KIND_LABEL[kind]} ({kind[0]})")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.query_one("#improvement").display = False
        kinds = self.query_one("#kind", OptionList)
        kinds.highlighted = 0
        self.set_focus(kinds)

    def choose(self, kind: str) -> None:
        self._kind = kind
        kinds = self.query_one("#kind", OptionList)
        for index, each in enumerate(ev.NOTE_KINDS):
            kinds.replace_option_prompt_at_index(index, self._kind_prompt(each))
        kinds.highlighted = ev.NOTE_KINDS.index(kind)
        self.query_one("#improvement").display = kind == "improvement"

    def mark(self, list_id: str, index: int) -> None:
        self.choose(ev.NOTE_KINDS[index])
        self.problem("")

    def shortcut(self, list_id: str, key: str) -> int | None:
        """On the kind: o, s, i (or 1-3) choose it; the focus stays until Enter."""
        return {"o": 0, "s": 1, "i": 2, "1": 0, "2": 1, "3": 2}.get(key)

    def kind(self) -> str:
        return self._kind

    def action_submit(self) -> None:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            self.problem("A note needs text.")
            self.set_focus(self.query_one("#text", Input))
            return
        kind = self.kind()
        extra: dict[str, str] = {}
        if kind == "improvement":
            element = self.query_one("#element", Select).value
            extra = {
                "action": self.query_one("#action", Input).value.strip(),
                "element": element if isinstance(element, str) else "",
                "owner": self.query_one("#owner", Input).value.strip(),
                "due": self.query_one("#due", Input).value.strip(),
            }
            extra = {k: v for k, v in extra.items() if v}
        drill = self.drill
        step = self.step.key if self.step else None
        by = drill.state.facilitator or ""
        self.record(lambda: drill.note(kind, text, step, by, **extra))
