"""An inject that just fired, big enough to read out: what to say, to whom, and what the team should do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.tui import display


class InjectScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("enter,space", "next", "Next", priority=True),
        Binding("escape", "close", "Close all"),
    ]

    def __init__(self, injects: list[str]) -> None:
        super().__init__()
        self.injects = injects
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog inject-dialog"):
            yield Static(id="inject-title", classes="dialog-title", markup=False)
            with VerticalScroll(id="inject-body"):
                yield Static(id="inject-say", markup=False)
                yield Static(id="inject-more", markup=False)
            yield Static(id="inject-keys", markup=False)

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        app = self.app
        drill = app.drill  # type: ignore[attr-defined]
        inject_id = self.injects[self.index]
        inject = drill.plan.inject(inject_id)
        fired = drill.state.fired.get(inject_id)
        when = display.clock(fired.t) if fired else ""
        count = f"  ({self.index + 1} of {len(self.injects)})" if len(self.injects) > 1 else ""
        self.query_one("#inject-title", Static).update(Content.assemble(
            (" INJECT ", "bold reverse"), " ", (display.literal(inject_id), "bold"),
            ("  " + display.literal(inject.title) if inject and inject.title else "", "italic"), f"  {when}", count))
        to = "To: everyone"
        if inject and inject.to:
            name = drill.state.participants.get(inject.to)
            to = f"To: {inject.to}" + (f" ({name})" if name else "")
        say = (inject.say or "").strip() if inject else ""
        self.query_one("#inject-say", Static).update(Content.assemble(
            (display.literal(to), "bold"), "\n",
            (display.literal(say) if say else "(nothing to read out)", "bold" if say else "dim")))
        more: list[Content] = []
        if inject and inject.services:
            changes = ", ".join(f"{s} {display.HEALTH_GLYPH.get(h, '')} {h}" for s, h in inject.services.items())
            more.append(Content.assemble(("Services: ", "bold"), display.literal(changes)))
        if inject and inject.event:  # what it opens: the `on:` branches listening for it
            more.append(Content.assemble(("Event: ", "bold"), display.literal(inject.event)))
        if inject and inject.expect:
            more.append(Content.assemble(("Expect: ", "bold"), (display.literal(inject.expect.strip()), "italic")))
        self.query_one("#inject-more", Static).update(Content("\n").join(more))
        last = self.index == len(self.injects) - 1
        self.query_one("#inject-keys", Static).update(Content.styled(
            "Enter: back to the console" if last else "Enter: next inject · Esc: close all (they stay in Injects)",
            "dim"))

    def action_next(self) -> None:
        if self.index + 1 < len(self.injects):
            self.index += 1
            self.show()
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
