"""What reaches the team: inject.fired, inject.adhoc (written during the drill) and service.changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import Bad, key
from engine.drill.event_types.errors import EventError
from engine.drill.records import AdhocRecord, FiredInject

if TYPE_CHECKING:
    from engine.drill.frontier import Links
    from engine.drill.plan import Plan
    from engine.drill.state import DrillState


def known_services(state: DrillState, services: Mapping[str, str]) -> None:
    """Raise EventError for a service the drill's runbooks do not have."""
    for service in services:
        if service not in state.services:
            raise EventError(f"no service {service!r} in the drill's runbooks")


def _due(value: Any, data: Mapping[str, Any]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise Bad(f"an inject's due time is scenario seconds, not {value!r}")
    return float(value)


@event_type
@dataclass(frozen=True, slots=True)
class InjectFired(Payload):
    """inject.fired: an inject of the scenario was delivered.

    inject: the inject id; manual: fired by hand rather than at its time;
    event: the event id it carries (opens `on:` steps), if any; services:
    service id -> up, degraded or down, the health it sets (empty: none);
    due: scenario seconds the inject was due at, written only when it fired late
    because a clock jump passed its time (the event's own `t` is when it fired).
    `event`, `services` and `due` are written only when there is one.
    """

    WIRE: ClassVar[str] = "inject.fired"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = "inject"
    inject: str = key(readers.inject)
    manual: bool = key(lambda value, data: bool(value), default=False)
    event: str | None = key(lambda value, data: value if isinstance(value, str) and value else None,
                            omit=readers.empty, default=None)
    services: dict[str, str] = key(readers.services, absent={}, omit=readers.empty, write=dict,
                                   default_factory=dict)
    due: float | None = key(_due, omit=readers.none, default=None)

    def check(self, state: DrillState, t: float) -> None:
        if state.plan.inject(self.inject) is None:
            raise EventError(f"no inject {self.inject!r} in scenario {state.plan.scenario.scenario}")
        if self.inject in state.fired:
            raise EventError(f"inject {self.inject} has already fired")
        if self.due is not None and self.due > t:
            raise EventError(f"inject {self.inject} cannot be late: it was due at T+{self.due}, after T+{t}")
        known_services(state, self.services)

    def apply(self, state: DrillState, event: Event) -> None:
        t = event.t
        late = self.due is not None
        state.fired[self.inject] = FiredInject(self.inject, self.due if late else t,  # type: ignore[arg-type]
                                               self.manual, event.seq, t if late else None)
        state._deliver(self.inject, self.services, self.event, event)

    def touched(self, links: Links, plan: Plan) -> list[str]:
        inject = plan.inject(self.inject)
        return links.for_inject(inject) if inject else []


def _health(value: Any, data: Mapping[str, Any]) -> str:
    if value not in readers.HEALTH:
        raise Bad(f"service health must be up, degraded or down, not {value!r}")
    return str(value)


@event_type
@dataclass(frozen=True, slots=True)
class ServiceChanged(Payload):
    """service.changed: the facilitator set a service's health. service: its id; to: up, degraded or down."""

    WIRE: ClassVar[str] = "service.changed"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = "services"
    service: str = key(readers.text_named("no service {!r} in the drill's runbooks"))
    to: str = key(_health)

    def check(self, state: DrillState, t: float) -> None:
        known_services(state, {self.service: self.to})

    def apply(self, state: DrillState, event: Event) -> None:
        state._service_last[self.service] = event.seq
        state._settle(state._set_service(self.service, self.to, event.t), event.t)

    def touched(self, links: Links, plan: Plan) -> list[str]:
        return links.for_services([self.service])


def _adhoc_id(value: Any, data: Mapping[str, Any]) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Bad(f"an ad-hoc inject needs an id, not {value!r}")
    return value


def _roles(value: Any, data: Mapping[str, Any]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(r, str) and r.strip() for r in value):
        raise Bad("`to` is a list of roles (each a non-empty text)")
    return tuple(value)


def _objectives(value: Any, data: Mapping[str, Any]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(o, str) and o.strip() for o in value):
        raise Bad("`objectives` is a list of runbook/objective keys")
    return tuple(value)


@event_type
@dataclass(frozen=True, slots=True)
class InjectAdhoc(Payload):
    """inject.adhoc: an inject the facilitator wrote during the drill, delivered at once.

    inject: the id the drill gave it (`adhoc-1`, ...; never a scenario
    inject's id); text: what is read out, never blank; to: the roles it is
    for (empty: the whole room); services: service id -> up, degraded or
    down, the health it sets (empty: none); event: the event id it carries
    (opens `on:` steps like a scenario inject's), or None; by: who wrote it;
    expect: the response the team is expected to give (what evaluators rate
    it against; "" when none); objectives: the `runbook/objective` keys it
    bears on. `services`, `event`, `expect` and `objectives` are written only
    when there is one. It counts as fired by hand, and inject.withdrawn takes
    it back like any other. data is `{"inject": str, "text": str, "to": [str],
    "services"?: {str: str}, "event"?: str, "by": str, "expect"?: str,
    "objectives"?: [str]}`. Raises DecodeError on a blank id or text, a `to`
    or `objectives` that is not a list of texts, or a health not in HEALTH.
    """

    WIRE: ClassVar[str] = "inject.adhoc"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = "inject"
    inject: str = key(_adhoc_id)
    text: str = key(readers.filled("an ad-hoc inject needs its text"))
    to: tuple[str, ...] = key(_roles, write=list, default=())
    services: dict[str, str] = key(readers.services, absent={}, omit=readers.empty, write=dict,
                                   default_factory=dict)
    event: str | None = key(readers.optional_text("the event an inject carries is an id (text)", lambda v: v or None),
                            omit=readers.empty, default=None)
    by: str = key(readers.optional_text("who wrote the inject must be text", lambda v: v or ""), default="")
    expect: str = key(readers.optional_text("the expected action must be text", lambda v: v or ""),
                      omit=readers.empty, default="")
    objectives: tuple[str, ...] = key(_objectives, omit=readers.empty, write=list, default=())

    def check(self, state: DrillState, t: float) -> None:
        if state.plan.inject(self.inject) is not None:
            raise EventError(f"{self.inject} is an inject of the scenario; an ad-hoc inject needs an id of its own")
        if self.inject in state.fired:
            raise EventError(f"inject {self.inject} has already fired")
        known_services(state, self.services)
        for objective in self.objectives:
            if objective not in state.plan.objectives:
                raise EventError(f"no objective {objective!r} in the drill's runbooks")

    def apply(self, state: DrillState, event: Event) -> None:
        t = event.t
        state.adhoc[self.inject] = AdhocRecord(self.inject, self.text, self.to, dict(self.services), self.event,
                                               self.by, t, event.seq, self.expect, self.objectives)
        state.fired[self.inject] = FiredInject(self.inject, t, True, event.seq)
        state._deliver(self.inject, self.services, self.event, event)

    def touched(self, links: Links, plan: Plan) -> list[str]:
        """As a scenario inject's: the steps needing its services, and those listening for its event."""
        listening = links.listening.get(self.event, []) if self.event else []
        return links.for_services(self.services) + listening
