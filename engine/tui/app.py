"""The facilitator's console: runs a drill through `Drill`, renders `drill.state`, keeps nothing else.

Every action goes through `DrillApp.perform`, which calls the Drill (that
checks the event, writes it to the log and fsyncs before applying it) and
only then refreshes the screen, so what the room sees is already on disk.
A one-second timer reads the clock, fires the injects that have come due and
announces them.
"""

from __future__ import annotations

import gc
import shlex
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.drill.clock import Clock
from engine.drill.plan import Plan
from engine.tui.key_guard import DEFAULT_SECONDS

if TYPE_CHECKING:  # the drill's modules load with the drill: the start screen's first frame needs none of them
    from engine.drill.events import Event
    from engine.drill.session import Drill
    from engine.room.server import RoomBinding, RoomServer
    from engine.tui.screens.console import ConsoleScreen


PRELOAD = "tabletop-preload"  # the thread that loads the console's modules behind the start screen


def preload_console() -> None:
    """Import what starting the drill needs (the drill's session, the console and its panes, the inject
    pop-up), so ctrl+s on the start screen does not wait for them. The modules import no one another in
    a cycle, so a start pressed meanwhile simply waits for the import under way."""
    import engine.drill.session
    import engine.tui.screens.console
    import engine.tui.screens.inject  # noqa: F401


