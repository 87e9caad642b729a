"""The drill log's contract: the envelope of every event and one typed payload class per event type.

A log is one JSON object a line (docs/drill-log.md). Every line is an
envelope, `Event`: `seq` (0, 1, 2, ...), `wall` (UTC wall time,
`2026-01-22T19:33:00.000Z`), `t` (scenario seconds since T+0), `type` (the
wire name, `step.done`) and `data` (a JSON object). The log adds `prev`, the
hash of the line before, when it writes the line.

`data` is what the log holds, byte for byte. Its typed view is the payload:
`decode(type, data)` checks the shape (the right keys with the right kinds of
value) and returns an instance of the payload class registered for the type,
or raises `DecodeError` saying what is wrong. Whether the event can happen in
the drill's state (a step that exists, a step that is ready) is not a shape
question; each payload's `check` answers it when the fold (engine.drill.state)
applies the event. `payload.encode()` gives the `data` back, key for key in
the order tabletop has always written it, and `Event.of(seq, wall, t,
payload)` builds an envelope from a payload: every writer (the console,
headless play, explore) builds events that way.

The types themselves are defined in engine.drill.event_types, one module per
family; a new event type is one class there (see its base module, and
docs/drill-log.md "Adding an event type"). This module gathers them under
the names every importer uses.
"""

from __future__ import annotations

from engine.drill.event_types.base import (
    LOG_VERSION,
    REGISTRY,
    Event,
    Payload,
    decode,
    event_type,
    undecided,
)
from engine.drill.event_types.clock import ClockGap, ClockJumped, ClockPaused, ClockResumed
from engine.drill.event_types.corrections import (
    DecisionAmended,
    DecisionRevised,
    InjectWithdrawn,
    NoteAmended,
    NoteWithdrawn,
    StepReopened,
)
from engine.drill.event_types.discussion import DiscussionAmended, DiscussionSummary, DiscussionWithdrawn
from engine.drill.event_types.errors import DecodeError, EventError, UnknownEventType
from engine.drill.event_types.feedback import FeedbackClosed, FeedbackOpened, FeedbackSubmitted
from engine.drill.event_types.injects import InjectAdhoc, InjectFired, ServiceChanged
from engine.drill.event_types.lifecycle import Ended, ForkOf, LoggedFile, Started
from engine.drill.event_types.notes import CAPABILITY_ELEMENTS, NOTE_KINDS, RATINGS, HotwashAnswer, Note, Rating
from engine.drill.event_types.polls import PollAnswered, PollClosed, PollOpened, PollRevealed
from engine.drill.event_types.proposals import ProposalMade, ProposalTaken
from engine.drill.event_types.readers import HEALTH
from engine.drill.event_types.seats import SeatJoined, SeatLeft
from engine.drill.event_types.steps import CheckTicked, DecisionMade, StepDone, StepSkipped, StepStarted

__all__ = [
    "LOG_VERSION", "REGISTRY", "Event", "Payload", "decode", "event_type", "undecided", "DecodeError", "EventError",
    "UnknownEventType", "LoggedFile", "ForkOf", "NOTE_KINDS", "RATINGS", "HEALTH", "CAPABILITY_ELEMENTS",
    "Started", "Ended", "InjectFired", "ServiceChanged", "StepStarted", "StepDone", "StepSkipped", "CheckTicked",
    "DecisionMade", "Note", "ClockPaused", "ClockResumed", "ClockJumped", "HotwashAnswer", "Rating",
    "DecisionRevised", "InjectWithdrawn", "StepReopened", "NoteAmended", "NoteWithdrawn", "DiscussionSummary",
    "FeedbackOpened", "FeedbackClosed", "FeedbackSubmitted", "DiscussionAmended", "DiscussionWithdrawn",
    "InjectAdhoc", "ClockGap", "DecisionAmended", "SeatJoined", "SeatLeft", "PollOpened", "PollAnswered",
    "PollRevealed", "PollClosed", "ProposalMade", "ProposalTaken", "TYPES",
]

# Wire names, for code that compares an envelope's `type` without decoding it.
STARTED = Started.WIRE
ENDED = Ended.WIRE
INJECT_FIRED = InjectFired.WIRE
SERVICE_CHANGED = ServiceChanged.WIRE
STEP_STARTED = StepStarted.WIRE
STEP_DONE = StepDone.WIRE
STEP_SKIPPED = StepSkipped.WIRE
CHECK_TICKED = CheckTicked.WIRE
DECISION_MADE = DecisionMade.WIRE
NOTE = Note.WIRE
CLOCK_PAUSED = ClockPaused.WIRE
CLOCK_RESUMED = ClockResumed.WIRE
CLOCK_JUMPED = ClockJumped.WIRE
HOTWASH_ANSWER = HotwashAnswer.WIRE
RATING = Rating.WIRE
DECISION_REVISED = DecisionRevised.WIRE
INJECT_WITHDRAWN = InjectWithdrawn.WIRE
STEP_REOPENED = StepReopened.WIRE
NOTE_AMENDED = NoteAmended.WIRE
NOTE_WITHDRAWN = NoteWithdrawn.WIRE
DISCUSSION_SUMMARY = DiscussionSummary.WIRE
FEEDBACK_OPENED = FeedbackOpened.WIRE
FEEDBACK_CLOSED = FeedbackClosed.WIRE
FEEDBACK_SUBMITTED = FeedbackSubmitted.WIRE
DISCUSSION_AMENDED = DiscussionAmended.WIRE
DISCUSSION_WITHDRAWN = DiscussionWithdrawn.WIRE
INJECT_ADHOC = InjectAdhoc.WIRE
CLOCK_GAP = ClockGap.WIRE
DECISION_AMENDED = DecisionAmended.WIRE
SEAT_JOINED = SeatJoined.WIRE
SEAT_LEFT = SeatLeft.WIRE
POLL_OPENED = PollOpened.WIRE
POLL_ANSWERED = PollAnswered.WIRE
POLL_REVEALED = PollRevealed.WIRE
POLL_CLOSED = PollClosed.WIRE
PROPOSAL_MADE = ProposalMade.WIRE
PROPOSAL_TAKEN = ProposalTaken.WIRE
TYPES = tuple(REGISTRY)
