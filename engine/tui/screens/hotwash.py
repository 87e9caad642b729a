"""The hot wash, straight after the drill: rate each objective P/S/M/U (HSEEP) with a comment, then
collect what went well and what should improve. Each rating and answer is logged as it is entered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.drill import events as ev
from engine.drill.state import DrillState
from engine.tui import display
from engine.tui.screens.form import field
from engine.tui.widgets.step_table import spent

if TYPE_CHECKING:
    from engine.drill.session import Drill
    from engine.tui.app import DrillApp

QUESTIONS = ("What went well?", "What should improve?")
RATING_KEYS = list(ev.RATINGS)  # P S M U


def evidence(state: DrillState, objective: str) -> list[Content]:
    """What the drill showed about an objective: its steps, their outcome and time, and their decisions."""
    lines = []
    for key, step in state.plan.steps.items():
        if objective not in step.objectives:
            continue
        status = state.status(key)
        taken = spent(state, key, state.t)
        timing = ""
        if taken is not None:
            timing = f", {display.span(taken)}" + (f" (target {display.span(step.target)})" if step.target else "")
            worked = state.steps[key].intervals()
            if len(worked) > 1:  # reopened: each time it was at work, not the wait between
                timing += ", at work " + ", ".join(
                    f"{display.clock(a)} to {display.clock(b) if b is not None else 'now'}" for a, b in worked)
        line = Content.assemble(f"  {display.state_label(status)} ", (display.literal(step.id), "bold"), timing)
        decision = state.decisions.get(key)
        if decision:
            line = line + Content.assemble(" → ", display.literal(decision.option),
                                           f": {display.literal(decision.rationale)}" if decision.rationale else "")
        lines.append(line)
    return lines or [Content.styled("  No step of the runbook names this objective.", "dim")]


class HotwashScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+n", "next", "Next without recording"),
        Binding("ctrl+b", "back", "Back"),
        Binding("ctrl+e", "finish", "Finish the hot wash"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.objectives: list[str] = []
        self.index = 0
        self.question = 0
        self.asking = False
        self.chosen: str | None = None

    @property
    def drill(self) -> Drill:
        drill = self.app.drill  # type: ignore[attr-defined]
        assert drill is not None
        return drill

    @property
    def drill_app(self) -> DrillApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="hotwash"):
            yield Static(id="hotwash-title", classes="dialog-title", markup=False)
            with VerticalScroll(id="rate"):
                yield Static(id="objective", markup=False)
                yield OptionList(*(Option(self._rating_prompt(r, None), id=r) for r in RATING_KEYS), id="rating")
                yield field("Comment", Input(placeholder="optional: what the rating rests on", id="comment",
                                             compact=True))
            with VerticalScroll(id="ask"):
                yield Static(id="question", markup=False)
                yield Static(id="answers", markup=False)
                yield field("Point", Input(placeholder="one point; Enter records it", id="answer", compact=True))
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(id="hotwash-keys", markup=False)
        yield Footer()

    @staticmethod
    def _rating_prompt(rating: str, chosen: str | None) -> Content:
        mark = "(•)" if rating == chosen else "( )"  # the choice reads without colour
        return Content.assemble((mark, "bold"), " ", (f" {rating} ", "bold reverse"), f"  {ev.RATINGS[rating]}")

    def mark_rating(self, chosen: str | None) -> None:
        """The chosen rating, marked; the list's cursor alone chooses nothing (focus puts it on P)."""
        self.chosen = chosen
        rating = self.query_one("#rating", OptionList)
        for index, each in enumerate(RATING_KEYS):
            rating.replace_option_prompt_at_index(index, self._rating_prompt(each, chosen))

    def on_mount(self) -> None:
        for each in self.query(Input):
            each.cursor_blink = self.drill_app.blink
        self.query_one("#problem").display = False
        state = self.drill.state
        self.objectives = list(state.plan.objectives)
        unrated = [i for i, o in enumerate(self.objectives) if o not in state.ratings]
        if unrated:
            self.show_objective(unrated[0])
        else:
            self.show_question(0)

    # ----- rating the objectives -----

    def show_objective(self, index: int) -> None:
        if index >= len(self.objectives):
            self.show_question(0)
            return
        self.asking = False
        self.index = index
        self.query_one("#rate").display = True
        self.query_one("#ask").display = False
        state = self.drill.state
        key = self.objectives[index]
        runbook, _, name = key.partition("/")
        self.query_one("#hotwash-title", Static).update(Content.assemble(
            ("Hot wash ", "bold reverse"), f"  objective {index + 1} of {len(self.objectives)}  ",
            (f"{len(state.ratings)} rated", "dim")))
        self.query_one("#objective", Static).update(Content("\n").join([
            Content.assemble((display.literal(runbook), "dim"), " / ", (display.literal(name), "bold")),
            display.content(state.plan.objectives[key], "bold"),
            Content(""),
            Content.styled("What the drill showed:", "dim"),
            *evidence(state, key),
        ]))
        rating = self.query_one("#rating", OptionList)
        earlier = state.ratings.get(key)
        rating.highlighted = RATING_KEYS.index(earlier.rating) if earlier else None
        self.mark_rating(earlier.rating if earlier else None)
        self.query_one("#comment", Input).value = earlier.comment if earlier else ""
        self.query_one("#hotwash-keys", Static).update(Content.styled(
            "P S M U: rating · ↑↓ Enter: rating, on to the comment · Enter in the comment: record and go on · "
            "ctrl+n: leave unrated · ctrl+b: back · ctrl+e: finish", "dim"))
        self.problem("")
        rating.focus()

    def on_key(self, event: events.Key) -> None:
        """On the ratings, P S M U mark one and the focus stays (Enter goes on to the comment); another letter
        is refused with a word rather than lost."""
        rating = self.query_one("#rating", OptionList)
        if self.asking or not rating.has_focus:
            return
        if event.key.upper() in RATING_KEYS:
            rating.highlighted = RATING_KEYS.index(event.key.upper())
            self.mark_rating(event.key.upper())
            self.problem("")
            event.stop()
        elif event.is_printable and event.character and event.key != "space":
            self.problem(f"{event.character!r} was not taken: the ratings take P, S, M or U. Enter goes on to "
                         "the comment.")
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on a rating: that rating, and on to the comment."""
        self.mark_rating(RATING_KEYS[event.option_index])
        self.problem("")
        self.query_one("#comment", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "comment":
            self.record_rating()
        else:
            self.record_answer()

    def record_rating(self) -> None:
        rating = self.query_one("#rating", OptionList)
        choice = self.chosen
        if choice is None:
            self.problem("Choose P, S, M or U first (or ctrl+n to leave it unrated).")
            rating.focus()
            return
        comment = self.query_one("#comment", Input).value.strip()
        drill, key = self.drill, self.objectives[self.index]
        if self.drill_app.perform(lambda: drill.rate(key, choice, comment), report=self.problem):
            self.show_objective(self.index + 1)

    # ----- the questions -----

    def unrated(self) -> list[str]:
        """The objectives not rated yet, in plan order."""
        ratings = self.drill.state.ratings
        return [key for key in self.objectives if key not in ratings]

    def finish(self) -> None:
        """Close the hot wash for the summary; with objectives unrated, ask first, naming them."""
        from engine.tui.screens.summary import SummaryScreen

        unrated = self.unrated()
        if not unrated:
            self.app.switch_screen(SummaryScreen())
            return
        from engine.tui.screens.confirm import ConfirmScreen

        shown = [f"  {key}" for key in unrated[:8]] + ([f"  and {len(unrated) - 8} more"] if len(unrated) > 8 else [])
        lines = [f"{len(unrated)} of {len(self.objectives)} objectives are not rated:", *shown,
                 "The report lists them as not rated. Cancel goes back to rate them (ctrl+b walks back)."]

        def done(yes: bool | None) -> None:
            if yes:
                self.app.switch_screen(SummaryScreen())

        self.app.push_screen(ConfirmScreen("Finish the hot wash?", "\n".join(lines), "Finish"), done)

    def show_question(self, index: int) -> None:
        if index >= len(QUESTIONS):
            self.finish()
            return
        self.asking = True
        self.question = index
        self.query_one("#rate").display = False
        self.query_one("#ask").display = True
        self.query_one("#hotwash-title", Static).update(Content.assemble(
            ("Hot wash ", "bold reverse"), f"  question {index + 1} of {len(QUESTIONS)}"))
        self.query_one("#question", Static).update(Content.styled(QUESTIONS[index], "bold"))
        self.show_answers()
        self.query_one("#hotwash-keys", Static).update(Content.styled(
            "Enter: record this point · Enter on an empty line: next question · ctrl+b: back", "dim"))
        self.problem("")
        answer = self.query_one("#answer", Input)
        answer.value = ""
        answer.focus()

    def show_answers(self) -> None:
        question = QUESTIONS[self.question]
        given = [a for q, a, _ in self.drill.state.hotwash if q == question]
        self.query_one("#answers", Static).update(
            Content("\n").join(Content.assemble(" • ", display.literal(a)) for a in given) if given else
            Content.styled("No points yet.", "dim"))

    def record_answer(self) -> None:
        field = self.query_one("#answer", Input)
        text = field.value.strip()
        if not text:
            self.show_question(self.question + 1)
            return
        drill, question = self.drill, QUESTIONS[self.question]
        if self.drill_app.perform(lambda: drill.answer(question, text), report=self.problem):
            field.value = ""
            self.show_answers()

    # ----- moving around -----

    def problem(self, message: str) -> None:
        line = self.query_one("#problem", Static)
        line.update(Content(message))
        line.display = bool(message)

    def action_next(self) -> None:
        if self.asking:
            self.show_question(self.question + 1)
        else:
            self.show_objective(self.index + 1)

    def action_finish(self) -> None:
        self.finish()

    def action_back(self) -> None:
        if self.asking and self.question > 0:
            self.show_question(self.question - 1)
        elif self.asking:
            self.show_objective(len(self.objectives) - 1) if self.objectives else None
        elif self.index > 0:
            self.show_objective(self.index - 1)
