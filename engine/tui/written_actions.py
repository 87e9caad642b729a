"""The console's actions that write into the drill what the scenario did not plan: an inject written on the
spot (inject.adhoc) and a service's health set by hand (service.changed).

Kept apart from the console screen, like the corrections, so it stays a few lines there. Each opens a
form; recording asks first, naming what will follow (worked out on a copy of the fold by
engine.drill.foresight). `refusal` says why one does not apply now; the core has the last word.
"""

from __future__ import annotations

from typing import Any

from engine.drill.foresight import Effects
from engine.drill.state import DrillState

WRITTEN_ACTIONS = ("adhoc_inject", "set_service")


def refusal(state: DrillState, action: str) -> str | None:
    """Why writing an inject or setting a service does not apply now (None: it does)."""
    if state.ended:
        return "the drill has ended"
    if action == "set_service" and not state.plan.services:
        return "these runbooks name no service"
    return None


def roles(state: DrillState) -> dict[str, str]:
    """Every role of the drill's runbooks (and any the room named), id -> the name given, else its description."""
    out: dict[str, str] = {}
    for runbook in state.plan.runbooks:
        for role, text in runbook.roles.items():
            out.setdefault(role, text)
    for role in state.participants:
        out.setdefault(role, "")
    return {role: state.participants.get(role) or text for role, text in out.items()}


def events_listened(state: DrillState) -> list[str]:
    """The events some `on:` step waits for, in plan order (what an ad-hoc inject may bring)."""
    out: list[str] = []
    for step in state.plan.steps.values():
        if step.on and step.on not in out:
            out.append(step.on)
    return out


def effect_lines(effects: Effects) -> list[str]:
    """What delivering an inject or setting a service will change, one sentence a line."""
    lines = [f"Service {service}: {now} → {then}." for service, now, then in effects.services]
    if effects.opened:
        lines.append(f"Steps that open: {_ids(effects.opened)}.")
    moves: dict[tuple[str, str], list[str]] = {}  # grouped, so a service many steps need still fits 80x24
    for key, was, now in effects.changed:
        moves.setdefault((was.value, now.value), []).append(key)
    for (was_value, now_value), keys in moves.items():
        noun = "Step" if len(keys) == 1 else "Steps"
        lines.append(f"{noun} {was_value} → {now_value}: {_ids(tuple(keys))}.")
    return lines


def _ids(keys: tuple[str, ...]) -> str:
    return ", ".join(key.partition("/")[2] or key for key in keys)


def adhoc_inject(screen: Any) -> None:
    from engine.tui.screens.adhoc import AdhocScreen

    screen.app.push_screen(AdhocScreen())


def set_service(screen: Any) -> None:
    from engine.tui.screens.service_health import ServiceHealthScreen

    screen.app.push_screen(ServiceHealthScreen())
