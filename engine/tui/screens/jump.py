"""Jump the exercise clock forward: `T+4h` (a scenario time) or `+30m` (from now). Injects that come
due on the way fire, and are announced, when the jump is recorded."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from engine.bounds import MAX_CLOCK_SECONDS
from engine.duration import DurationError, parse_offset
from engine.tui import display
from engine.tui.screens.form import FormScreen, field


def jump_target(text: str, now_t: float) -> float:
    """Scenario seconds for `T+4h`, `4h` or `+30m`; raises DurationError if it does not read or is not ahead."""
    kind, seconds = parse_offset(text)
    to = float(seconds) + (now_t if kind == "relative" else 0.0)
    if to > MAX_CLOCK_SECONDS:
        raise DurationError(f"the clock reads at most T+{MAX_CLOCK_SECONDS // 86400}d; jump to an earlier time")
    if to <= now_t:
        raise DurationError(f"the clock only jumps forward; it reads {display.clock(now_t)} now")
    return to


class JumpScreen(FormScreen[None]):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Jump the clock", "bold"), classes="dialog-title")
            yield Static(id="jump-now", markup=False)
            yield field("Jump to", Input(placeholder="T+4h (scenario time) or +30m (from now)", id="to", compact=True))
            yield Static(id="jump-preview", markup=False)
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("Enter: jump · Esc: cancel", "dim"))

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.query_one("#jump-now", Static).update(Content(f"The clock reads {display.clock(self.drill.now_t())}."))
        self.query_one("#to", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        preview = self.query_one("#jump-preview", Static)
        state, now_t = self.drill.state, self.drill.now_t()
        try:
            to = jump_target(event.value, now_t)
        except DurationError:
            preview.update("")
            return
        due = [i.id for t, i in state.upcoming() if t <= to]
        fires = f"; {len(due)} inject(s) will fire: {', '.join(due)}" if due else "; no inject comes due"
        preview.update(Content.styled(f"→ {display.clock(to)}{fires}", "dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        drill = self.drill
        try:
            to = jump_target(self.query_one("#to", Input).value, drill.now_t())
        except DurationError as exc:
            self.problem(str(exc))
            return
        app = self.drill_app

        def jump() -> None:
            drill.jump(to)

        if self.record(jump):
            app.tick()  # fire what came due; the console announces it when this form has closed
