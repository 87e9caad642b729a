"""Amend or withdraw a note: choose it from the notes recorded (newest first), then amend its text or
withdraw it with a reason. The note stays in the log as first written; the correction follows it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.tui import display
from engine.tui.correction_actions import by_default, note_label
from engine.tui.literal import one_line
from engine.tui.screens.form import FormScreen, buttons, field

MODES = {"amend": "Amend its text (a)", "withdraw": "Withdraw it (w)"}
TEXT_FIELD = {"amend": ("New text", "the note as it should read"),
              "withdraw": ("Reason", "required: why it is withdrawn")}


class NoteCorrectionScreen(FormScreen[None]):
    CHOICE_LISTS = {"notes": "the note (↑↓)", "mode": "what to do with it (a to amend, w to withdraw)"}
    DEFAULT_CSS = """
    NoteCorrectionScreen #notes { height: auto; max-height: 6; }
    NoteCorrectionScreen #mode { height: auto; margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.note: int | None = None
        self.mode: str | None = None

    def compose(self) -> ComposeResult:
        state = self.drill.state
        gone = state.withdrawn_notes()
        seqs = [n.seq for n in reversed(state.notes) if n.seq not in gone]
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Amend or withdraw a note", "bold"), classes="dialog-title")
            yield OptionList(*(Option(self._note_prompt(seq), id=f"note-{seq}") for seq in seqs), id="notes")
            yield OptionList(*(Option(self._mode_prompt(mode), id=mode) for mode in MODES), id="mode")
            yield Horizontal(Static(Content.styled("New text", "bold"), id="text-name", classes="field-name"),
                             Input(placeholder=TEXT_FIELD["amend"][1], id="text", compact=True), classes="field-row")
            yield field("By", Input(value=by_default(state), placeholder="name or role", id="by", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("↑↓: the note · a/w: amend or withdraw · Enter: next field · "
                                        "ctrl+s: record · Esc: cancel", "dim"))
            yield from buttons("Record the correction")

    def _note_prompt(self, seq: int) -> Content:
        mark = "(•)" if seq == self.note else "( )"
        return Content.assemble((f"{mark} ", "bold"), display.literal(note_label(self.drill.state, seq), one_line=True))

    def _mode_prompt(self, mode: str) -> Content:
        return Content.assemble(("(•)" if mode == self.mode else "( )", "bold"), f" {MODES[mode]}")

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        notes = self.query_one("#notes", OptionList)
        self.query_one("#mode", OptionList).highlighted = 0
        if notes.option_count:
            self.choose_note(0)  # the newest: the one most often put right
        self.set_focus(notes)

    def _redraw(self) -> None:
        notes, modes = self.query_one("#notes", OptionList), self.query_one("#mode", OptionList)
        for index in range(notes.option_count):
            notes.replace_option_prompt_at_index(index, self._note_prompt(int(
                (notes.get_option_at_index(index).id or "").removeprefix("note-"))))
        for index, mode in enumerate(MODES):
            modes.replace_option_prompt_at_index(index, self._mode_prompt(mode))

    def choose_note(self, index: int) -> None:
        notes = self.query_one("#notes", OptionList)
        self.note = int((notes.get_option_at_index(index).id or "").removeprefix("note-"))
        self._redraw()
        notes.highlighted = index
        self._fill()
        self.problem("")

    def choose_mode(self, mode: str) -> None:
        self.mode = mode
        self._redraw()
        self.query_one("#mode", OptionList).highlighted = list(MODES).index(mode)
        name, hint = TEXT_FIELD[mode]
        self.query_one("#text-name", Static).update(Content.styled(name, "bold"))
        self.query_one("#text", Input).placeholder = hint
        self._fill()
        self.problem("")

    def _fill(self) -> None:
        """Amending starts from the note's text as it stands; withdrawing from an empty reason."""
        if self.mode is not None and self.note is not None:
            self.query_one("#text", Input).value = (one_line(self.drill.state.note_text(self.note))
                                                    if self.mode == "amend" else "")

    def mark(self, list_id: str, index: int) -> None:
        if list_id == "notes":
            self.choose_note(index)
        else:
            self.choose_mode(list(MODES)[index])

    def marked(self, list_id: str) -> bool:
        return (self.note if list_id == "notes" else self.mode) is not None

    def shortcut(self, list_id: str, key: str) -> int | None:
        return {"a": 0, "w": 1}.get(key) if list_id == "mode" else None

    def action_submit(self) -> None:
        note, mode = self.note, self.mode
        text = self.query_one("#text", Input).value.strip()
        if note is None:
            self.problem("Choose the note first (↑↓).")
            self.query_one("#notes", OptionList).focus()
            return
        if mode is None:
            self.problem("Choose what to do with it: a to amend, w to withdraw.")
            self.query_one("#mode", OptionList).focus()
            return
        if not text:
            self.problem("The note needs its new text." if mode == "amend" else "Withdrawing needs a reason.")
            self.set_focus(self.query_one("#text", Input))
            return
        drill, by = self.drill, self.query_one("#by", Input).value.strip()
        if mode == "amend" and text == one_line(drill.state.note_text(note)):
            self.problem("The text is as it stands: change it, or Esc to cancel.")
            return
        if mode == "amend":
            self.record(lambda: drill.amend_note(note, text, by))
        else:
            self.record(lambda: drill.withdraw_note(note, text, by))
