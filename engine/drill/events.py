"""The events of a drill log: one JSON object a line (see docs/drill-log.md).

Every event has `seq` (0, 1, 2, ...), `wall` (UTC wall time), `t` (scenario
seconds since T+0), `type` and `data`. The log adds `prev`, the hash of the
line before, when it writes the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOG_VERSION = 1

STARTED = "drill.started"
ENDED = "drill.ended"
INJECT_FIRED = "inject.fired"
SERVICE_CHANGED = "service.changed"
STEP_STARTED = "step.started"
STEP_DONE = "step.done"
STEP_SKIPPED = "step.skipped"
CHECK_TICKED = "check.ticked"
DECISION_MADE = "decision.made"
NOTE = "note"
CLOCK_PAUSED = "clock.paused"
CLOCK_RESUMED = "clock.resumed"
CLOCK_JUMPED = "clock.jumped"
HOTWASH_ANSWER = "hotwash.answer"
RATING = "rating"

TYPES = (
    STARTED, ENDED, INJECT_FIRED, SERVICE_CHANGED, STEP_STARTED, STEP_DONE, STEP_SKIPPED, CHECK_TICKED,
    DECISION_MADE, NOTE, CLOCK_PAUSED, CLOCK_RESUMED, CLOCK_JUMPED, HOTWASH_ANSWER, RATING,
)

NOTE_KINDS = ("observation", "strength", "improvement")
RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
HEALTH = ("up", "degraded", "down")
CAPABILITY_ELEMENTS = ("planning", "organization", "equipment", "training", "exercise")  # HSEEP POETE


@dataclass(frozen=True)
class Event:
    seq: int
    wall: str  # 2026-01-22T19:33:00.000Z
    t: float  # scenario seconds
    type: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "wall": self.wall, "t": self.t, "type": self.type, "data": self.data}
