"""A drill in progress: the plan, the state folded from the log, the log to append to, a clock.

Both the console and headless play drive a drill only through `Drill`:
every action becomes an event that is checked against the state, written to
the log (fsynced), and only then applied, so what anyone sees is always
already on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from engine import __version__
from engine.bounds import OutOfBounds, check_clock
from engine.drill import events as ev
from engine.drill import modules, timed
from engine.drill.clock import Clock, format_wall, parse_wall
from engine.drill.log import DrillLog, LogError, LogRead, default_log_path, encode, read_log
from engine.drill.named_files import logged_name, project_folder
from engine.drill.plan import Plan, PlanInject, SourceFile
from engine.drill.replay import replay
from engine.drill.state import DrillState, EventError

DEFAULT_FOLDER = "exports/drills"


class MismatchError(LogError):
    """The log was written for other versions of the scenario or runbooks than those given."""


def logged_start(read: LogRead) -> ev.Started:
    """The drill.started payload of a log's first line.

    Raises LogError `<log>:1: <why>` when the log has no first event, it is
    not drill.started, or its data has the wrong shape (events.DecodeError).
    """
    return start_of(read.path, read.events[0] if read.events else None)


def start_of(path: str, first: ev.Event | None) -> ev.Started:
    """The drill.started payload of `first`, the first event of the log at `path` (None: it has none).
    Raises LogError as logged_start does."""
    if first is None or first.type != ev.STARTED:
        raise LogError(f"{path}:1: the log does not start with drill.started")
    try:
        payload = first.payload()
    except ev.DecodeError as exc:
        raise LogError(f"{path}:1: {exc}") from None
    assert isinstance(payload, ev.Started)
    return payload


def check_versions(plan: Plan, read: LogRead) -> list[str]:
    """How the files differ from those the log was written with (empty: the same)."""
    try:
        start = logged_start(read)
    except LogError as exc:
        return [str(exc).removeprefix(f"{read.path}:1: ")]
    return file_differences(plan, start)


def file_differences(plan: Plan, start: ev.Started) -> list[str]:
    """How the plan's files differ from those drill.started (`start`) recorded (empty: the same)."""
    out = []
    logged = {f.id: f.sha256 for f in start.runbooks}
    scenario_id = start.scenario.id if start.scenario else None
    if scenario_id != plan.scenario.scenario:
        out.append(f"the log is a drill of scenario {scenario_id!r}, not {plan.scenario.scenario!r}")
    elif start.scenario is not None and start.scenario.sha256 != plan.scenario_file.sha256:
        out.append(f"scenario {plan.scenario_file.path} has changed since the drill started")
    for file in plan.runbook_files:
        if file.id not in logged:
            out.append(f"runbook {file.id} was not part of the drill")
        elif logged[file.id] != file.sha256:
            out.append(f"runbook {file.path} has changed since the drill started")
    return out


def started(plan: Plan, mode: str, facilitator: str | None = None,
            participants: dict[str, str] | None = None) -> ev.Started:
    """The drill.started payload of a drill of `plan`: this tool's version and the files with their hashes,
    each named relative to the project (engine.drill.named_files), whoever writes the log."""
    project = project_folder(plan.scenario_file.path)
    return ev.Started(ev.LOG_VERSION, f"tabletop {__version__}", mode, _logged(plan.scenario_file, project),
                      tuple(_logged(f, project) for f in plan.runbook_files), facilitator, dict(participants or {}))


def _logged(file: SourceFile, project: Path | None) -> ev.LoggedFile:
    return ev.LoggedFile(file.id, logged_name(file.path, project), file.sha256)


def fired(inject: PlanInject, manual: bool = False) -> ev.InjectFired:
    """The inject.fired payload of an inject of the plan: the event and service health it carries."""
    return ev.InjectFired(inject.id, manual, inject.event or None, dict(inject.services))


