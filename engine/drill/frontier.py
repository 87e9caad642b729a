"""What a driver can act on next, kept up to date event by event instead of rescanned.

Headless play and explore ask, at every moment of a drill, which steps are
ready, which are at work, whether the drill is finished. Asking DrillState
about every step each time makes a drill of N steps cost N x N. A Frontier
remembers each step's status (and whether it counts as resolved for the
steps that need it) and, after each event, looks again only at the steps
the event can have changed: the steps it names, and from there, as long as
something changed, the steps that need them (when whether it counts as
resolved changed: that is all a step's status reads of its needs), their
fallbacks, the branches their options open, and the steps a fallback stands
in for. Those are the only ways one step's state reaches another's (see
DrillState.status and resolved), so the sets stay exactly what a full
rescan would give; tests compare them after every event of generated
drills.

The driver passes the typed payload of each event it recorded to `touched`,
which asks the payload's type (engine.drill.event_types) which steps that event reaches first.
Nothing here reads a clock.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from engine import step_rules
from engine.drill import events as ev
from engine.drill.plan import Plan, PlanInject
from engine.drill.state import UNFINISHED, DrillState, StepStatus


class Links(step_rules.Ties):
    """The plan's ways from one step to the steps its state can change (built once per plan, shared).

    They are the step rules' ties (engine.step_rules.Ties): needed_by, the
    steps whose status reads whether this one is resolved (and nothing else
    of it); linked, the steps whose state the fold changes when this one's
    changes (fallbacks, branches); onward, either way.
    """

    def __init__(self, plan: Plan) -> None:
        super().__init__(plan.steps)
        self.order = {key: i for i, key in enumerate(plan.steps)}

    def for_inject(self, inject: PlanInject) -> list[str]:
        """The steps an inject can change directly: those needing its services, those listening for its event."""
        out = [key for service in inject.services for key in self.requiring.get(service, [])]
        return out + (self.listening.get(inject.event, []) if inject.event else [])

    def for_services(self, services: Iterable[str]) -> list[str]:
        return [key for service in services for key in self.requiring.get(service, [])]


def touched(payload: ev.Payload, links: Links, plan: Plan) -> list[str]:
    """The steps an event with this payload can change directly (Frontier.update follows on from them):
    the payload type's own answer (Payload.touched: none for a type that moves no step, every step for
    one that does unless it knows better)."""
    return payload.touched(links, plan)


class Frontier:
    """Every step's status as of the last `update`, and the ready, active and unfinished sets.

    unfinished: the steps that keep DrillState.finished() false (waiting,
    ready, active, or blocked without a done fallback).
    """

    def __init__(self, state: DrillState, links: Links | None = None) -> None:
        self.state = state
        self.links = links or Links(state.plan)
        self.status: dict[str, StepStatus] = {}
        self.resolved: dict[str, bool] = {}
        self.ready: set[str] = set()
        self.active: set[str] = set()
        self.unfinished: set[str] = set()
        for key in state.plan.steps:
            self._look(key)

    def copy(self, state: DrillState) -> Frontier:
        """The same sets, for a copy of the state (a fork of an explored path)."""
        other = type(self).__new__(type(self))
        other.state, other.links = state, self.links
        other.status, other.resolved = dict(self.status), dict(self.resolved)
        other.ready, other.active, other.unfinished = set(self.ready), set(self.active), set(self.unfinished)
        return other

    @property
    def finished(self) -> bool:
        return not self.unfinished

    def in_order(self, keys: set[str]) -> list[str]:
        """Keys in plan order (the order a full scan would meet them)."""
        return sorted(keys, key=self.links.order.__getitem__)

    def update(self, seeds: Iterable[str]) -> list[str]:
        """Look again at `seeds` and whatever a change there reaches; the steps whose status changed."""
        changed: list[str] = []
        queue = list(seeds)
        seen: set[str] = set()
        while queue:
            key = queue.pop()
            if key in seen:
                continue
            seen.add(key)
            status, resolved = self.status.get(key), self.resolved.get(key)
            self._look(key)
            if self.status[key] is not status:
                changed.append(key)
                queue.extend(k for k in self.links.linked[key] if k not in seen)
            if self.resolved[key] is not resolved:  # only then can a step that needs it move
                queue.extend(k for k in self.links.needed_by[key] if k not in seen)
                if self.status[key] is status:
                    queue.extend(k for k in self.links.linked[key] if k not in seen)
        return changed

    def _look(self, key: str) -> None:
        state = self.state
        status = state.status(key)
        resolved = state.resolved(key)
        self.status[key] = status
        self.resolved[key] = resolved
        # the sets, one test each (this runs for every step an event reaches)
        (self.ready.add if status is StepStatus.READY else self.ready.discard)(key)
        (self.active.add if status is StepStatus.ACTIVE else self.active.discard)(key)
        stays = status in UNFINISHED or (status is StepStatus.BLOCKED and not resolved)
        (self.unfinished.add if stays else self.unfinished.discard)(key)


class InjectQueue:
    """The injects still to fire, soonest first (plan order between equals), as DrillState.due has them.

    Injects with a time are queued at the start; a contingency inject joins
    once its condition comes true (call `arm` after the step it waits for is
    done or decided).
    """

    def __init__(self, state: DrillState) -> None:
        self.state = state
        self.heap: list[tuple[float, int, str]] = []
        self.waiting: dict[str, list[tuple[int, PlanInject]]] = {}  # step key -> contingency injects on it
        self.injects = {inject.id: inject for inject in state.plan.injects}
        for index, inject in enumerate(state.plan.injects):
            if inject.id in state.fired:
                continue
            t = state.due_time(inject)
            if t is not None:
                heapq.heappush(self.heap, (t, index, inject.id))
            elif inject.after_step:
                self.waiting.setdefault(inject.after_step, []).append((index, inject))

    def copy(self, state: DrillState) -> InjectQueue:
        """The same queue, for a copy of the state (a fork of an explored path); the plan's injects shared."""
        other = type(self).__new__(type(self))
        other.state, other.injects, other.heap = state, self.injects, list(self.heap)
        other.waiting = {key: list(pairs) for key, pairs in self.waiting.items()}
        return other

    def arm(self, key: str) -> None:
        """Queue the contingency injects that the step `key`, just done or decided, has armed."""
        still = []
        for index, inject in self.waiting.pop(key, []):
            t = self.state.due_time(inject)
            if t is None:
                still.append((index, inject))
            else:
                heapq.heappush(self.heap, (t, index, inject.id))
        if still:
            self.waiting[key] = still

    def soonest(self) -> float | None:
        """When the next inject comes due, or None when none is left with a time."""
        heap = self.heap
        while heap and heap[0][2] in self.state.fired:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def due(self, now: float) -> list[PlanInject]:
        """The injects due at `now`, taken off the queue, soonest first."""
        out = []
        while (t := self.soonest()) is not None and t <= now:
            out.append(self.injects[heapq.heappop(self.heap)[2]])
        return out
