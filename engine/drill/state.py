"""The state of a drill: a pure fold over the events of its log.

`DrillState(plan)` starts empty; `apply(event)` moves it on by one event, or
raises EventError and changes nothing. Nothing here reads a clock or a
file, so resuming a drill is replaying its log, and the report is computed
from the same fold. The rules are in docs/format.md ("How steps move").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.drill import events as ev
from engine.drill.clock import parse_wall
from engine.drill.plan import Opener, Plan, PlanInject


class EventError(ValueError):
    """An event that cannot happen in this state (unknown step, a step not ready, ...)."""


class StepStatus(enum.StrEnum):
    DORMANT = "dormant"  # a branch step nothing has opened yet
    WAITING = "waiting"  # opened; something it needs is not done or skipped
    READY = "ready"
    ACTIVE = "active"
    DONE = "done"
    SKIPPED = "skipped"
    BLOCKED = "blocked"  # a service it requires is down


UNFINISHED = (StepStatus.WAITING, StepStatus.READY, StepStatus.ACTIVE)


@dataclass
class StepRecord:
    opened_t: float | None = None
    started_t: float | None = None
    done_t: float | None = None
    skipped_t: float | None = None
    skip_reason: str | None = None
    skipped_by: str | None = None  # "facilitator" or "branch not taken"
    blocked_t: float | None = None  # when it last became blocked (None: not blocked)
    covered_t: float | None = None  # when its fallback, done while it was blocked, stood in for it
    ticks: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class DecisionRecord:
    step: str
    option: str
    rationale: str
    by: str
    t: float
    seq: int


@dataclass(frozen=True)
class NoteRecord:
    kind: str
    text: str
    step: str | None
    by: str
    t: float
    seq: int
    # For areas for improvement, the improvement-plan columns (all optional):
    action: str = ""  # the corrective action
    element: str = ""  # capability element: planning, organization, equipment, training, exercise
    owner: str = ""
    due: str = ""  # a date, as written


@dataclass(frozen=True)
class RatingRecord:
    objective: str
    rating: str
    comment: str
    t: float


@dataclass(frozen=True)
class FiredInject:
    id: str
    t: float
    manual: bool
    seq: int


class DrillState:
    """Everything known about a drill after the events applied so far."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.seq = -1
        self.started = False
        self.ended = False
        self.end_reason: str | None = None
        self.start_info: dict[str, Any] = {}
        self.facilitator: str | None = None
        self.participants: dict[str, str] = {}
        self.t = 0.0  # scenario time of the last event (after it, for a jump)
        self.wall: str | None = None
        self.running = False
        self.base_t = 0.0  # the clock reads base_t + (wall - base_wall) while running
        self.base_wall: datetime | None = None
        self.services = {s: "up" for s in plan.services}
        self.steps = {key: StepRecord() for key in plan.steps}
        self.decisions: dict[str, DecisionRecord] = {}
        self.fired: dict[str, FiredInject] = {}
        self.armed: dict[str, float] = {}  # contingency inject -> when its condition came true
        self.arrived: dict[str, float] = {}  # event id -> when it first arrived
        self.notes: list[NoteRecord] = []
        self.ratings: dict[str, RatingRecord] = {}
        self.hotwash: list[tuple[str, str, float]] = []
        self._index()

    # ----- indexes built once from the plan -----

    def _index(self) -> None:
        plan = self.plan
        self._requiring: dict[str, list[str]] = {s: [] for s in plan.services}
        self._listening: dict[str, list[str]] = {}
        self._arms: dict[str, list[PlanInject]] = {}
        for key, step in plan.steps.items():
            for service in step.requires:
                self._requiring.setdefault(service, []).append(key)
            if step.on:
                self._listening.setdefault(step.on, []).append(key)
        for inject in plan.injects:
            if inject.after_step:
                self._arms.setdefault(inject.after_step, []).append(inject)
        self._order = {key: i for i, key in enumerate(plan.steps)}
        self._backed_by: dict[str, list[str]] = {}  # fallback -> the steps it stands in for
        for key, step in plan.steps.items():
            if step.fallback:
                self._backed_by.setdefault(step.fallback, []).append(key)

    # ----- reading the state -----

    def status(self, key: str) -> StepStatus:
        record = self.steps[key]
        if record.done_t is not None:
            return StepStatus.DONE
        if record.skipped_t is not None:
            return StepStatus.SKIPPED
        if record.opened_t is None:
            return StepStatus.DORMANT
        if self._down(key):
            return StepStatus.BLOCKED
        if record.started_t is not None:
            return StepStatus.ACTIVE
        if all(self.resolved(n) for n in self.plan.steps[key].needs):
            return StepStatus.READY
        return StepStatus.WAITING

    def resolved(self, key: str) -> bool:
        """Done or skipped, or blocked with its fallback done: what `needs` waits for."""
        record = self.steps.get(key)
        if record is None:
            return True
        if record.done_t is not None or record.skipped_t is not None:
            return True
        return record.covered_t is not None or self._covering(key)

    def _covering(self, key: str) -> bool:
        """Blocked right now, with its fallback done."""
        record = self.steps[key]
        fallback = self.plan.steps[key].fallback
        return (fallback is not None and record.opened_t is not None and self._down(key)
                and self.steps[fallback].done_t is not None)

    def _mark_covered(self, keys: list[str], t: float) -> None:
        """Once a fallback has stood in for a blocked step, steps that need it stay free to go,
        even after the service comes back and the step itself could be done after all."""
        for key in keys:
            record = self.steps[key]
            if record.covered_t is None and record.done_t is None and self._covering(key):
                record.covered_t = t

    def _down(self, key: str) -> bool:
        return any(self.services.get(s) == "down" for s in self.plan.steps[key].requires)

    def statuses(self) -> dict[str, StepStatus]:
        return {key: self.status(key) for key in self.plan.steps}

    def scenario_time(self, wall: datetime) -> float:
        """Scenario seconds at a wall time, by the exercise clock as the events left it."""
        if not self.running or self.base_wall is None:
            return self.base_t
        return max(self.t, round(self.base_t + (wall - self.base_wall).total_seconds(), 3))

    def due_time(self, inject: PlanInject) -> float | None:
        """When an inject comes due in scenario time; None while a contingency inject is not armed."""
        if inject.contingent:
            armed = self.armed.get(inject.id)
            return None if armed is None else armed + (inject.at or 0)
        return float(inject.at or 0)

    def due(self, now_t: float) -> list[PlanInject]:
        """Injects not fired whose time has come, soonest first."""
        out = [(t, i) for i in self.plan.injects
               if i.id not in self.fired and (t := self.due_time(i)) is not None and t <= now_t]
        return [i for _, i in sorted(out, key=lambda pair: pair[0])]

    def upcoming(self) -> list[tuple[float, PlanInject]]:
        """Injects not fired with a known time, soonest first (due ones included)."""
        out = [(t, i) for i in self.plan.injects if i.id not in self.fired and (t := self.due_time(i)) is not None]
        return sorted(out, key=lambda pair: pair[0])

    def finished(self) -> bool:
        """No step is waiting, ready or active, and no blocked step is left without a done fallback."""
        for key in self.plan.steps:
            status = self.status(key)
            if status in UNFINISHED or (status is StepStatus.BLOCKED and not self.resolved(key)):
                return False
        return True

    # ----- moving on -----

    def apply(self, event: ev.Event) -> None:
        """Apply one event, or raise EventError and change nothing."""
        self.check(event)
        handler = getattr(self, "_apply_" + event.type.replace(".", "_"))
        handler(event)
        self.seq = event.seq
        self.wall = event.wall
        if event.type != ev.CLOCK_JUMPED:
            self.t = event.t

    def check(self, event: ev.Event) -> None:
        """Raise EventError if the event cannot be applied now."""
        if event.seq != self.seq + 1:
            raise EventError(f"event number {event.seq} follows {self.seq}; events must be numbered in order")
        if event.type not in ev.TYPES:
            raise EventError(f"unknown event type {event.type!r}")
        if event.t < self.t:
            raise EventError(f"scenario time goes backwards ({event.t} after {self.t})")
        if not isinstance(event.data, dict):
            raise EventError("event data must be a mapping")
        if not self.started and event.type != ev.STARTED:
            raise EventError("the first event of a drill must be drill.started")
        if self.started and event.type == ev.STARTED:
            raise EventError("the drill has already started")
        if self.ended and event.type not in (ev.NOTE, ev.RATING, ev.HOTWASH_ANSWER):
            raise EventError(f"the drill has ended; {event.type} cannot follow")
        validator = getattr(self, "_check_" + event.type.replace(".", "_"), None)
        if validator:
            validator(event)

    # ----- per event type: _check_* raises, _apply_* changes -----

    def _apply_drill_started(self, event: ev.Event) -> None:
        data = event.data
        self.started = True
        self.start_info = dict(data)
        self.facilitator = data.get("facilitator") or None
        self.participants = dict(data.get("participants") or {})
        self.running = True
        self.base_t = event.t
        self.base_wall = parse_wall(event.wall)
        for key, step in self.plan.steps.items():
            if not step.branch:
                self.steps[key].opened_t = event.t
        self._settle(list(self.plan.steps), event.t)

    def _check_drill_started(self, event: ev.Event) -> None:
        participants = event.data.get("participants", {})
        if not isinstance(participants, dict):
            raise EventError("participants must map roles to names")

    def _check_inject_fired(self, event: ev.Event) -> None:
        inject_id = event.data.get("inject")
        inject = self.plan.inject(inject_id) if isinstance(inject_id, str) else None
        if inject is None:
            raise EventError(f"no inject {inject_id!r} in scenario {self.plan.scenario.scenario}")
        if inject_id in self.fired:
            raise EventError(f"inject {inject_id} has already fired")
        self._check_services(event.data.get("services", {}))

    def _apply_inject_fired(self, event: ev.Event) -> None:
        data = event.data
        self.fired[data["inject"]] = FiredInject(data["inject"], event.t, bool(data.get("manual")), event.seq)
        touched: list[str] = []
        for service, health in (data.get("services") or {}).items():
            touched += self._set_service(service, health, event.t)
        name = data.get("event")
        if name:
            self.arrived.setdefault(name, event.t)
            for key in self._listening.get(name, []):
                record = self.steps[key]
                if record.opened_t is None and record.skipped_t is None:
                    record.opened_t = event.t
                    touched.append(key)
        self._settle(touched, event.t)

    def _check_service_changed(self, event: ev.Event) -> None:
        self._check_services({event.data.get("service"): event.data.get("to")})

    def _apply_service_changed(self, event: ev.Event) -> None:
        self._settle(self._set_service(event.data["service"], event.data["to"], event.t), event.t)

    def _check_services(self, services: Any) -> None:
        if not isinstance(services, dict):
            raise EventError("services must map service ids to up, degraded or down")
        for service, health in services.items():
            if service not in self.services:
                raise EventError(f"no service {service!r} in the drill's runbooks")
            if health not in ev.HEALTH:
                raise EventError(f"service health must be up, degraded or down, not {health!r}")

    def _set_service(self, service: str, health: str, t: float) -> list[str]:
        self.services[service] = health
        for key in self._requiring.get(service, []):
            record = self.steps[key]
            down = self._down(key)
            if down and record.blocked_t is None:
                record.blocked_t = t
            elif not down:
                record.blocked_t = None
        self._mark_covered(self._requiring.get(service, []), t)
        return list(self._requiring.get(service, []))

    def _step(self, event: ev.Event) -> str:
        key = event.data.get("step")
        if not isinstance(key, str) or key not in self.plan.steps:
            raise EventError(f"no step {key!r} in the drill's runbooks")
        return key

    def _check_step_started(self, event: ev.Event) -> None:
        key = self._step(event)
        status = self.status(key)
        if status is not StepStatus.READY:
            raise EventError(f"step {key} is {status}, not ready; it cannot start")

    def _apply_step_started(self, event: ev.Event) -> None:
        self.steps[event.data["step"]].started_t = event.t

    def _check_step_done(self, event: ev.Event) -> None:
        key = self._step(event)
        status = self.status(key)
        if status not in (StepStatus.READY, StepStatus.ACTIVE):
            raise EventError(f"step {key} is {status}; only a ready or active step can be done")
        if self.plan.steps[key].options:
            raise EventError(f"step {key} is a decision; record the decision to finish it")

    def _apply_step_done(self, event: ev.Event) -> None:
        key = event.data["step"]
        record = self.steps[key]
        if record.started_t is None:
            record.started_t = event.t
        record.done_t = event.t
        self._mark_covered(self._backed_by.get(key, []), event.t)
        for inject in self._arms.get(key, []):
            if inject.after_option is None:
                self.armed.setdefault(inject.id, event.t)
        self._settle([key], event.t)

    def _check_step_skipped(self, event: ev.Event) -> None:
        key = self._step(event)
        status = self.status(key)
        if status in (StepStatus.DONE, StepStatus.SKIPPED):
            raise EventError(f"step {key} is already {status}")
        reason = event.data.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise EventError("skipping a step needs a reason")

    def _apply_step_skipped(self, event: ev.Event) -> None:
        key = event.data["step"]
        self._skip(key, event.t, event.data["reason"], "facilitator")
        self._settle([key], event.t)

    def _check_check_ticked(self, event: ev.Event) -> None:
        key = self._step(event)
        item = event.data.get("item")
        if not isinstance(item, int) or isinstance(item, bool) or not 0 <= item < len(self.plan.steps[key].do):
            raise EventError(f"step {key} has no checklist item {item!r}")

    def _apply_check_ticked(self, event: ev.Event) -> None:
        ticks = self.steps[event.data["step"]].ticks
        if event.data.get("checked", True):
            ticks.add(event.data["item"])
        else:
            ticks.discard(event.data["item"])

    def _check_decision_made(self, event: ev.Event) -> None:
        key = self._step(event)
        options = self.plan.steps[key].options
        if not options:
            raise EventError(f"step {key} is not a decision")
        status = self.status(key)
        if status not in (StepStatus.READY, StepStatus.ACTIVE):
            raise EventError(f"decision {key} is {status}; it can be made when ready or active")
        if event.data.get("option") not in options:
            raise EventError(f"decision {key} has no option {event.data.get('option')!r}; "
                             f"options: {', '.join(options)}")

    def _apply_decision_made(self, event: ev.Event) -> None:
        data, t = event.data, event.t
        key, option = data["step"], data["option"]
        self.decisions[key] = DecisionRecord(key, option, str(data.get("rationale") or ""),
                                             str(data.get("by") or ""), t, event.seq)
        record = self.steps[key]
        record.started_t = record.started_t if record.started_t is not None else t
        record.done_t = t
        opened = []
        for target in self.plan.steps[key].options[option]:  # type: ignore[index]
            target_record = self.steps[target]
            if target_record.opened_t is None and target_record.skipped_t is None:
                target_record.opened_t = t
                opened.append(target)
        for inject in self._arms.get(key, []):
            if inject.after_option in (None, option):
                self.armed.setdefault(inject.id, t)
        self._settle([key, *opened], t)

    def _check_note(self, event: ev.Event) -> None:
        data = event.data
        if data.get("kind") not in ev.NOTE_KINDS:
            raise EventError(f"a note is one of {', '.join(ev.NOTE_KINDS)}, not {data.get('kind')!r}")
        if not isinstance(data.get("text"), str) or not data["text"].strip():
            raise EventError("a note needs text")
        if data.get("step") is not None:
            self._step(event)
        element = data.get("element")
        if element not in (None, "") and element not in ev.CAPABILITY_ELEMENTS:
            raise EventError(f"a capability element is one of {', '.join(ev.CAPABILITY_ELEMENTS)}, not {element!r}")
        for name in ("action", "owner", "due", "by"):
            if data.get(name) is not None and not isinstance(data.get(name), str):
                raise EventError(f"a note's {name} must be text")

    def _apply_note(self, event: ev.Event) -> None:
        data = event.data
        self.notes.append(NoteRecord(data["kind"], data["text"], data.get("step"), str(data.get("by") or ""),
                                     event.t, event.seq, str(data.get("action") or ""),
                                     str(data.get("element") or ""), str(data.get("owner") or ""),
                                     str(data.get("due") or "")))

    def _check_clock_paused(self, event: ev.Event) -> None:
        if not self.running:
            raise EventError("the clock is already paused")

    def _apply_clock_paused(self, event: ev.Event) -> None:
        self.running = False
        self.base_t = event.t

    def _check_clock_resumed(self, event: ev.Event) -> None:
        if self.running:
            raise EventError("the clock is already running")

    def _apply_clock_resumed(self, event: ev.Event) -> None:
        self.running = True
        self.base_t = event.t
        self.base_wall = parse_wall(event.wall)

    def _check_clock_jumped(self, event: ev.Event) -> None:
        to = event.data.get("to")
        if not isinstance(to, (int, float)) or isinstance(to, bool) or to <= event.t:
            raise EventError(f"the clock jumps forward only; T+{to} is not after T+{event.t}")

    def _apply_clock_jumped(self, event: ev.Event) -> None:
        self.base_t = float(event.data["to"])
        self.base_wall = parse_wall(event.wall)
        self.t = self.base_t

    def _check_hotwash_answer(self, event: ev.Event) -> None:
        if not isinstance(event.data.get("question"), str) or not isinstance(event.data.get("answer"), str):
            raise EventError("a hot-wash answer needs a question and an answer")

    def _apply_hotwash_answer(self, event: ev.Event) -> None:
        self.hotwash.append((event.data["question"], event.data["answer"], event.t))

    def _check_rating(self, event: ev.Event) -> None:
        if event.data.get("objective") not in self.plan.objectives:
            raise EventError(f"no objective {event.data.get('objective')!r} in the drill's runbooks")
        if event.data.get("rating") not in ev.RATINGS:
            raise EventError(f"a rating is P, S, M or U, not {event.data.get('rating')!r}")

    def _apply_rating(self, event: ev.Event) -> None:
        data = event.data
        self.ratings[data["objective"]] = RatingRecord(data["objective"], data["rating"],
                                                       str(data.get("comment") or ""), event.t)

    def _apply_drill_ended(self, event: ev.Event) -> None:
        self.ended = True
        self.running = False
        self.base_t = event.t
        self.end_reason = event.data.get("reason")

    # ----- opening and skipping branches -----

    def _skip(self, key: str, t: float, reason: str, by: str) -> None:
        record = self.steps[key]
        record.skipped_t = t
        record.skip_reason = reason
        record.skipped_by = by

    def _settle(self, changed: list[str], t: float) -> None:
        """Open fallbacks of blocked steps and skip branches no opener can open any more, transitively."""
        queue = list(changed)
        while queue:
            key = queue.pop()
            step = self.plan.steps[key]
            record = self.steps[key]
            if (step.fallback and record.opened_t is not None and record.done_t is None
                    and record.skipped_t is None and self._down(key)):
                fallback = self.steps[step.fallback]
                if fallback.opened_t is None and fallback.skipped_t is None:
                    fallback.opened_t = t
                    queue.append(step.fallback)
            if record.opened_t is None and record.skipped_t is None and step.openers:
                if all(self._closed(o) for o in step.openers):
                    self._skip(key, t, self._why_skipped(step.openers), "branch not taken")
            if record.done_t is not None or record.skipped_t is not None:
                if step.fallback:
                    queue.append(step.fallback)
                for targets in (step.options or {}).values():
                    queue.extend(targets)

    def _closed(self, opener: Opener) -> bool:
        if opener.kind == "event":
            return False  # an event can come at any time
        source = self.steps[opener.source]
        if source.skipped_t is not None:
            return True
        if opener.kind == "fallback":
            return source.done_t is not None
        decision = self.decisions.get(opener.source)
        return decision is not None and decision.option != opener.option

    def _why_skipped(self, openers: list[Opener]) -> str:
        parts = []
        for opener in openers:
            if opener.kind == "next":
                decision = self.decisions.get(opener.source)
                chosen = f"`{decision.option}` was chosen" if decision else "that decision was skipped"
                parts.append(f"it follows option `{opener.option}` of {opener.source}; {chosen}")
            else:
                parts.append(f"{opener.source} finished without needing its fallback")
        return "branch not taken: " + "; ".join(parts)
