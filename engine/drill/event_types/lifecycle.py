"""The start and the end of a drill: drill.started and drill.ended."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine.drill.clock import parse_wall
from engine.drill.event_types import readers
from engine.drill.event_types.base import LOG_VERSION, Event, Payload, event_type
from engine.drill.event_types.codec import Bad, key, none

if TYPE_CHECKING:
    from engine.drill.frontier import Links
    from engine.drill.plan import Plan
    from engine.drill.state import DrillState


@dataclass(frozen=True, slots=True)
class LoggedFile:
    """A file a drill ran with, as drill.started names it: id, path (as given, `/`-separated), SHA-256 (hex)."""

    id: str
    path: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "path": self.path, "sha256": self.sha256}


def _logged_file(value: Any) -> LoggedFile:
    if not (isinstance(value, dict) and all(isinstance(value.get(k), str) for k in ("id", "path", "sha256"))):
        raise Bad("drill.started names each file as {id, path, sha256}", "runbooks")
    return LoggedFile(value["id"], value["path"], value["sha256"])


@dataclass(frozen=True, slots=True)
class ForkOf:
    """What a fork's drill.started says of its parent: log (its path as given), head (the SHA-256 of the
    parent's last line when forked, hex) and at (the fork point as given: `T+1:00` or `seq:N`)."""

    log: str
    head: str
    at: str

    def to_dict(self) -> dict[str, str]:
        return {"log": self.log, "head": self.head, "at": self.at}


def _fork(value: Any, data: Mapping[str, Any]) -> ForkOf | None:
    if value is None:
        return None
    if not (isinstance(value, dict) and all(isinstance(value.get(k), str) for k in ("log", "head", "at"))):
        raise Bad("drill.started names the drill a fork comes from as {log, head, at}")
    return ForkOf(value["log"], value["head"], value["at"])


def _version(value: Any, data: Mapping[str, Any]) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise Bad(f"the log version must be a whole number, not {value!r}")
    return value


def _scenario(value: Any, data: Mapping[str, Any]) -> LoggedFile | None:
    return None if value is None else _logged_file(value)


def _runbooks(value: Any, data: Mapping[str, Any]) -> tuple[LoggedFile, ...]:
    value = value or []
    if not isinstance(value, list):
        raise Bad("drill.started names each file as {id, path, sha256}")
    return tuple(_logged_file(r) for r in value)


def _participants(value: Any, data: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Bad("participants must map roles to names")
    return dict(value)


@event_type
@dataclass(frozen=True, slots=True)
class Started(Payload):
    """drill.started, the first event of every log.

    version: LOG_VERSION of the writer; tool: `tabletop <version>`; mode:
    `live` (the console), `headless` (play) or `explore`; scenario and
    runbooks: the files, with their SHA-256; facilitator: a name or None;
    participants: role id -> name; fork: for a what-if fork (`play --from`), the
    parent log, its head and the fork point (ForkOf), else None and not written, so
    a log without it reads and writes byte for byte as before. It opens every step
    not on a branch.
    """

    WIRE: ClassVar[str] = "drill.started"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = True
    PUBLIC: ClassVar[str | None] = "clock"
    version: int | None = key(_version)
    tool: str | None = key(readers.optional_text("the tool must be text"))
    mode: str | None = key(readers.optional_text("the mode must be text"))
    scenario: LoggedFile | None = key(_scenario, write=lambda f: f.to_dict() if f else None)
    runbooks: tuple[LoggedFile, ...] = key(_runbooks, write=lambda files: [f.to_dict() for f in files])
    facilitator: str | None = key(readers.optional_text("the facilitator must be a name"))
    participants: dict[str, str] = key(_participants, absent={}, write=dict)
    fork: ForkOf | None = key(_fork, omit=none, write=lambda f: f.to_dict(), default=None)

    def apply(self, state: DrillState, event: Event) -> None:
        state.started = True
        state.start_info = dict(event.data)
        state.version = self.version if self.version is not None else LOG_VERSION
        state.facilitator = self.facilitator or None
        state.participants = dict(self.participants)
        state.running = True
        state.base_t = event.t
        state.base_wall = parse_wall(event.wall)
        for step_key, step in state.plan.steps.items():
            if not step.branch:
                state.steps[step_key].opened_t = event.t
        state._settle(list(state.plan.steps), event.t)

    def touched(self, links: Links, plan: Plan) -> list[str]:
        return []  # a Frontier is built after the start, and looks at every step then


@event_type
@dataclass(frozen=True, slots=True)
class Ended(Payload):
    """drill.ended: the exercise is over (notes, ratings and hot-wash answers may follow). reason: words."""

    WIRE: ClassVar[str] = "drill.ended"
    AFTER_END: ClassVar[bool] = False
    MOVES_STEPS: ClassVar[bool] = False
    PUBLIC: ClassVar[str | None] = "ended"
    reason: str | None = key(readers.optional_text("the reason must be text"), default="")

    def apply(self, state: DrillState, event: Event) -> None:
        state.ended = True
        state.running = False
        state.base_t = event.t
        state.end_reason = self.reason