class Drill:
    """A drill being run: every action is checked, written to the log (fsynced), then applied to `state`."""

    def __init__(self, plan: Plan, state: DrillState, log: DrillLog, clock: Clock) -> None:
        self.plan = plan
        self.state = state
        self.log = log
        self.clock = clock
        # Called with each event once it is on disk and applied (the drill room streams them from here).
        self.listeners: list[Callable[[ev.Event], None]] = []
        # Set by resume when the log ends with the clock running (a crash, not a quit): the wall time of
        # its last event, until the facilitator says whether the time away counts (settle_time_away).
        self.stopped: str | None = None

    @classmethod
    def start(cls, plan: Plan, clock: Clock, *, log_path: str | None = None, folder: str = DEFAULT_FOLDER,
              facilitator: str | None = None, participants: dict[str, str] | None = None,
              mode: str = "live") -> Drill:
        """Create the log (never over an existing file) and record drill.started."""
        wall = format_wall(clock.now())
        path = log_path or default_log_path(folder, plan.scenario.scenario, wall)
        drill = cls(plan, DrillState(plan), DrillLog.create(path), clock)
        drill.record(started(plan, mode, facilitator, participants))
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
            last = read.events[-1].wall
            drill.record(ev.ClockPaused("resumed from the log"), t=state.t)
            drill.stopped = last
        return drill

    @property
    def path(self) -> str:
        """The drill log's file path, as it was opened."""
        return self.log.path

    def now_t(self) -> float:
        """The exercise clock now, in scenario seconds since T+0 (read from the injected clock)."""
        return self.state.scenario_time(self.clock.now())

    def record(self, payload: ev.Payload, *, t: float | None = None) -> ev.Event:
        """Check, write (fsynced), then apply one event; returns it.

        `t` is the event's scenario seconds (default: the exercise clock now).
        Raises EventError when the state refuses it or its text cannot be
        written (nothing is written then), LogError when the disk refuses it.
        """
        now = self.clock.now()
        event = ev.Event.of(self.state.seq + 1, format_wall(now), self.state.scenario_time(now) if t is None else t,
                            payload)
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

    # The actions a facilitator (or a script) takes, as events. Each returns the event written, or raises
    # EventError (refused, nothing written) or LogError (the log cannot be written).

    def fire(self, inject_id: str, *, manual: bool = False) -> ev.Event:
        """Fire an inject of the scenario (inject.fired); `manual`: by hand, not at its time."""
        inject = self.plan.inject(inject_id)
        if inject is None:
            raise EventError(f"no inject {inject_id!r} in the scenario")
        return self.record(fired(inject, manual))

    def fire_due(self) -> list[ev.Event]:
        """Fire every inject whose time has come, in time order.

        Firing an inject arms none (a step done or decided does), so each look at the injects due fires all
        of them: one look per inject had a clock jump over N injects look N x N times."""
        out: list[ev.Event] = []
        while due := self.state.due(self.now_t()):
            out.extend(self._fire_come_due(inject) for inject in due)
        return out

    def take_defaults(self) -> list[ev.Event]:
        """Take the default of every timed decision whose time has run out (decision.made with
        fell_to_default), soonest deadline first; engine.drill.timed says which. The console's clock tick
        calls it beside fire_due, so a console left alone takes them too. Returns the events written."""
        out: list[ev.Event] = []
        while keys := timed.due(self.state, self.now_t()):  # one default can skip another's branch: look again
            out.append(self.record(timed.fall(self.state, keys[0])))
        return out

    def _fire_come_due(self, inject: PlanInject) -> ev.Event:
        """Fire an inject whose time has come; one a clock jump passed is stamped with its own time."""
        when, jumped = self.state.due_time(inject), self.state.jumped_to
        if jumped is not None and when is not None and when < jumped:
            return self.record(replace(fired(inject), due=when))
        return self.fire(inject.id)

    def next_module(self) -> list[ev.Event]:
        """Move on to the next module, exactly as engine.drill.modules.move_on says (what the console's
        confirmation names): jump the clock to its start and fire the injects due by then, or, for a
        module without a scheduled start, fire its opening injects by hand. Returns the events written;
        EventError when there is no next module (or the drill has ended)."""
        move = modules.move_on(self.state, self.now_t())
        if move is None:
            raise EventError("there is no next module to move on to")
        out = []
        if move.target_t is not None:
            out.append(self.jump(move.target_t))
        for inject_id in move.injects:
            inject = self.plan.inject(inject_id)
            if inject is not None and inject_id not in self.state.fired:
                out.append(self._fire_come_due(inject) if move.target_t is not None
                           else self.fire(inject_id, manual=True))
        return out

    def adhoc(self, text: str, to: Iterable[str] = (), services: dict[str, str] | None = None,
              event: str | None = None, by: str = "", expect: str = "", objectives: Iterable[str] = ()) -> ev.Event:
        """Deliver an inject written now (inject.adhoc) under the next free id, `adhoc-1`, `adhoc-2`, ...:
        text read out to the roles `to` (none: the whole room); services: service id -> up, degraded or
        down; event: the event id it carries; expect: the response expected of the team; objectives: the
        runbook/objective keys it bears on. Raises DecodeError for blank text or a bad health, EventError
        for a service or objective the runbooks do not have."""
        payload = ev.InjectAdhoc(self.next_adhoc_id(), text, tuple(to), dict(services or {}), event or None, by,
                                 expect, tuple(objectives))
        return self.record(payload)

    def next_adhoc_id(self) -> str:
        """The id the next ad-hoc inject gets: `adhoc-N`, the lowest N not taken by any inject."""
        n = 1
        while f"adhoc-{n}" in self.state.fired or self.plan.inject(f"adhoc-{n}") is not None:
            n += 1
        return f"adhoc-{n}"

    def time_away(self) -> float | None:
        """Wall seconds from the last event before the stop to now (read from the injected clock); None when
        the resume has no time away to settle (the log ended paused or ended, or it is settled already)."""
        if self.stopped is None:
            return None
        try:
            since = parse_wall(self.stopped)
        except ValueError:
            return None
        return max(0.0, round((self.clock.now() - since).total_seconds(), 3))

    def settle_time_away(self, counted: bool) -> ev.Event:
        """Record the facilitator's answer (clock.gap): `counted` moves the paused clock forward by the time
        away, else it stays. Raises EventError when there is nothing to settle (see time_away)."""
        away = self.time_away()
        if self.stopped is None or away is None:
            raise EventError("there is no time away to settle: the drill was not resumed after a stop")
        event = self.record(ev.ClockGap(self.stopped, away, counted))
        self.stopped = None
        return event

    def set_service(self, service: str, health: str) -> ev.Event:
        """Set a service's health: up, degraded or down (service.changed)."""
        return self.record(ev.ServiceChanged(service, health))

    def start_step(self, step: str) -> ev.Event:
        """Start a ready step (step.started); `step` is its key, runbook/step."""
        return self.record(ev.StepStarted(step))

    def complete_step(self, step: str) -> ev.Event:
        """Finish a ready or active step that is not a decision (step.done)."""
        return self.record(ev.StepDone(step))

    def skip_step(self, step: str, reason: str) -> ev.Event:
        """Skip a step that is not done or skipped, for a reason that is not empty (step.skipped)."""
        return self.record(ev.StepSkipped(step, reason))

    def tick(self, step: str, item: int, checked: bool = True) -> ev.Event:
        """Tick (or untick) checklist item `item` (0-based) of a step (check.ticked)."""
        return self.record(ev.CheckTicked(step, item, checked))

    def decide(self, step: str, option: str, rationale: str = "", by: str = "", *, poll: str | None = None) -> ev.Event:
        """Decide a ready or active decision step (decision.made): finishes it and opens the option's steps.
        `poll`: the id of a poll the decision cites (one on this decision, or on none); EventError if none."""
        return self.record(ev.DecisionMade(step, option, rationale, by, poll or None))

    def revise(self, step: str, option: str, reason: str, by: str = "") -> ev.Event:
        """Change a decision made to another option (decision.revised); the reason must not be empty."""
        return self.record(ev.DecisionRevised(step, option, reason, by))

    def amend_decision(self, step: str, rationale: str, decided_by: str, reason: str, by: str = "") -> ev.Event:
        """Put a decision's rationale and decider right, keeping its option (decision.amended); EventError when
        it is not decided, a field is blank, or nothing changes."""
        return self.record(ev.DecisionAmended(step, rationale, decided_by, reason, by))

    def withdraw(self, inject_id: str, reason: str, by: str = "") -> ev.Event:
        """Take back an inject fired by mistake (inject.withdrawn); the reason must not be empty."""
        return self.record(ev.InjectWithdrawn(inject_id, reason, by))

    def reopen(self, step: str, reason: str, by: str = "") -> ev.Event:
        """Open again a step done or skipped by mistake (step.reopened)."""
        return self.record(ev.StepReopened(step, reason, by))

    def amend_note(self, note: int, text: str, by: str = "") -> ev.Event:
        """Correct the text of the note logged as event `note` (note.amended); the original stays in the log."""
        return self.record(ev.NoteAmended(note, text, by))

    def withdraw_note(self, note: int, reason: str, by: str = "") -> ev.Event:
        """Withdraw the note logged as event `note` (note.withdrawn); it stays in the log, marked."""
        return self.record(ev.NoteWithdrawn(note, reason, by))

    def note(self, kind: str, text: str, step: str | None = None, by: str = "", *, objective: str | None = None,
             action: str | None = None, element: str | None = None, owner: str | None = None,
             due: str | None = None) -> ev.Event:
        """A note: kind is observation, strength or improvement; objective: runbook/objective it bears on.
        An area for improvement may carry the improvement plan's action, element (POETE), owner and due
        (a date as written)."""
        return self.record(ev.Note(kind, text, step, by, objective, action, element, owner, due))

    def pause(self) -> ev.Event:
        """Stop the exercise clock (clock.paused); EventError if it is paused already."""
        return self.record(ev.ClockPaused())

    def resume_clock(self) -> ev.Event:
        """Run the exercise clock again (clock.resumed); EventError if it is running."""
        return self.record(ev.ClockResumed())

    def jump(self, to: float) -> ev.Event:
        """Move scenario time forward to `to` seconds (clock.jumped); EventError if that is not later, or
        beyond engine.bounds.MAX_CLOCK_SECONDS."""
        try:
            check_clock(to, "the jump's target")
        except (OutOfBounds, TypeError) as exc:
            raise EventError(str(exc)) from None
        return self.record(ev.ClockJumped(to))

    def rate(self, objective: str, rating: str, comment: str = "") -> ev.Event:
        """Rate an objective, runbook/objective, P, S, M or U (rating)."""
        return self.record(ev.Rating(objective, rating, comment))

    def answer(self, question: str, answer: str) -> ev.Event:
        """Record the answer to a hot-wash question (hotwash.answer)."""
        return self.record(ev.HotwashAnswer(question, answer))

    def summarise(self, module: str, question: str, text: str, by: str = "") -> ev.Event:
        """Record the gist of the discussion on a module's question (discussion.summary): module and question
        are ids from the scenario; EventError when either is unknown or the text is blank."""
        return self.record(ev.DiscussionSummary(module, question, text, by))

    def amend_summary(self, summary: int, text: str, by: str = "") -> ev.Event:
        """Correct a discussion summary's text (discussion.amended); `summary` is its event's seq. EventError
        when that event is not a discussion summary, it is withdrawn, or the text is blank."""
        return self.record(ev.DiscussionAmended(summary, text, by))

    def withdraw_summary(self, summary: int, reason: str, by: str = "") -> ev.Event:
        """Withdraw a discussion summary (discussion.withdrawn), giving a reason; EventError as amend_summary."""
        return self.record(ev.DiscussionWithdrawn(summary, reason, by))

    def submit_feedback(self, ratings: dict[str, int], answers: dict[str, str], *, respondent: str = "",
                        name: str = "", role: str = "", organisation: str = "") -> ev.Event:
        """Record one participant's feedback form (feedback.submitted): ratings statement id -> 1..5, answers
        question id -> text (engine.feedback's items). EventError when the form is closed or full, an id is
        unknown, a value is out of range or too long, or `respondent` has answered already."""
        return self.record(ev.FeedbackSubmitted(respondent, name, role, organisation, dict(ratings), dict(answers)))

    def join(self, seat: str, name: str, role: str) -> ev.Event:
        """A seat joins the drill room (seat.joined), or joins again after leaving: seat is its id (letters,
        digits, - or _), name as typed, role a role id of the drill's runbooks or "observer". EventError
        (DecodeError for a malformed id or name) when the role is unknown, the seat is in already or the
        room is full."""
        return self.record(ev.SeatJoined(seat, name, role))

    def leave(self, seat: str) -> ev.Event:
        """A seat leaves the drill room (seat.left); EventError when it is not in."""
        return self.record(ev.SeatLeft(seat))

    def open_poll(self, text: str, options: Iterable[str] = (), *, step: str | None = None,
                  module: str | None = None, question: str | None = None, by: str = "") -> ev.Event:
        """Put a question to the room (poll.opened) under the next free id, `poll-1`, `poll-2`, ...: options
        to choose from (none: free text); `step`, a ready decision the poll is on (its options are then
        the decision's, and given none, taken from it); `module` and `question`, the module discussion
        question it asks. DecodeError for a blank or overlong question or option; EventError while another
        poll is open, or for a decision not ready or options not its own."""
        chosen = tuple(options)
        if step is not None and not chosen and step in self.plan.steps:
            chosen = tuple(self.plan.steps[step].options or {})
        return self.record(ev.PollOpened(self.next_poll_id(), text, chosen, step, module, question, by))

    def next_poll_id(self) -> str:
        """`poll-N`, the lowest N not taken."""
        n = 1
        while f"poll-{n}" in self.state.polls:
            n += 1
        return f"poll-{n}"

    def answer_poll(self, poll: str, seat: str, answer: str) -> ev.Event:
        """A seat answers a poll, or changes its answer (poll.answered); EventError for a closed or unknown
        poll, a seat not in the room, an answer not among the options; DecodeError for a blank or long one."""
        return self.record(ev.PollAnswered(poll, seat, answer))

    def reveal_poll(self, poll: str, by: str = "") -> ev.Event:
        """Show a poll's tally on the projector (poll.revealed); EventError when shown already."""
        return self.record(ev.PollRevealed(poll, by))

    def close_poll(self, poll: str, by: str = "") -> ev.Event:
        """Close a poll and record its result (poll.closed, with the tally and count as they stand);
        EventError for an unknown or closed poll."""
        record = self.state.polls.get(poll)
        tally, answered = (record.count(), len(record.answers)) if record else ({}, 0)
        return self.record(ev.PollClosed(poll, tally, answered, by))

    def propose(self, seat: str, text: str, *, step: str | None = None, option: str | None = None,
                module: str | None = None, question: str | None = None) -> ev.Event:
        """A seat's suggestion (proposal.made): a decision's option with its reason (`step`, `option`), or a
        written answer to a module question (`module`, `question`). DecodeError for blank or long text or
        neither or both; EventError for a seat not in the room, a decision made, an unknown option."""
        return self.record(ev.ProposalMade(seat, step, option, module, question, text))

    def take_proposal(self, proposal: int, by: str = "") -> ev.Event:
        """Take a proposal into the decision form or the discussion summary (proposal.taken); EventError when
        event `proposal` is no proposal or was taken already."""
        return self.record(ev.ProposalTaken(proposal, by))

    def open_feedback(self, by: str = "") -> ev.Event:
        """Open the participant feedback form before the drill ends (feedback.opened); EventError if open."""
        return self.record(ev.FeedbackOpened(by))

    def close_feedback(self, by: str = "") -> ev.Event:
        """Close the participant feedback form (feedback.closed); EventError if it is closed already."""
        return self.record(ev.FeedbackClosed(by))

    def end(self, reason: str = "") -> ev.Event:
        """End the exercise (drill.ended); notes, ratings, hot-wash answers and discussion summaries may still
        follow."""
        return self.record(ev.Ended(reason))

    def close(self) -> None:
        """Release the log (and its writer's lock); the drill can be resumed from it later."""
        self.log.close()
