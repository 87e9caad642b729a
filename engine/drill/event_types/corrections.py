"""Corrections: the log stays append-only; these events correct what an earlier one said.

decision.revised, decision.amended, inject.withdrawn, step.reopened,
note.amended and note.withdrawn. Each adds a CorrectionRecord (kind: its wire name) to
`state.corrections`; what each does to the state is in docs/format.md#corrections.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from engine.drill.event_types import readers
from engine.drill.event_types.base import Event, Payload, event_type
from engine.drill.event_types.codec import key
from engine.drill.event_types.errors import EventError
from engine.drill.event_types.steps import known_step
from engine.drill.records import CorrectionRecord, DecisionRecord
from engine.drill.words import decision_words

if TYPE_CHECKING:
    from engine.drill.state import DrillState


@event_type
@dataclass(frozen=True, slots=True)
class DecisionRevised(Payload):
    """decision.revised: a decision already made is changed to another option.

    step: the decision step's key; option: the new option id; reason: why,
    never empty; by: who revised it (may be empty). The old branch's steps
    not started go back to dormant (skipped "branch not taken"), the new
    branch opens; started or done steps of the old branch stay, marked.
    """

    WIRE: ClassVar[str] = "decision.revised"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)
    option: str = key(readers.option)
    reason: str = key(readers.reason)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        decision = state.decisions.get(known_step(state, self.step))
        if decision is None:
            raise EventError(f"decision {self.step} has not been made; there is nothing to revise")
        if self.option not in (state.plan.steps[self.step].options or {}):
            raise EventError(f"decision {self.step} has no option {self.option!r}")
        if self.option == decision.option:
            raise EventError(f"decision {self.step} is already `{self.option}`")

    def apply(self, state: DrillState, event: Event) -> None:
        t, old = event.t, state.decisions[self.step].option
        state.corrections.append(CorrectionRecord(self.WIRE, self.step, old, self.option, self.reason, self.by, t,
                                                  event.seq))
        self._revise(state, old, t, event.seq)

    def _revise(self, state: DrillState, old: str, t: float, seq: int) -> None:
        step_key, option = self.step, self.option
        state.decisions[step_key] = DecisionRecord(step_key, option, self.reason, self.by, t, seq)
        options = state.plan.steps[step_key].options or {}
        for target in state._branch_of(options[old]):
            record = state.steps[target]
            if record.started_t is not None or record.done_t is not None:
                record.off_branch = f"option `{old}` of {step_key}, revised to `{option}` at T+{t:g}s"
            elif record.skipped_by != "facilitator":
                record.opened_t = record.skipped_t = record.skip_reason = record.skipped_by = None
                record.blocked_t = record.covered_t = None
        for inject in state._arms.get(step_key, []):
            if inject.after_option == old and inject.id not in state.fired:
                state.armed.pop(inject.id, None)
            if inject.after_option == option:
                state.armed.setdefault(inject.id, t)
        for target in options[option]:
            record = state.steps[target]
            if record.skipped_by == "branch not taken":
                record.skipped_t = record.skip_reason = record.skipped_by = None
            if record.opened_t is None and record.skipped_t is None:
                record.opened_t = t
        state._reconsider_branches(t)


@event_type
@dataclass(frozen=True, slots=True)
class DecisionAmended(Payload):
    """decision.amended: a decision's rationale and who decided are put right; the option stays.

    step: the decision step's key (decided); rationale: the rationale as it
    should read, never blank; decided_by: who decided, as it should read,
    never blank; reason: why it is corrected, never blank; by: who corrected
    it (may be empty). At least one of rationale and decided_by differs from
    the decision as it stands. data is `{"step": str, "rationale": str,
    "decided_by": str, "reason": str, "by": str}`; DecodeError names the field.
    Allowed after the end: the hot wash is where a misfiled decision is noticed.
    """

    WIRE: ClassVar[str] = "decision.amended"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False  # the option, its time and its branch stay as they were
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)
    rationale: str = key(readers.filled("a decision needs its rationale, never empty"))
    decided_by: str = key(readers.filled("a decision needs who decided, never empty"))
    reason: str = key(readers.reason)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        decision = state.decisions.get(known_step(state, self.step))
        if decision is None:
            raise EventError(f"decision {self.step} has not been made; there is nothing to amend")
        if (self.rationale, self.decided_by) == (decision.rationale, decision.by):
            raise EventError(f"decision {self.step} already reads so: change the rationale or who decided")

    def apply(self, state: DrillState, event: Event) -> None:
        old = state.decisions[self.step]
        state.corrections.append(CorrectionRecord(self.WIRE, self.step, decision_words(old.rationale, old.by),
                                                  decision_words(self.rationale, self.decided_by), self.reason,
                                                  self.by, event.t, event.seq))
        state.decisions[self.step] = DecisionRecord(old.step, old.option, self.rationale, self.decided_by, old.t,
                                                    old.seq, old.poll, old.fell_to_default)


@event_type
@dataclass(frozen=True, slots=True)
class InjectWithdrawn(Payload):
    """inject.withdrawn: an inject fired by mistake is taken back.

    inject: the inject id (fired, not withdrawn); reason: why, never empty;
    by: who. Its service changes are undone where nothing later changed the
    same service; contingency injects armed since it fired and not fired are disarmed.
    """

    WIRE: ClassVar[str] = "inject.withdrawn"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = None
    inject: str = key(readers.inject)
    reason: str = key(readers.reason)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        if self.inject not in state.fired:
            raise EventError(f"inject {self.inject!r} has not fired; there is nothing to withdraw")
        if self.inject in state.withdrawn:
            raise EventError(f"inject {self.inject} is already withdrawn")

    def apply(self, state: DrillState, event: Event) -> None:
        t, seq = event.t, event.seq
        record = CorrectionRecord(self.WIRE, self.inject, "", "", self.reason, self.by, t, seq)
        state.corrections.append(record)
        state.withdrawn[self.inject] = record
        self._undo(state, t, seq)

    def _undo(self, state: DrillState, t: float, seq: int) -> None:
        fired = state.fired[self.inject]
        touched: list[str] = []
        for service, health in state._service_before.get(self.inject, {}).items():
            if state._service_last.get(service) == fired.seq:
                touched += state._set_service(service, health, t)
                state._service_last[service] = seq
        name = state._event_of(self.inject)
        if name and not any(state._carries(other, name) for other in state.fired if other not in state.withdrawn):
            state.arrived.pop(name, None)
            opened = [k for k in state._listening.get(name, []) if state.steps[k].opened_t is not None]
            for step_key in opened:
                record = state.steps[step_key]
                if record.started_t is None and record.done_t is None and record.skipped_t is None:
                    record.opened_t = None
            for step_key in opened:
                for inject in state._arms.get(step_key, []):
                    if inject.id not in state.fired:
                        state.armed.pop(inject.id, None)
        state._settle(touched, t)


@event_type
@dataclass(frozen=True, slots=True)
class StepReopened(Payload):
    """step.reopened: a step marked done or skipped by mistake is open again. step: the key; reason; by."""

    WIRE: ClassVar[str] = "step.reopened"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = None
    step: str = key(readers.step)
    reason: str = key(readers.reason)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        record = state.steps[known_step(state, self.step)]
        if state.plan.steps[self.step].options and self.step in state.decisions:
            raise EventError(f"step {self.step} is a decision made; revise the decision instead")
        if record.done_t is None and record.skipped_by != "facilitator":
            raise EventError(f"step {self.step} is {state.status(self.step)}; only a step done or skipped by hand "
                             "can be reopened")

    def apply(self, state: DrillState, event: Event) -> None:
        step = state.steps[self.step]
        old = "done" if step.done_t is not None else "skipped"
        state.corrections.append(CorrectionRecord(self.WIRE, self.step, old, "", self.reason, self.by, event.t,
                                                  event.seq))
        end = step.done_t if step.done_t is not None else step.skipped_t
        if step.started_t is not None and end is not None:  # at work again from now
            step.worked.append((step.started_t, end))
            step.started_t = event.t
        step.done_t = step.skipped_t = step.skip_reason = step.skipped_by = None
        state._reconsider_branches(event.t)


def _known_note(state: DrillState, seq: int) -> None:
    if not any(n.seq == seq for n in state.notes):
        raise EventError(f"event {seq} is not a note")
    if seq in state.withdrawn_notes():
        raise EventError(f"note {seq} is withdrawn already")


@event_type
@dataclass(frozen=True, slots=True)
class NoteAmended(Payload):
    """note.amended: a note's text is corrected. note: the note event's seq; text: the new text; by: who."""

    WIRE: ClassVar[str] = "note.amended"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    note: int = key(readers.event_number("a note"))
    text: str = key(readers.new_text)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        _known_note(state, self.note)

    def apply(self, state: DrillState, event: Event) -> None:
        state.corrections.append(CorrectionRecord(self.WIRE, str(self.note), state.note_text(self.note), self.text,
                                                  "", self.by, event.t, event.seq))


@event_type
@dataclass(frozen=True, slots=True)
class NoteWithdrawn(Payload):
    """note.withdrawn: a note is withdrawn (it stays in the log, marked). note: its seq; reason; by."""

    WIRE: ClassVar[str] = "note.withdrawn"
    AFTER_END: ClassVar[bool] = True
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = None
    note: int = key(readers.event_number("a note"))
    reason: str = key(readers.reason)
    by: str = key(readers.anything_as_text, default="")

    def check(self, state: DrillState, t: float) -> None:
        _known_note(state, self.note)

    def apply(self, state: DrillState, event: Event) -> None:
        state.corrections.append(CorrectionRecord(self.WIRE, str(self.note), state.note_text(self.note), "",
                                                  self.reason, self.by, event.t, event.seq))
