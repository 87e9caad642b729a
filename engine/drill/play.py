"""Headless play: a whole drill run by a script, on a fake clock, in virtual time.

Nothing here waits for real time: the player moves a FakeClock straight to
the next moment something happens (an inject comes due, a step's time is up,
a note is due), so an eleven-hour scenario plays in well under a second and
the same inputs always give a byte-identical log.

At each moment, until nothing more changes: injects that are due fire (in
time order), steps whose time is up finish (a decision step finishes by
being decided), timed decisions whose `within` has run out fall to their
default (engine.drill.timed), notes that are due are recorded, and every
ready step starts (in plan order). The drill ends when every runbook is finished and no inject
with a known time is still to come, or when nothing can move any more; the
second, with runbooks unfinished, is a deadlock.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from engine.drill import events as ev
from engine.drill import timed
from engine.drill.clock import FakeClock
from engine.drill.frontier import Frontier, InjectQueue, touched
from engine.drill.pace import BlockWatch, due_injects, ready_steps, step_seconds, time_is_up
from engine.drill.plan import Plan
from engine.drill.session import Drill, fired
from engine.drill.state import UNFINISHED, DrillState, StepStatus
from engine.drill.team import Choice, Team, TeamNote
from engine.drill.team_actions import TeamAction
from engine.drill.team_entries import recall

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)
SAFETY_MARGIN = 24 * 3600  # play stops this long after the scenario's planned window, whatever happens
DEFAULT_RATIONALE = "first option taken by default (no --decide or team file entry)"
DECIDE_RATIONALE = "chosen with --decide"


def start_wall(plan: Plan, override: datetime | None = None) -> datetime:
    """T+0 on the wall clock: --start, else the scenario's anchor, else 2026-01-01T00:00:00Z."""
    if override is not None:
        return override.astimezone(UTC)
    if plan.scenario.anchor:
        return datetime.fromisoformat(plan.scenario.anchor.replace("Z", "+00:00")).astimezone(UTC)
    return DEFAULT_START


def safety_cap(plan: Plan) -> float:
    window = plan.scenario.duration or max((i.at or 0 for i in plan.injects if not i.contingent), default=0)
    return float(window + SAFETY_MARGIN)


@dataclass(frozen=True)
class Stuck:
    step: str
    status: str
    why: str


@dataclass
class Outcome:
    finished: bool
    reason: str
    stuck: list[Stuck] = field(default_factory=list)
    notes_not_taken: list[TeamNote] = field(default_factory=list)
    actions_not_taken: list[TeamAction] = field(default_factory=list)  # the drill ended before their time
    actions_refused: list[tuple[TeamAction, float, str]] = field(default_factory=list)  # the action, T, why


class _WatchedLog:
    """The drill's log, calling back after each event is on disk (fsynced): for tracing and tests."""

    def __init__(self, log: Any, after_write: Callable[[int, str], None]) -> None:
        self._log = log
        self._after_write = after_write

    def append(self, event: ev.Event) -> None:
        self._log.append(event)
        self._after_write(event.seq, self._log.last_hash)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._log, name)


