"""A drill in progress: the plan, the state folded from the log, the log to append to, a clock.

Both the console and headless play drive a drill only through `Drill`:
every action becomes an event that is checked against the state, written to
the log (fsynced), and only then applied, so what anyone sees is always
already on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine import __version__
from engine.bounds import OutOfBounds, check_clock
from engine.drill import events as ev
from engine.drill.clock import Clock, format_wall
from engine.drill.log import DrillLog, LogError, LogRead, default_log_path, encode, read_log
from engine.drill.plan import Plan
from engine.drill.state import DrillState, EventError

DEFAULT_FOLDER = "exports/drills"


class MismatchError(LogError):
    """The log was written for other versions of the scenario or runbooks than those given."""


def replay(plan: Plan, read: LogRead) -> DrillState:
    """The state after every good event of a log. Raises LogError naming the line of a bad event."""
    state = DrillState(plan)
    for number, event in enumerate(read.events, start=1):
        try:
            state.apply(event)
        except EventError as exc:
            raise LogError(f"{read.path}:{number}: {exc}") from None
    return state


def check_versions(plan: Plan, read: LogRead) -> list[str]:
    """How the files differ from those the log was written with (empty: the same)."""
    if not read.events or read.events[0].type != ev.STARTED:
        return ["the log does not start with drill.started"]
    start = read.events[0].data
    out = []
    logged = {f.get("id"): f.get("sha256") for f in start.get("runbooks", []) if isinstance(f, dict)}
    scenario = start.get("scenario") or {}
    if scenario.get("id") != plan.scenario.scenario:
        out.append(f"the log is a drill of scenario {scenario.get('id')!r}, not {plan.scenario.scenario!r}")
    elif scenario.get("sha256") != plan.scenario_file.sha256:
        out.append(f"scenario {plan.scenario_file.path} has changed since the drill started")
    for file in plan.runbook_files:
        if file.id not in logged:
            out.append(f"runbook {file.id} was not part of the drill")
        elif logged[file.id] != file.sha256:
            out.append(f"runbook {file.path} has changed since the drill started")
    return out


class Drill:
    def __init__(self, plan: Plan, state: DrillState, log: DrillLog, clock: Clock) -> None:
        self.plan = plan
        self.state = state
        self.log = log
        self.clock = clock
        # Called with each event once it is on disk and applied (the drill room streams them from here).
        self.listeners: list[Callable[[ev.Event], None]] = []

    @classmethod
    def start(cls, plan: Plan, clock: Clock, *, log_path: str | None = None, folder: str = DEFAULT_FOLDER,
              facilitator: str | None = None, participants: dict[str, str] | None = None,
              mode: str = "live") -> Drill:
        """Create the log (never over an existing file) and record drill.started."""
        wall = format_wall(clock.now())
        path = log_path or default_log_path(folder, plan.scenario.scenario, wall)
        drill = cls(plan, DrillState(plan), DrillLog.create(path), clock)
        drill.record(ev.STARTED, {
            "version": ev.LOG_VERSION,
            "tool": f"tabletop {__version__}",
            "mode": mode,
            "scenario": plan.scenario_file.to_dict(),
            "runbooks": [f.to_dict() for f in plan.runbook_files],
            "facilitator": facilitator,
            "participants": participants or {},
        })
        return drill

    @classmethod
    def resume(cls, plan: Plan, log_path: str, clock: Clock) -> Drill:
        """Reopen a drill where its log stands. The time it was away does not count: the clock is paused."""
        read = read_log(log_path)
        if read.problem and not read.torn:
            raise LogError(f"{log_path}:{read.problem.line}: {read.problem.message}")
        if not read.events:
            raise LogError(f"{log_path}: the log holds no complete event to resume from")
        differences = check_versions(plan, read)
        if differences:
            raise MismatchError(f"{log_path}: {differences[0]}; resume with the files the drill was started with")
        state = replay(plan, read)
        drill = cls(plan, state, DrillLog.reopen(read), clock)
        if state.running and not state.ended:
            drill.record(ev.CLOCK_PAUSED, {"reason": "resumed from the log"}, t=state.t)
        return drill

    @property
    def path(self) -> str:
        return self.log.path

    def now_t(self) -> float:
        return self.state.scenario_time(self.clock.now())

    def record(self, kind: str, data: dict[str, Any] | None = None, *, t: float | None = None) -> ev.Event:
        """Check, write (fsynced), then apply one event. Raises EventError (nothing written) or LogError."""
        now = self.clock.now()
        event = ev.Event(
            seq=self.state.seq + 1,
            wall=format_wall(now),
            t=self.state.scenario_time(now) if t is None else t,
            type=kind,
            data=data or {},
        )
        self.state.check(event)
        try:
            encode(event, self.log.last_hash)
        except UnicodeEncodeError:
            raise EventError("the text holds characters that are not valid Unicode (a broken paste?)") from None
        except ValueError as exc:  # NaN or infinity in a number
            raise EventError(f"the event cannot be written: {exc}") from None
        self.log.append(event)
        self.state.apply(event)
        for listener in self.listeners:
            listener(event)
        return event

    # The actions a facilitator (or a script) takes, as events.

    def fire(self, inject_id: str, *, manual: bool = False) -> ev.Event:
        inject = self.plan.inject(inject_id)
        if inject is None:
            raise EventError(f"no inject {inject_id!r} in the scenario")
        data: dict[str, Any] = {"inject": inject_id, "manual": manual}
        if inject.event:
            data["event"] = inject.event
        if inject.services:
            data["services"] = dict(inject.services)
        return self.record(ev.INJECT_FIRED, data)

    def fire_due(self) -> list[ev.Event]:
        """Fire every inject whose time has come, in time order (firing one may arm another)."""
        fired = []
        while due := self.state.due(self.now_t()):
            fired.append(self.fire(due[0].id))
        return fired

    def set_service(self, service: str, health: str) -> ev.Event:
        return self.record(ev.SERVICE_CHANGED, {"service": service, "to": health})

    def start_step(self, step: str) -> ev.Event:
        return self.record(ev.STEP_STARTED, {"step": step})

    def complete_step(self, step: str) -> ev.Event:
        return self.record(ev.STEP_DONE, {"step": step})

    def skip_step(self, step: str, reason: str) -> ev.Event:
        return self.record(ev.STEP_SKIPPED, {"step": step, "reason": reason})

    def tick(self, step: str, item: int, checked: bool = True) -> ev.Event:
        return self.record(ev.CHECK_TICKED, {"step": step, "item": item, "checked": checked})

    def decide(self, step: str, option: str, rationale: str = "", by: str = "") -> ev.Event:
        return self.record(ev.DECISION_MADE, {"step": step, "option": option, "rationale": rationale, "by": by})

    def note(self, kind: str, text: str, step: str | None = None, by: str = "", **plan: str) -> ev.Event:
        """A note; an area for improvement may carry action=, element=, owner=, due= for the improvement plan."""
        return self.record(ev.NOTE, {"kind": kind, "text": text, "step": step, "by": by, **plan})

    def pause(self) -> ev.Event:
        return self.record(ev.CLOCK_PAUSED, {})

    def resume_clock(self) -> ev.Event:
        return self.record(ev.CLOCK_RESUMED, {})

    def jump(self, to: float) -> ev.Event:
        """Move the exercise clock to `to` seconds; raises EventError beyond engine.bounds.MAX_CLOCK_SECONDS."""
        try:
            check_clock(to, "the jump's target")
        except (OutOfBounds, TypeError) as exc:
            raise EventError(str(exc)) from None
        return self.record(ev.CLOCK_JUMPED, {"to": to})

    def rate(self, objective: str, rating: str, comment: str = "") -> ev.Event:
        return self.record(ev.RATING, {"objective": objective, "rating": rating, "comment": comment})

    def answer(self, question: str, answer: str) -> ev.Event:
        return self.record(ev.HOTWASH_ANSWER, {"question": question, "answer": answer})

    def end(self, reason: str = "") -> ev.Event:
        return self.record(ev.ENDED, {"reason": reason})

    def close(self) -> None:
        self.log.close()
