"""The team's work on steps: step.started, step.done, step.skipped, check.ticked and decision.made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine import step_rules
from engine.drill import timed
from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import Bad, key
from engine.drill.event_types.errors import EventError
from engine.drill.records import DecisionRecord, StepStatus

if TYPE_CHECKING:
    from engine.drill.frontier import Links
    from engine.drill.plan import Plan
    from engine.drill.state import DrillState

READY_OR_ACTIVE = (StepStatus.READY, StepStatus.ACTIVE)


def known_step(state: DrillState, step_key: str) -> str:
    """The key, or EventError when the drill's runbooks have no such step."""
    if step_key not in state.plan.steps:
        raise EventError(f"no step {step_key!r} in the drill's runbooks")
    return step_key


@event_type
@dataclass(frozen=True, slots=True)
class StepStarted(Payload):
    """step.started: work on a ready step began. step: the step key, `runbook/step`."""

    WIRE: ClassVar[str] = "step.started"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)

    def check(self, state: DrillState, t: float) -> None:
        status = state.status(known_step(state, self.step))
        if status is not StepStatus.READY:
            raise EventError(f"step {self.step} is {status}, not ready; it cannot start")

    def apply(self, state: DrillState, event: Event) -> None:
        state.steps[self.step].started_t = event.t

    def touched(self, links: Links, plan: Plan) -> list[str]:
        return [self.step]


@event_type
@dataclass(frozen=True, slots=True)
class StepDone(Payload):
    """step.done: a ready or active step (not a decision) is finished. step: the step key."""

    WIRE: ClassVar[str] = "step.done"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)

    def check(self, state: DrillState, t: float) -> None:
        status = state.status(known_step(state, self.step))
        if status not in READY_OR_ACTIVE:
            raise EventError(f"step {self.step} is {status}; only a ready or active step can be done")
        if state.plan.steps[self.step].options:
            raise EventError(f"step {self.step} is a decision; record the decision to finish it")

    def apply(self, state: DrillState, event: Event) -> None:
        t, record = event.t, state.steps[self.step]
        if record.started_t is None:
            record.started_t = t
        record.done_t = t
        state._mark_covered(state._backed_by.get(self.step, []), t)
        for inject in state._arms.get(self.step, []):
            if inject.after_option is None:
                state.armed.setdefault(inject.id, t)
        state._settle([self.step], t)

    def touched(self, links: Links, plan: Plan) -> list[str]:
        return [self.step]


@event_type
@dataclass(frozen=True, slots=True)
class StepSkipped(Payload):
    """step.skipped: the facilitator skipped a step. step: the step key; reason: why, never empty."""

    WIRE: ClassVar[str] = "step.skipped"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)
    reason: str = key(readers.filled("skipping a step needs a reason"))

    def check(self, state: DrillState, t: float) -> None:
        status = state.status(known_step(state, self.step))
        if status in (StepStatus.DONE, StepStatus.SKIPPED):
            raise EventError(f"step {self.step} is already {status}")

    def apply(self, state: DrillState, event: Event) -> None:
        state._skip(self.step, event.t, self.reason, "facilitator")
        state._settle([self.step], event.t)


def _item(value: Any, data: Mapping[str, Any]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Bad(f"step {data.get('step')} has no checklist item {value!r}")
    return value


@event_type
@dataclass(frozen=True, slots=True)
class CheckTicked(Payload):
    """check.ticked: a checklist item of a step was ticked (checked) or unticked.

    step: the step key; item: 0-based index into the step's `do` list.
    """

    WIRE: ClassVar[str] = "check.ticked"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)
    item: int = key(_item)
    checked: bool = key(lambda value, data: bool(value), absent=True, default=True)

    def check(self, state: DrillState, t: float) -> None:
        if self.item >= len(state.plan.steps[known_step(state, self.step)].do):
            raise EventError(f"step {self.step} has no checklist item {self.item!r}")

    def apply(self, state: DrillState, event: Event) -> None:
        ticks = state.steps[self.step].ticks
        if self.checked:
            ticks.add(self.item)
        else:
            ticks.discard(self.item)


@event_type
@dataclass(frozen=True, slots=True)
class DecisionMade(Payload):
    """decision.made: a decision step was decided, which finishes it and opens the option's steps.

    step: the decision step's key; option: the option id; rationale: why,
    as said; by: who decided (a name or role, may be empty); poll: the id of
    a poll the decision cites (on this decision, or on none), written only
    when given (older logs have none); fell_to_default: true when no one
    decided within a timed decision's `within` and the drill clock took its
    `default` (written only then; engine.drill.timed).
    """

    WIRE: ClassVar[str] = "decision.made"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)
    option: str = key(readers.option)
    rationale: str = key(readers.anything_as_text, default="")
    by: str = key(readers.anything_as_text, default="")
    poll: str | None = key(readers.optional_text("the poll a decision cites is its id (text)", lambda v: v or None),
                           omit=readers.none, default=None)
    fell_to_default: bool = key(readers.flag, absent=False, omit=readers.empty, default=False)

    def check(self, state: DrillState, t: float) -> None:
        options = state.plan.steps[known_step(state, self.step)].options
        if not options:
            raise EventError(f"step {self.step} is not a decision")
        status = state.status(self.step)
        if status not in READY_OR_ACTIVE:
            raise EventError(f"decision {self.step} is {status}; it can be made when ready or active")
        if self.option not in options:
            raise EventError(f"decision {self.step} has no option {self.option!r}; options: {', '.join(options)}")
        poll = state.polls.get(self.poll) if self.poll is not None else None
        if self.poll is not None and (poll is None or poll.step not in ("", self.step)):
            raise EventError(f"no poll {self.poll!r} on decision {self.step} to cite")
        if self.fell_to_default:
            timed.check_fall(state, self.step, self.option, t)

    def apply(self, state: DrillState, event: Event) -> None:
        step_key, option, t = self.step, self.option, event.t
        state.decisions[step_key] = DecisionRecord(step_key, option, self.rationale, self.by, t, event.seq,
                                                   self.poll or "", self.fell_to_default)
        record = state.steps[step_key]
        record.started_t = record.started_t if record.started_t is not None else t
        record.done_t = t
        opened = []
        for target in (state.plan.steps[step_key].options or {})[option]:
            target_record = state.steps[target]
            if target_record.opened_t is None and target_record.skipped_t is None:
                target_record.opened_t = t
                opened.append(target)
        for inject in state._arms.get(step_key, []):
            if inject.after_option in (None, option):
                state.armed.setdefault(inject.id, t)
        state._settle([step_key, *opened], t)

    def touched(self, links: Links, plan: Plan) -> list[str]:
        return step_rules.decision_reach(plan.steps[self.step], self.step)