class Player:
    """Plays a started (or resumed) drill to its end."""

    def __init__(self, drill: Drill, clock: FakeClock, *, team: Team | None = None,
                 decide: dict[str, str] | None = None,
                 progress: Callable[[ev.Event], None] | None = None,
                 after_write: Callable[[int, str], None] | None = None,
                 inherited: tuple[dict[str, Choice], dict[str, float]] | None = None,
                 blocks: BlockWatch | None = None) -> None:
        self.drill = drill
        self.state: DrillState = drill.state
        self.plan = drill.plan
        self.clock = clock
        self.team = team
        self.decide = decide or {}
        # A fork's parent: its decisions (after --decide and the team file) and the time its steps took.
        self.parent_choices, self.parent_took = inherited or ({}, {})
        self.progress = progress
        if after_write is not None:
            drill.log = _WatchedLog(drill.log, after_write)  # type: ignore[assignment]
        self.cap = safety_cap(self.plan)
        self.notes = self._notes_still_to_take()
        # The team file's actions not taken yet; on a resume those due before the stop were taken then.
        self.actions, self.refs = recall(self.team.actions if self.team else [], self.state, self.state.seq > 0)
        self.refused: list[tuple[TeamAction, float, str]] = []
        # Steps at work that an outage blocked, and when they went back to work (given: recalled already).
        self.blocks = blocks or BlockWatch()
        if blocks is None:
            self._recall_blocks()
        self.frontier = Frontier(self.state)  # ready, active, unfinished: updated by each event, not rescanned
        self.injects = InjectQueue(self.state)

    # ----- choices -----

    def duration(self, key: str) -> float:
        took = self.parent_took.get(key)
        # A decision the parent let fall to its default (took: infinity) falls again, unless --decide decides it.
        if took is not None and not (math.isinf(took) and key in self.decide):
            return took
        return step_seconds(self.plan, key, self.team.durations if self.team else None)

    def choice(self, key: str) -> Choice:
        if key in self.decide:
            return Choice(self.decide[key], DECIDE_RATIONALE, "")
        if self.team and key in self.team.decisions:
            return self.team.decisions[key]
        if key in self.parent_choices:
            return self.parent_choices[key]
        return Choice(next(iter(self.plan.steps[key].options or {})), DEFAULT_RATIONALE, "")

    def _notes_still_to_take(self) -> list[TeamNote]:
        """The team's notes not in the log yet (all of them, unless this is a resume)."""
        taken = Counter((n.kind, n.text, n.step) for n in self.state.notes)
        out = []
        for note in self.team.notes if self.team else []:
            if taken[(note.kind, note.text, note.step)]:
                taken[(note.kind, note.text, note.step)] -= 1
            else:
                out.append(note)
        return out

    # ----- the loop -----

    def run(self) -> Outcome:
        if not self.state.ended:
            if not self.state.running:
                self._record(ev.ClockResumed())
            reason = self._play()
            for note in [n for n in self.notes if n.at is None and n.after is None]:
                self._take(note)
            self._record(ev.Ended(reason))
        self._hot_wash()
        for action in [a for a in self.actions if a.at_end]:
            self._act(action)
        finished = self.state.finished()
        return Outcome(finished, self.state.end_reason or "", [] if finished else stuck_steps(self.state),
                       list(self.notes), list(self.actions), list(self.refused))

    def _play(self) -> str:
        while True:
            self._settle()
            now = self.now()
            upcoming = self.injects.soonest()
            if self.frontier.finished and upcoming is None:
                return "finished"
            moves = ([] if upcoming is None else [upcoming]) + self._finish_times() + self._action_times(now) \
                + self._deadlines(now)
            if not moves:
                return "deadlock: nothing can move any more"
            soonest = min(moves + [t for t in self._note_times() if t > now])
            if soonest > self.cap:
                cap = f"the safety cap, {self.cap / 3600:g}h of scenario time"
                if self.frontier.finished:
                    return f"finished; injects due after {cap} were not fired"
                return f"deadlock: stopped at {cap}"
            self.clock.advance(max(0.0, soonest - now))

    def now(self) -> float:
        return self.drill.now_t()

    def _settle(self) -> None:
        """Do everything due at this moment, until nothing more changes."""
        changed = True
        while changed:
            changed = False
            for inject in due_injects(self.state, self.now(), self.injects):
                if inject.id not in self.state.fired:  # firing one due inject can fire no other, but be sure
                    self._record(fired(inject))
                    changed = True
            for key in self._time_up():
                # Finishing one step cannot stop another; checking costs little and keeps a refused event out.
                if self.state.status(key) is StepStatus.ACTIVE:
                    self._finish(key)
                    changed = True
            fallen = timed.due(self.state, self.now())  # the team took longer than `within`: take the default
            if fallen:  # one at a time: a default can skip another timed decision's branch
                self._record(timed.fall(self.state, fallen[0]))
                changed = True
            for note in [n for n in self.notes if self._note_due(n)]:
                self._take(note)
                changed = True
            for action in [a for a in self.actions if self._action_due(a)]:
                self._act(action)
                changed = True
            for key in ready_steps(self.state, frontier=self.frontier):
                if self.state.status(key) is StepStatus.READY:  # starting one step cannot stop another
                    self._record(ev.StepStarted(key))
                    changed = True

    def _time_up(self) -> list[str]:
        now = self.now()
        return [key for key in self.frontier.in_order(self.frontier.active)
                if time_is_up(self._finish_time(key), now)]

    def _finish_time(self, key: str) -> float:
        started = self.blocks.restarted.get(key, self.state.steps[key].started_t)
        return (started or 0.0) + self.duration(key)

    def _deadlines(self, now: float) -> list[float]:
        """When each timed decision still open falls to its default, those still to come."""
        return [when for key in timed.running(self.state)
                if (when := timed.deadline(self.state, key)) is not None and when > now]

    def _recall_blocks(self) -> None:
        """On resume, find the blocks and restarts of steps at work by folding the log again."""
        if self.state.seq <= 0:
            return
        from engine.drill.log import read_log
        from engine.drill.replay import replay

        replay(self.plan, read_log(self.drill.path), lambda event, again: self.blocks.watch(again, event.t))

    def _finish_times(self) -> list[float]:
        """When each active step's time is up. A blocked step cannot finish, so it is not here."""
        return [self._finish_time(k) for k in self.frontier.active]

    def _finish(self, key: str) -> None:
        if self.plan.steps[key].options:
            choice = self.choice(key)
            self._record(ev.DecisionMade(key, choice.option, choice.rationale, choice.by, self._cited(key, choice)))
        else:
            self._record(ev.StepDone(key))

    def _cited(self, key: str, choice: Choice) -> str | None:
        """The id of the poll the decision cites (its `open-poll` entry's poll; in a fork, the parent's poll when
        the fork repeated its opening), or None. A poll not open when the decision is made (its entry refused,
        or not due yet) cannot be cited: the decision is made without it, and the team file's `poll:` is listed
        with the refusals, saying so."""
        if choice.cites is not None:  # a fork's decision cites the parent's poll if the fork repeated its opening
            opened = self.state.polls.get(choice.cites[0])
            return choice.cites[0] if opened is not None and opened.seq == choice.cites[1] else None
        if choice.poll is None:
            return None
        poll = self.refs.get(choice.poll)
        if isinstance(poll, str) and poll in self.state.polls:
            return poll
        cited = TeamAction("poll", None, None, None, None, choice.cited_at or "the team file", -1)
        self.refused.append((cited, self.now(), f"the decision on {self.plan.steps[key].id} was made before the "
                             f"poll of {choice.poll!r} was opened, so it was recorded without citing a poll"))
        return None

    def _note_due(self, note: TeamNote) -> bool:
        if note.at is not None:
            return time_is_up(note.at, self.now())
        return note.after is not None and self.state.steps[note.after].done_t is not None

    def _note_times(self) -> list[float]:
        return [float(n.at) for n in self.notes if n.at is not None]

    def _action_due(self, action: TeamAction) -> bool:
        if action.at is not None:
            return time_is_up(action.at, self.now())
        return action.after is not None and self.state.steps[action.after].done_t is not None

    def _action_times(self, now: float) -> list[float]:
        return [float(a.at) for a in self.actions if a.at is not None and a.at > now]

    def _act(self, action: TeamAction) -> None:
        """Take one action of the team file through the Drill API, as the console would; a refusal is kept
        for the summary (named at the entry's file:line:col) and play goes on without it."""
        from engine.drill.state import EventError

        self.actions.remove(action)
        heard: list[ev.Event] = []
        self.drill.listeners.append(heard.append)
        try:
            action.perform(self.drill, self.refs)
        except (EventError, ev.DecodeError) as exc:
            self.refused.append((action, self.now(), str(exc)))
        finally:
            self.drill.listeners.remove(heard.append)
        if not heard:
            return
        # A correction can move any step and arm or disarm any inject: look at the whole drill again.
        self.frontier = Frontier(self.state, self.frontier.links)
        self.injects = InjectQueue(self.state)
        for event in heard:
            self.blocks.watch(self.state, event.t)
            if self.progress:
                self.progress(event)

    def _take(self, note: TeamNote) -> None:
        self.notes.remove(note)
        self._record(ev.Note(note.kind, note.text, note.step, note.by))

    def _hot_wash(self) -> None:
        """Ratings and hot-wash answers from the team file, after drill.ended (those not in the log yet)."""
        if not self.team:
            return
        for objective, rating, comment in self.team.ratings:
            have = self.state.ratings.get(objective)
            if have is None or (have.rating, have.comment) != (rating, comment):
                self._record(ev.Rating(objective, rating, comment))
        for question, answer in self.team.hotwash[len(self.state.hotwash):]:
            self._record(ev.HotwashAnswer(question, answer))

    def _record(self, payload: ev.Payload) -> None:
        """Record one event through the drill (checked, written, applied), then bring the sets up to date."""
        event = self.drill.record(payload)
        changed = self.frontier.update(touched(payload, self.frontier.links, self.plan))
        self.blocks.watch(self.state, event.t, changed)
        if isinstance(payload, (ev.StepDone, ev.DecisionMade)):
            self.injects.arm(payload.step)
        if self.progress:
            self.progress(event)


def stuck_steps(state: DrillState) -> list[Stuck]:
    """The steps that keep the runbooks from finishing, and what each is waiting for."""
    out = []
    for key, step in state.plan.steps.items():
        status = state.status(key)
        if status is StepStatus.BLOCKED and not state.resolved(key):
            down = [s for s in step.requires if state.services.get(s) == "down"]
            why = f"service {', '.join(down)} is down"
            if step.fallback:
                why += f"; its fallback {step.fallback} is {state.status(step.fallback)}"
            else:
                why += " and it has no fallback"
            out.append(Stuck(key, str(status), why))
        elif status is StepStatus.WAITING:
            pending = [f"{n} ({state.status(n)})" for n in step.needs if not state.resolved(n)]
            out.append(Stuck(key, str(status), "waits for " + ", ".join(pending)))
        elif status in UNFINISHED:
            out.append(Stuck(key, str(status), f"still {status} when play stopped"))
    return out
