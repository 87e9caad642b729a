"""Every service the drill's runbooks rely on, up, degraded or down, with the steps a down one blocks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from engine.drill.plan import Plan
from engine.drill.state import DrillState, StepStatus
from engine.tui import display
from engine.tui.widgets.pane_text import PaneText


def requiring(plan: Plan) -> dict[str, list[str]]:
    """Service id -> the keys of the steps that require it, in plan order."""
    out: dict[str, list[str]] = {}
    for key, step in plan.steps.items():
        for service in dict.fromkeys(step.requires):
            out.setdefault(service, []).append(key)
    return out


class ServiceBoard(VerticalScroll, can_focus=False):
    """Redrawn after every event: it reads the status of the steps that require a service that is down,
    not of every step (a drill of thousands of steps, all services up, reads none)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._requiring: tuple[Plan, dict[str, list[str]]] | None = None

    def compose(self) -> ComposeResult:
        yield PaneText()

    def show(self, state: DrillState) -> None:
        if self._requiring is None or self._requiring[0] is not state.plan:
            self._requiring = (state.plan, requiring(state.plan))
        blocked: dict[str, list[str]] = {}
        for service, keys in self._requiring[1].items():
            if state.services.get(service) == "down":
                shown = [state.plan.steps[key].id for key in keys if state.status(key) is StepStatus.BLOCKED]
                if shown:
                    blocked[service] = shown
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
