"""Every service the drill's runbooks rely on, up, degraded or down, with the steps a down one blocks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from engine.drill.state import DrillState, StepStatus
from engine.tui import display
from engine.tui.widgets.pane_text import PaneText


class ServiceBoard(VerticalScroll, can_focus=False):
    def compose(self) -> ComposeResult:
        yield PaneText()

    def show(self, state: DrillState) -> None:
        blocked: dict[str, list[str]] = {}
        for key, step in state.plan.steps.items():
            if state.status(key) is StepStatus.BLOCKED:
                for service in step.requires:
                    if state.services.get(service) == "down":
                        blocked.setdefault(service, []).append(step.id)
        lines = []
        width = max((len(s) for s in state.plan.services), default=0)
        for service in state.plan.services:
            health = state.services.get(service, "up")
            lines.append(Content.assemble(
                (f"{display.HEALTH_GLYPH[health]} {health:<9}", display.HEALTH_STYLE[health]),
                display.literal(service.ljust(width))))
            if blocked.get(service):
                lines.append(Content.styled(f"    blocks {', '.join(blocked[service])}", "dim"))
        self.query_one(PaneText).show(Content("\n").join(lines) if lines else Content("No services in these runbooks."))
