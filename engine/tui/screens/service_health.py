"""Set a service's health by hand (service.changed): choose the service, then up, degraded or down; recording
asks first, naming the steps it blocks or frees. The report marks the change as set by hand."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.drill import events as ev
from engine.drill.foresight import foresee
from engine.drill.state import EventError
from engine.tui import display
from engine.tui.screens.confirm import ConfirmScreen
from engine.tui.screens.form import FormScreen, buttons
from engine.tui.written_actions import effect_lines


class ServiceHealthScreen(FormScreen[None]):
    CHOICE_LISTS = {"service": "the service (↑↓)", "health": "its health (↑↓)"}
    DEFAULT_CSS = "ServiceHealthScreen #service { height: auto; max-height: 8; }"

    def __init__(self) -> None:
        super().__init__()
        self.service: str | None = None
        self.health: str | None = None

    def compose(self) -> ComposeResult:
        state = self.drill.state
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Set a service's health by hand", "bold"), classes="dialog-title")
            yield OptionList(*(Option(self._service_prompt(s), id=s) for s in state.plan.services), id="service")
            yield OptionList(*(Option(self._health_prompt(h), id=h) for h in ev.HEALTH), id="health")
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("↑↓: the service · Enter: its health · ctrl+s: review · Esc: cancel",
                                        "dim"))
            yield from buttons("Set it")

    def _service_prompt(self, service: str) -> Content:
        health = self.drill.state.services.get(service, "up")
        mark = "(•) " if service == self.service else "( ) "
        return Content.assemble((mark, "bold"), display.literal(service, one_line=True),
                                (f"  now {display.HEALTH_GLYPH[health]} {health}", display.HEALTH_STYLE[health]))

    def _health_prompt(self, health: str) -> Content:
        mark = "(•) " if health == self.health else "( ) "
        return Content.assemble((mark, "bold"), "set it ", (f"{display.HEALTH_GLYPH[health]} {health}",
                                                            display.HEALTH_STYLE[health]))

    def on_mount(self) -> None:
        super().on_mount()
        self.problem("")
        self.set_focus(self.query_one("#service", OptionList))

    def mark(self, list_id: str, index: int) -> None:
        options = self.query_one(f"#{list_id}", OptionList)
        chosen = options.get_option_at_index(index).id or ""
        if list_id == "service":
            self.service = chosen
            self._redraw("service", self._service_prompt)
        else:
            self.health = chosen
            self._redraw("health", self._health_prompt)
        options.highlighted = index
        self.problem("")

    def marked(self, list_id: str) -> bool:
        return (self.service if list_id == "service" else self.health) is not None

    def _redraw(self, list_id: str, prompt: Callable[[str], Content]) -> None:
        options = self.query_one(f"#{list_id}", OptionList)
        for index in range(options.option_count):
            options.replace_option_prompt_at_index(index, prompt(options.get_option_at_index(index).id or ""))

    def action_submit(self) -> None:
        service, health = self.service, self.health
        if service is None or health is None:
            self.problem("Choose the service, then its health (↑↓ in each list, Enter between them).")
            return
        drill = self.drill
        before = drill.state.services.get(service, "up")
        if before == health:
            self.problem(f"{service} is {health} already.")
            return
        try:
            effects = foresee(drill.state, ev.ServiceChanged(service, health), drill.now_t())
        except EventError as exc:
            self.problem(str(exc))
            return
        lines = [f"{service} goes from {before} to {health} at {display.clock(drill.now_t())}, set by hand.",
                 *([line for line in effect_lines(effects) if not line.startswith("Service ")]
                   or ["No step changes: none that requires it is open."]),
                 "The report marks it as set by hand. An inject withdrawn later does not undo it."]

        def done(yes: bool | None) -> None:
            if yes:
                self.record(lambda: drill.set_service(service, health))

        self.app.push_screen(ConfirmScreen(f"Set {service} {health}?", "\n".join(lines), "Set it"), done)