class DrillApp(App[None]):
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses elsewhere find it too
    TITLE = "tabletop drill"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, plan: Plan, clock: Clock, drill: Drill | None = None, *, scenario_path: str = "",
                 log_path: str | None = None, facilitator: str | None = None, resumed: bool = False,
                 blink: bool = True, tick_seconds: float = 1.0, room: RoomBinding | None = None,
                 key_guard: float = DEFAULT_SECONDS, key_clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.animation_level = "none"  # nothing slides or fades: every frame is the state, at once
        self.plan = plan
        self.clock = clock
        self.drill = drill
        self.scenario_path = scenario_path
        self.log_path = log_path  # where a new drill writes its log; None: exports/drills/<scenario>-<time>.jsonl
        self.facilitator = facilitator
        self.resumed = resumed  # the drill came from --resume: say so, and that its clock is paused
        self.blink = blink  # off in snapshot tests, so no frame catches a cursor half-way
        self.tick_seconds = tick_seconds
        self.key_guard = key_guard  # seconds after a form closes in which keys typed for it are dropped
        self.key_clock = key_clock  # the guard's clock (wall time of the keyboard, not the exercise clock)
        self.pending: list[str] = []  # injects fired but not yet shown to the facilitator
        self.last_key = float("-inf")  # key_clock time of the last key pressed: an inject waits for a pause
        self.console_screen: ConsoleScreen | None = None
        self._told_finished = False
        self.room = room  # --room: where to serve the drill room, once a drill is open
        self.room_server: RoomServer | None = None
        self.room_file = ""
        self._room_redraw = False

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, less its Quit: the console's Quit (which asks first) is listed."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command

    # ----- opening -----

    def on_mount(self) -> None:
        if self.drill is None:
            from engine.tui.screens.start import StartScreen

            self.push_screen(StartScreen(self.plan, self.facilitator))
        else:
            self.open_drill(resumed=self.resumed)
        self.set_interval(self.tick_seconds, self.tick)
        self.call_after_refresh(self.first_frame_shown)

    def first_frame_shown(self) -> None:
        """Collect again if `tabletop drill` held the collector off through start-up: start-up's garbage
        once, now that the frame is on screen (some 10 ms); what remains (modules, styles, the plan) lives
        as long as the console, so it is frozen out of later collections, which keeps a full collection
        from stalling a key press."""
        if not gc.isenabled():
            gc.collect()
            gc.freeze()
            gc.enable()
        if self.drill is None:  # the start screen: load the console while names are typed, off the event loop
            threading.Thread(target=preload_console, name=PRELOAD, daemon=True).start()

    def begin(self, facilitator: str | None, participants: dict[str, str]) -> str | None:
        """Start the drill (creating its log); returns why not, or None once the console is up."""
        from engine.drill.log import LogError
        from engine.drill.session import Drill
        from engine.drill.state import EventError

        try:
            self.drill = Drill.start(self.plan, self.clock, log_path=self.log_path, facilitator=facilitator,
                                     participants=participants)
        except (LogError, EventError) as exc:
            return str(exc)
        self.open_drill(resumed=False)
        return None

    def open_drill(self, *, resumed: bool) -> None:
        assert self.drill is not None
        if self.drill.state.ended:
            from engine.tui.screens.hotwash import HotwashScreen

            self._show(HotwashScreen())
            return
        from engine.tui.screens.console import ConsoleScreen

        self.open_room()
        self.fire_due()  # T+0 injects land with the first frame, not a tick later
        self.console_screen = ConsoleScreen(self.plan)
        self._show(self.console_screen)
        if resumed and self.drill.time_away() is not None:  # a crash: does the time away count?
            from engine.tui.screens.time_away import ask_time_away

            ask_time_away(self)  # the question says the clock stays paused: no notice over its buttons
        elif resumed and not self.drill.state.running:
            self.notify(f"Resumed from {self.drill.path}. The clock is paused: press p to run it.",
                        title="Resumed", markup=False, timeout=6)

    def open_room(self) -> None:
        """Serve the drill room in this event loop (the console stays the one writer of the log)."""
        if self.room is None or self.room_server is not None or self.drill is None:
            return
        from engine.room.seats import RoomFileError
        from engine.room.server import RoomServer

        self.room_server = RoomServer(self.drill, self.room.seats, self.room.sock, self.room.host,
                                      after_record=self.room_recorded, options=self.room.options)
        try:
            self.room_file = str(self.room.save(self.drill.path, self.room_server.base))
        except RoomFileError as exc:
            self.notify(str(exc), title="Room links not saved", severity="warning", markup=False, timeout=10)
        self.run_worker(self.room_server.serve(), name="room", group="room")
        if self.room_server.open_to_network:
            self.notify(f"{self.room_server.exposure} The links are in the Room pane (key 5).",
                        title="Room open to the network", severity="warning", markup=False, timeout=15)

    def room_recorded(self) -> None:
        """An evaluator's note is on disk: redraw soon, once for a burst of them, so the keys stay quick."""
        if not self._room_redraw:
            self._room_redraw = True
            self.set_timer(0.2, self._redraw_for_room)

    def _redraw_for_room(self) -> None:
        self._room_redraw = False
        self.after_change()

    def on_unmount(self) -> None:
        if self.room_server is not None:
            self.room_server.stop()

    def _show(self, screen: object) -> None:
        from textual.screen import Screen

        assert isinstance(screen, Screen)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # ----- the clock -----

    def fire_due(self) -> bool:
        """Fire every inject whose time has come (they wait in `pending` to be announced), and take the default
        of every timed decision whose time has run out (engine.drill.timed), saying so: the clock does this,
        so a console left alone does it too. True when anything was recorded."""
        drill = self.drill
        if drill is None or drill.state.ended:
            return False
        from engine.drill.log import LogError
        from engine.drill.state import EventError
        from engine.tui.widgets.step_detail import fallen_notice

        events: list[Event] = []
        fallen: list[Event] = []
        try:
            events = drill.fire_due()
            fallen = drill.take_defaults()
            if fallen:  # a default can arm contingency injects due at once
                events += drill.fire_due()
        except (EventError, LogError) as exc:
            self.notify(str(exc), title="The clock could not record what came due", severity="error", markup=False)
        self.pending += [e.data["inject"] for e in events]
        for event in fallen:
            self.notify(fallen_notice(drill.plan.steps[event.data["step"]]), title="Time ran out",
                        severity="warning", markup=False, timeout=12)
        return bool(events or fallen)

    def tick(self) -> None:
        """Fire what has come due, move the clock display, and announce new injects."""
        if self.drill is None:
            return
        fired = self.fire_due()
        if self.console_screen is not None and self.console_screen.is_mounted:
            self.console_screen.refresh_view(full=fired)
        moved = getattr(self.screen, "clock_moved", None)  # a dialog that says the time keeps it true
        if callable(moved):
            moved()
        self.announce()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key = self.key_clock()
        await super().on_event(event)

    def announce(self) -> None:
        """Show fired injects prominently, but only over the console, never over a half-filled form, and
        not in the middle of typing: while keys come faster than the key guard's length, they wait for a
        pause (the keys go where they were meant, rather than to the pop-up)."""
        if not self.pending or self.console_screen is None or self.screen is not self.console_screen:
            return
        if self.key_clock() - self.last_key < self.key_guard:
            self.set_timer(self.key_guard, self.announce, name="announce after typing")
            return
        from engine.tui.screens.inject import InjectScreen

        injects, self.pending = list(self.pending), []
        self.push_screen(InjectScreen(injects))

    # ----- acting -----

    def perform(self, action: Callable[[], object], report: Callable[[str], None] | None = None) -> bool:
        """Run one drill action. A refusal is reported (a short notice by default) and nothing changes."""
        from engine.drill.log import LogError
        from engine.drill.state import EventError

        try:
            action()
        except EventError as exc:
            if report is not None:
                report(str(exc))
            else:
                self.notify(str(exc), title="Not recorded", severity="warning", markup=False)
            return False
        except LogError as exc:
            self.notify(str(exc), title="The log could not be written; nothing was recorded", severity="error",
                        timeout=30, markup=False)
            if report is not None:
                report(f"not recorded: {exc}")
            return False
        self.after_change()
        return True

    def after_change(self) -> None:
        if self.console_screen is not None and self.console_screen.is_mounted:
            self.console_screen.refresh_view(full=True)
        drill = self.drill
        if drill is not None and not drill.state.ended and drill.state.finished() and not self._told_finished:
            self._told_finished = True
            self.notify("Every runbook is finished. Press e to end the drill and run the hot wash.",
                        title="All steps finished", timeout=15)

    def end_drill(self, reason: str = "") -> bool:
        assert self.drill is not None
        drill = self.drill
        if not self.perform(lambda: drill.end(reason)):
            return False
        from engine.tui.screens.hotwash import HotwashScreen

        self.console_screen = None
        self.switch_screen(HotwashScreen())
        return True

    # ----- leaving -----

    async def action_quit(self) -> None:
        """Quit after a confirmation while a drill runs (nothing is lost: every action is already logged)."""
        if self.drill is None or self.drill.state.ended or self.console_screen is None:
            self.exit()
            return
        from engine.tui.screens.confirm import ConfirmScreen

        drill = self.drill

        def done(yes: bool | None) -> None:
            if yes:
                if drill.state.running:  # so a resume continues from this moment, not from the last action
                    self.perform(drill.pause)
                self.exit()

        self.push_screen(ConfirmScreen(
            "Quit the console?",
            f"Everything so far is in the log. Continue later with\n"
            f"tabletop drill {self.scenario_path or 'SCENARIO'} --resume {shlex.quote(self.drill.path)}",
            "Quit",
        ), done)

    def exit_lines(self) -> list[str]:
        """What to print on the terminal after the console closes."""
        drill = self.drill
        if drill is None:
            return ["No drill was started; nothing was written."]
        path = shlex.quote(drill.path)
        head = f"Log head:  {drill.log.last_hash} (keep it elsewhere; `tabletop log verify --head` checks it)"
        if drill.state.ended:
            return [f"Drill log: {path}", head, f"Check it:  tabletop log verify {path} --head {drill.log.last_hash}",
                    f"Report:    tabletop report {path}"]
        return [f"Drill log: {path}", head,
                f"Continue:  tabletop drill {self.scenario_path or 'SCENARIO'} --resume {path}"]
