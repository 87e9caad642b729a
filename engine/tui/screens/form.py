"""The shape every modal form shares: Enter walks the fields, only ctrl+s or the record button records,
Esc cancels, and a line says what is wrong.

Enter moves to the next field in the order they are on screen (a choice list, a select, an input);
on the last field it stays and says how to record. So a facilitator who presses Enter once per
field, or once too often, never records a half-filled form, and what they type next still lands in
the form rather than on the console.

A choice list (an OptionList named in a form's CHOICE_LISTS) marks one option: its shortcut keys
(1-9, o/s/i, ...), ↑↓ and a click mark, and marking never moves the focus; only Enter (or Tab)
goes on to the next field. Enter on a list with nothing marked stays and says what to choose, and a
letter typed on a list that takes none is refused with a word rather than lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select, Static

from engine.tui.screens.dialog import Dialog

if TYPE_CHECKING:
    from engine.drill.session import Drill
    from engine.tui.app import DrillApp

T = TypeVar("T")
LAST_FIELD = "That was the last field. ctrl+s (or the {button} button) records; Esc cancels."


def field(label: str, widget: Widget) -> Horizontal:
    """One line of a form: a label, then the field."""
    return Horizontal(Static(Content.styled(label, "bold"), classes="field-name"), widget, classes="field-row")


def buttons(record: str) -> ComposeResult:
    """The form's two buttons: record (named for what it records) and cancel."""
    with Horizontal(classes="buttons"):
        yield Button(Content(f"{record} (ctrl+s)"), id="record", variant="primary", compact=True)
        yield Button(Content("Cancel (Esc)"), id="cancel", compact=True)


def field_kinds() -> tuple[type[Widget], ...]:
    """The widgets a person fills in or chooses (imported here, not at start: the start screen's first frame
    needs only Input, and TextArea alone costs more than the rest of the form)."""
    from textual.widgets import Checkbox, OptionList, Switch, TextArea

    return (Input, Select, OptionList, TextArea, Checkbox, Switch)


def form_fields(screen: Screen[Any]) -> list[Widget]:
    """The fields a person can type or choose in, in the order they are on screen.

    Read from the widgets' own display flags rather than Textual's focus chain, which follows the
    last layout: fields just shown (the improvement-plan columns, once "area for improvement" is
    chosen) count at once, even when the next key arrives before the screen is laid out again.
    """
    out: list[Widget] = []
    kinds = field_kinds()
    for widget in screen.walk_children(Widget):
        if not isinstance(widget, kinds) or not widget.can_focus or widget.disabled:
            continue
        if all(each.display for each in widget.ancestors_with_self if isinstance(each, Widget)):
            out.append(widget)
    return out


def enter_moves_on(screen: Screen[Any], lists: tuple[str, ...] = ()) -> bool:
    """Enter on an input, a closed select or one of the choice lists `lists` (OptionList ids): focus the
    next field on screen (buttons are not fields).

    Called from a priority binding, so it runs before the focused field sees the key and before any
    key typed after it is delivered: a fast typist's next letter lands in the next field. Raises
    SkipAction when the focus is elsewhere (an open select's list, any other list, a button handle
    their own Enter); returns True when focus moved, False on the last field (focus stays).
    """
    focused = screen.focused
    if not isinstance(focused, (Input, Select)) and not (isinstance(focused, OptionList) and focused.id in lists):
        raise SkipAction()
    fields = form_fields(screen)
    index = fields.index(focused) if focused in fields else len(fields)
    if index + 1 >= len(fields):
        return False
    screen.set_focus(fields[index + 1])  # at once, not after the next frame: the next key goes to it
    return True


class FormScreen(Dialog[T]):
    # Priority: handled in the order typed, before the focused field gets the keys that follow.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Record", priority=True),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("up", "choice_move(-1)", show=False, priority=True),
        Binding("down", "choice_move(1)", show=False, priority=True),
    ]
    # OptionList id -> what is chosen there and how, for "Choose {it} first"; e.g. {"options": "the
    # option the team decided on (1-9 or ↑↓)"}. Marking on these lists is the form's `mark`.
    CHOICE_LISTS: ClassVar[dict[str, str]] = {}

    @property
    def drill_app(self) -> DrillApp:
        return self.app  # type: ignore[return-value]

    @property
    def drill(self) -> Drill:
        drill = self.drill_app.drill
        assert drill is not None
        return drill

    def on_mount(self) -> None:
        for each in self.query(Input):
            each.cursor_blink = self.drill_app.blink
            each.select_on_focus = False  # coming back to a field adds to it: what was typed or prefilled stays

    def action_next_field(self) -> None:
        self._untaken = ""
        choices = self.choice_list()
        if choices is not None and choices.id and not self.marked(choices.id):
            self.problem(f"Choose {self.CHOICE_LISTS[choices.id]} first.")
            return
        if enter_moves_on(self, tuple(self.CHOICE_LISTS)):
            self.problem("")
        else:
            self.problem(self.last_field())

    def last_field(self) -> str:
        """What Enter on the last field says: how to record, naming the button as it reads."""
        label = str(self.query_one("#record", Button).label).removesuffix(" (ctrl+s)")
        return LAST_FIELD.format(button=label)

    # ----- choice lists -----

    def choice_list(self) -> OptionList | None:
        """The focused choice list, or None."""
        focused = self.focused
        if isinstance(focused, OptionList) and focused.id in self.CHOICE_LISTS:
            return focused
        return None

    def mark(self, list_id: str, index: int) -> None:
        """Mark the option at `index` of the choice list `list_id` as chosen; never moves the focus."""

    def marked(self, list_id: str) -> bool:
        """Whether the choice list `list_id` has an option marked."""
        return True

    def shortcut(self, list_id: str, key: str) -> int | None:
        """The index of the option that `key` marks on the choice list `list_id` (1-9, o/s/i), or None."""
        return None

    def action_choice_move(self, step: int) -> None:
        """↑↓ on a choice list move the mark with the cursor; elsewhere they do what the field does."""
        choices = self.choice_list()
        if choices is None or choices.id is None:
            raise SkipAction()
        if step < 0:
            choices.action_cursor_up()
        else:
            choices.action_cursor_down()
        if choices.highlighted is not None:
            self.mark(choices.id, choices.highlighted)

    def on_key(self, event: events.Key) -> None:
        choices = self.choice_list()
        if choices is None or choices.id is None:
            return
        index = self.shortcut(choices.id, event.key)
        if index is not None:
            event.stop()
            self._untaken = ""
            self.mark(choices.id, index)
        elif event.is_printable and event.character and event.key != "space":
            event.stop()  # letters meant for the next field: say so rather than lose them without a word
            self._untaken = (getattr(self, "_untaken", "") + event.character)[-24:]
            self.problem(f"{self._untaken!r} was not taken: this list takes {self.CHOICE_LISTS[choices.id]}. "
                         "Enter goes on to the next field.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a choice list's option marks it (Enter never gets here: it goes on to the next field)."""
        if event.option_list.id in self.CHOICE_LISTS:
            event.stop()
            self.mark(event.option_list.id or "", event.option_index)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "record":
            self.action_submit()
        elif event.button.id == "cancel":
            self.action_cancel()

    def problem(self, message: str) -> None:
        """Say what keeps the form from being recorded, in the form itself."""
        line = self.query_one("#problem", Static)
        line.update(message)
        line.display = bool(message)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:  # each form records its own event
        raise NotImplementedError

    def record(self, action: Any) -> bool:
        """Run the drill action; close the form once it is in the log."""
        if self.drill_app.perform(action, report=self.problem):
            self.dismiss(None)
            return True
        return False
