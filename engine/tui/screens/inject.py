"""An inject in full, big enough to read out: what to say, to whom, its services and what the team
should do. It comes up when injects fire (Enter pages through those just fired) and from the Injects
pane; ← and → move to the previous or next fired inject, in the order they fired."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.drill import modules
from engine.tui import display
from engine.tui.key_guard import KeyGuard
from engine.tui.screens.dialog import Dialog
from engine.tui.widgets.inject_timeline import fired_order


class InjectScreen(Dialog[None]):
    BINDINGS = [
        Binding("enter,space", "next", "Next", priority=True),
        Binding("escape", "close", "Close all"),
        Binding("left", "step(-1)", "Previous fired"),
        Binding("right", "step(1)", "Next fired"),
    ]

    def __init__(self, injects: list[str], start: str | None = None) -> None:
        """`injects`: the ones just fired (Enter pages through them); `start`: the one shown first."""
        super().__init__()
        self.injects = injects
        self.current = start or injects[0]
        self.guard: KeyGuard | None = None  # a space or Enter typed for something else as it pops up


    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog inject-dialog"):
            yield Static(id="inject-title", classes="dialog-title", markup=False)
            with VerticalScroll(id="inject-body"):
                yield Static(id="inject-say", markup=False)
                yield Static(id="inject-more", markup=False)
            yield Static(id="inject-keys", markup=False)

    def on_mount(self) -> None:
        self.guard = KeyGuard.of(self.app)
        self.show()

    def _held(self, key: str) -> bool:
        """Whether `key` came as the pop-up opened (typed for the console): dropped, and said so."""
        if self.guard is None or not self.guard.holding():
            return False
        self.guard.say_dropped(key, self.app, "as the inject popped up")
        return True

    def show(self) -> None:
        app = self.app
        drill = app.drill  # type: ignore[attr-defined]
        inject_id = self.current
        order = fired_order(drill.state)
        inject = drill.state.inject(inject_id)
        fired = drill.state.fired.get(inject_id)
        when = display.clock(fired.t) if fired else ""
        if fired and fired.late_t is not None:
            when += f" (fired late at {display.clock(fired.late_t)}: the clock jumped past it)"
        withdrawn = drill.state.withdrawn.get(inject_id)
        if withdrawn is not None:
            when += f"  WITHDRAWN at {display.clock(withdrawn.t)}: {display.literal(withdrawn.reason, one_line=True)}"
        place = order.index(inject_id) + 1 if inject_id in order else 0
        count = f"  ({place} of {len(order)} fired)" if place else ""
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
        early = modules.early_note(drill.state, inject_id, drill.now_t())
        if early:  # a contingency inject whose decision came early: read out in the module under way
            more.append(Content.assemble(("Module: ", "bold"), display.literal(early)))
        if inject and inject.services:
            changes = ", ".join(f"{s} {display.HEALTH_GLYPH.get(h, '')} {h}" for s, h in inject.services.items())
            more.append(Content.assemble(("Services: ", "bold"), display.literal(changes)))
        if inject and inject.event:  # what it opens: the `on:` branches listening for it
            more.append(Content.assemble(("Event: ", "bold"), display.literal(inject.event)))
        if inject and inject.expect:
            more.append(Content.assemble(("Expect: ", "bold"), (display.literal(inject.expect.strip()), "italic")))
        self.query_one("#inject-more", Static).update(Content("\n").join(more))
        unseen = self._unseen()
        keys = "Enter: next new inject · Esc: close all (they stay in Injects)" if unseen else "Enter: close"
        self.query_one("#inject-keys", Static).update(Content.styled(f"{keys} · ←/→: previous/next fired", "dim"))

    def _unseen(self) -> list[str]:
        """The injects just fired that come after the one on screen."""
        if self.current not in self.injects:
            return []
        return self.injects[self.injects.index(self.current) + 1:]

    def action_next(self) -> None:
        if self._held("Enter/space"):
            return
        unseen = self._unseen()
        if unseen:
            self.current = unseen[0]
            self.show()
        else:
            self.dismiss(None)

    def action_step(self, by: int) -> None:
        order = fired_order(self.app.drill.state)  # type: ignore[attr-defined]
        if self.current in order and 0 <= order.index(self.current) + by < len(order):
            self.current = order[order.index(self.current) + by]
            self.show()

    def action_close(self) -> None:
        self.dismiss(None)
