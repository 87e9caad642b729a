"""Which steps the events recorded since a view last looked have changed, so the view redraws only those.

A view of every step (the console's steps table) would otherwise ask every
step's status after every event: a drill of N steps then costs N status
reads a key press. A StepWatch listens to the drill (Drill.listeners), and
for each event recorded asks its payload which steps it touches first
(Payload.touched) and follows on from there with a Frontier, which keeps
every step's status and finds exactly the steps whose status changed (its
tests compare it with a full rescan after every event). The view then takes
the steps to look at again: those the events touched, those whose status
changed, and nothing else; or None, meaning every step, when the watch is
new or missed an event (recorded before it listened, or out of order).
Nothing here reads a clock.
"""

from __future__ import annotations

from engine.drill import events as ev
from engine.drill.frontier import Frontier, Links, touched
from engine.drill.state import DrillState, StepStatus


class StepWatch:
    """Every step's status as of the last event heard, and the steps changed since the last `take`.

    `heard` is the listener (pass it to Drill.listeners); `take` hands over
    the changed steps and starts a new batch.
    """

    def __init__(self, state: DrillState, links: Links | None = None) -> None:
        self.state = state
        self.links = links or Links(state.plan)
        self.frontier: Frontier | None = None  # built by the first take, which reads every step
        self.seq = state.seq  # the last event folded into the frontier
        self.changed: set[str] = set()
        self.whole = True  # the next take is every step (a new watch has shown nothing yet)

    @property
    def status(self) -> dict[str, StepStatus]:
        """Step key -> its status as of the last event heard (or the last take, after a missed event).
        Raises RuntimeError before the first take."""
        if self.frontier is None:
            raise RuntimeError("a StepWatch has statuses once it has been taken from")
        return self.frontier.status

    def heard(self, event: ev.Event) -> None:
        """Fold one recorded event (already applied to the state) into the statuses: the steps its payload
        touches, and whatever a change there reaches."""
        if self.whole or self.frontier is None or event.seq != self.seq + 1 or event.seq != self.state.seq:
            self.whole = True  # out of step: the next take looks at every step again
            return
        seeds = touched(event.payload(self.state.version), self.links, self.state.plan)
        self.changed.update(seeds)
        self.changed.update(self.frontier.update(seeds))
        self.seq = event.seq

    def take(self) -> set[str] | None:
        """The steps to look at again since the last take (their status is in `status`); None: every step,
        whose statuses are then read afresh."""
        if self.whole or self.seq != self.state.seq:
            self.frontier = Frontier(self.state, self.links)
            self.seq, self.whole = self.state.seq, False
            self.changed = set()
            return None
        out, self.changed = self.changed, set()
        return out
