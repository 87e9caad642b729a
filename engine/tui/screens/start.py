"""Before the drill: who facilitates and who plays each role. Every name is optional."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from engine.drill.plan import Plan
from engine.tui.literal import content
from engine.tui.screens.form import enter_moves_on


def drill_roles(plan: Plan) -> dict[str, str]:
    """Every role of the drill's runbooks (first description wins), in runbook order."""
    roles: dict[str, str] = {}
    for runbook in plan.runbooks:
        for role, text in runbook.roles.items():
            roles.setdefault(role, text)
    return roles


class StartScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start the drill", priority=True),
        Binding("enter", "next_field", "Next name", show=False, priority=True),
        Binding("escape", "skip", "Skip names"),
    ]

    def __init__(self, plan: Plan, facilitator: str | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.facilitator = facilitator or ""
        self.roles = drill_roles(plan)

    def compose(self) -> ComposeResult:
        scenario = self.plan.scenario
        with Vertical(id="start"):
            yield Static(content(scenario.title, "bold"), id="start-title")
            yield Static(Content.assemble(
                f"{len(self.plan.steps)} steps in {len(self.plan.runbooks)} runbook(s), "
                f"{len(self.plan.injects)} injects. ",
                ("Name the facilitator and who plays each role (all optional). Enter moves to the next name; "
                 "ctrl+s (or the Start button) starts the drill and its clock. Esc starts without more names.",
                 "dim")), id="start-intro")
            with VerticalScroll(id="start-names"):
                with Horizontal(classes="name-row"):
                    yield Static(Content.styled("facilitator", "bold"), classes="name-role")
                    yield Input(value=self.facilitator, placeholder="your name", id="facilitator", compact=True)
                    yield Static(Content.styled("runs the exercise", "dim"), classes="name-what")
                for role, text in self.roles.items():
                    with Horizontal(classes="name-row"):
                        yield Static(content(role, "bold", one_line=True), classes="name-role")
                        yield Input(placeholder="name", id=f"role-{role}", classes="role", compact=True)
                        yield Static(content(text, "dim", one_line=True), classes="name-what")
            yield Static(id="problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(Content("Start the drill (ctrl+s)"), id="start-button", variant="primary", compact=True)
                yield Button(Content("Skip names (Esc)"), id="skip-button", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        blink = getattr(self.app, "blink", True)
        for field in self.query(Input):
            field.cursor_blink = blink
        self.query_one("#problem").display = False
        self.query_one("#facilitator", Input).focus()

    def action_next_field(self) -> None:
        """Enter walks the names; on the last it says how to start instead of starting the clock."""
        if not enter_moves_on(self):
            line = self.query_one("#problem", Static)
            line.update(Content("That was the last name. ctrl+s (or the Start button) starts the drill."))
            line.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start-button":
            self.action_start()
        else:
            self.action_skip()

    def names(self) -> tuple[str | None, dict[str, str]]:
        facilitator = self.query_one("#facilitator", Input).value.strip() or None
        participants = {}
        for role in self.roles:
            name = self.query_one(f"#role-{role}", Input).value.strip()
            if name:
                participants[role] = name
        return facilitator, participants

    def action_start(self) -> None:
        facilitator, participants = self.names()
        problem = self.app.begin(facilitator, participants)  # type: ignore[attr-defined]
        if problem:
            line = self.query_one("#problem", Static)
            line.update(Content(f"The drill could not start: {problem}"))
            line.display = True

    def action_skip(self) -> None:
        self.action_start()  # names typed so far are kept; the rest stay empty
