"""Where a discussion-based exercise stands: the module under way, the time in it, and the next one.

A module begins by the clock or by the facilitator, never because one of its
injects fired:

- a scheduled module (`at: T+1h30m`) begins at its time, once the exercise
  clock has reached it; moving on (`m`) to it is a clock jump to its start;
- a branch module (`after:` a decision option or a step, `at: +30m`) begins
  that long after its condition came true, or when the facilitator moves on
  to it (its injects fired by hand).

The module under way is the latest begun, in the scenario's order. An inject
that fires before its own module has begun (a contingency inject whose
decision came early) is delivered in the module under way, and every surface
says so (`delivered_early`). Nothing here is stored: it is read off the drill
state (the clock, the decisions, the steps done, the injects fired), so
resume, the room and the report see the same modules as the console did.
`move_on` says what moving on to the next module does, and `Drill.next_module`
does exactly that, so the console's confirmation names the injects that fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.drill.state import DrillState

if TYPE_CHECKING:  # a pydantic model or its engine.quick_check record: only fields are read
    from engine.model import Module


@dataclass(frozen=True)
class ModuleView:
    """The current module (None before the first has started) and the next one."""

    index: int | None  # into scenario.modules
    total: int
    current: Module | None
    started_t: float | None  # scenario seconds when it began
    following: Module | None
    following_t: int | None  # its scheduled start, or None for a branch module


@dataclass(frozen=True)
class MoveOn:
    """What moving on to the next module does: the clock jumps to `target_t` (None: it stays) and `injects`
    fire, in this order (by hand when the clock stays)."""

    index: int  # into scenario.modules: the module moved on to
    module: Module
    target_t: int | None
    injects: list[str]


@dataclass(frozen=True)
class Early:
    """An inject that fired before its own module began: delivered in the module under way then."""

    inject: str
    own: int  # index of the module that lists it
    during: int | None  # index of the module under way when it fired; None before the first module
    t: float  # scenario seconds it fired at


def scheduled_start(module: Module) -> int | None:
    """Seconds after T+0 at which the module starts on the exercise clock; None for a branch module."""
    if module.at is None or module.after is not None or module.at[0] != "absolute":
        return None
    return module.at[1]


def condition_time(state: DrillState, module: Module) -> float | None:
    """Scenario seconds a branch module comes due: when its `after` condition came true (the option
    chosen, as the decision now stands, or the step done) plus its `at` delay; None while it has not, or
    for a scheduled module."""
    after = module.after
    if after is None:
        return None
    bare = after.decision or after.step
    key = next((k for k in state.plan.steps if k.split("/", 1)[1] == bare), None)
    if key is None:
        return None
    if after.decision:
        decided = state.decisions.get(key)
        came = decided.t if decided is not None and decided.option == after.option else None
    else:
        came = state.steps[key].done_t
    if came is None:
        return None
    delay = module.at[1] if module.at is not None and module.at[0] == "relative" else 0
    return came + delay


def starts(state: DrillState, now_t: float) -> dict[int, float]:
    """Each module begun by scenario time `now_t` (index into scenario.modules) with when it began."""
    out: dict[int, float] = {}
    for index, module in enumerate(state.plan.scenario.modules):
        begun = [float(t) for t in (scheduled_start(module), condition_time(state, module)) if t is not None]
        if module.after is not None:  # the facilitator moved on to it: its injects fired by hand
            begun += [_fired_at(state, i) for i in module.injects
                      if i in state.fired and state.fired[i].manual]
        begun = [t for t in begun if t <= now_t]
        if begun:
            out[index] = min(begun)
    return out


def under_way(begun: dict[int, float], t: float) -> int | None:
    """The module under way at scenario time `t`, of those in `begun` (see starts): the latest begun by then
    in the scenario's order; None before the first."""
    return max((i for i, start in begun.items() if start <= t), default=None)


def view(state: DrillState, now_t: float) -> ModuleView | None:
    """Where the exercise stands; None for a scenario without modules."""
    modules = state.plan.scenario.modules
    if not modules:
        return None
    begun = starts(state, now_t)
    current = under_way(begun, now_t)
    after = current + 1 if current is not None else 0
    following = modules[after] if after < len(modules) else None
    return ModuleView(current, len(modules), modules[current] if current is not None else None,
                      begun[current] if current is not None else None,
                      following, scheduled_start(following) if following else None)


def delivered_early(state: DrillState, now_t: float | None = None) -> list[Early]:
    """The fired injects of the scenario's modules that fired before their own module began (by scenario
    time `now_t`, default the state's clock), in firing order."""
    now = state.t if now_t is None else now_t
    begun = starts(state, now)
    out = []
    for index, module in enumerate(state.plan.scenario.modules):
        for inject_id in module.injects:
            if inject_id not in state.fired:
                continue
            t = _fired_at(state, inject_id)
            if index not in begun or t < begun[index]:
                out.append(Early(inject_id, index, under_way(begun, t), t))
    return sorted(out, key=lambda e: (e.t, state.fired[e.inject].seq))


def early_note(state: DrillState, inject_id: str, now_t: float | None = None) -> str | None:
    """One line for an inject delivered before its module began: "Module 2's inject, delivered during
    Module 1 (Module 2 has not begun)"; None for any other inject."""
    early = next((e for e in delivered_early(state, now_t) if e.inject == inject_id), None)
    if early is None:
        return None
    modules = state.plan.scenario.modules
    own = modules[early.own].title
    during = f"during {modules[early.during].title}" if early.during is not None else "before the first module"
    return f"Listed under {own}; delivered early, {during}."


def opening_injects(state: DrillState, module: Module) -> list[str]:
    """The module's injects that have not fired and are not waiting for a decision or a step."""
    by_id = {i.id: i for i in state.plan.injects}
    return [i for i in module.injects if i not in state.fired and i in by_id and not by_id[i].contingent]


def move_on(state: DrillState, now_t: float) -> MoveOn | None:
    """What moving on to the next module does now; None without modules, at the last module, or once the
    drill has ended. A scheduled module still to come: the clock jumps to its start and every inject due
    by then fires (its own, and any left over from before, late). Otherwise the clock stays and the
    module's opening injects (see opening_injects) fire by hand."""
    where = view(state, now_t)
    if state.ended or where is None or where.following is None:
        return None
    index = 0 if where.index is None else where.index + 1
    target = where.following_t
    if target is not None and target > now_t:
        return MoveOn(index, where.following, target, [i.id for i in state.due(target)])
    return MoveOn(index, where.following, None, opening_injects(state, where.following))


def _fired_at(state: DrillState, inject_id: str) -> float:
    """When an inject actually fired: late_t for one a clock jump passed, else its time."""
    fired = state.fired[inject_id]
    return fired.late_t if fired.late_t is not None else fired.t
