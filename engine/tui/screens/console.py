"""The console: clock line, the steps, and the focused step's detail beside services, injects and the log.

Below SPLIT_FROM columns the steps sit above one side pane at a time, behind
tabs (1-4 or a click); from there the side pane sits beside the steps; from
WIDE_FROM columns every pane is on screen at once. Whatever is hidden is not
rendered until it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import DataTable, OptionList

from engine.drill import modules
from engine.drill.plan import Plan, PlanStep
from engine.drill.state import StepStatus
from engine.tui import correction_actions as fix
from engine.tui import display, feedback_toggle, poll_actions
from engine.tui import written_actions as written
from engine.tui.actions import ACTIONS, ALWAYS, CONSOLE_KEYS
from engine.tui.applies import why_not
from engine.tui.commands import DrillCommands
from engine.tui.key_guard import KeyGuard
from engine.tui.module_actions import MODULE_ACTIONS, next_module, show_questions
from engine.tui.module_actions import refusal as module_refusal
from engine.tui.screens.dialog import Repaints
from engine.tui.widgets.clock_bar import ClockBar
from engine.tui.widgets.drill_feed import DrillFeed
from engine.tui.widgets.inject_timeline import InjectTimeline
from engine.tui.widgets.key_bar import KeyBar
from engine.tui.widgets.module_bar import ModuleBar
from engine.tui.widgets.pane_tabs import PaneTabs
from engine.tui.widgets.pane_text import PaneText
from engine.tui.widgets.room_pane import RoomPane
from engine.tui.widgets.service_board import ServiceBoard
from engine.tui.widgets.step_detail import StepDetail
from engine.tui.widgets.step_table import StepTable

if TYPE_CHECKING:
    from engine.drill.session import Drill
    from engine.tui.app import DrillApp

SPLIT_FROM = 110  # columns: below, the steps sit above the side pane; from here, beside it
WIDE_FROM = 140  # columns: every side pane on screen at once
PANES = ("step", "services", "injects", "log")

class ConsoleScreen(Repaints):
    COMMANDS = {DrillCommands}
    BINDINGS = CONSOLE_KEYS

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self.pane = "step"
        self.panes = PANES + (("room",) if getattr(self.app, "room_server", None) else ())
        self.wide = False
        self.narrow = True
        self._covered = False
        self.guard: KeyGuard | None = None  # set when a form or dialog closes: keys typed then are dropped
        self._keys: dict[str, list[str]] = {}
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            self._keys.setdefault(binding.key, []).append(binding.action)

    @property
    def drill(self) -> Drill:
        drill = self.app.drill  # type: ignore[attr-defined]
        assert drill is not None
        return drill

    @property
    def drill_app(self) -> DrillApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield ClockBar(id="clock")
        yield ModuleBar(id="modules")
        with Horizontal(id="body"):
            yield StepTable(self.plan, id="steps")
            with Vertical(id="side"):
                yield PaneTabs(self.panes, id="pane-tabs")
                with Container(id="panes"):
                    yield StepDetail(id="pane-step", classes="pane -current")
                    for pane in (ServiceBoard(id="pane-services", classes="pane"),
                                 InjectTimeline(id="pane-injects", classes="pane"),
                                 DrillFeed(id="pane-log", classes="pane"),
                                 *([RoomPane(id="pane-room", classes="pane")] if "room" in self.panes else [])):
                        pane.border_title = (pane.id or "").removeprefix("pane-").title()  # shown when wide
                        yield pane
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        table = self.query_one(StepTable)
        table.cursor_moved = self.show_step
        table.follow(self.drill)  # a refresh then looks again only at the steps each event changed
        table.focus()
        tabs = self.query_one(PaneTabs)
        tabs.chosen = self.action_pane
        tabs.show(self.pane)
        self.call_after_refresh(self.relayout)

    def on_resize(self, event: events.Resize) -> None:
        self.wide = event.size.width >= WIDE_FROM
        self.narrow = event.size.width < SPLIT_FROM
        self.set_class(self.wide, "-wide")
        self.set_class(self.narrow, "-narrow")
        self.set_class("room" in self.panes, "-room")
        if not self.wide and self.is_mounted:
            self.show_pane()  # a pane chosen while wide
        self.call_after_refresh(self.relayout)

    def on_screen_suspend(self) -> None:
        self._covered = True

    def on_screen_resume(self) -> None:
        if self._covered:  # a form or dialog has just closed over the console
            self.guard = KeyGuard.of(self.app)
            self._covered = False
        self.refresh_view(full=True)
        self.drill_app.announce()

    def relayout(self) -> None:
        """Fit the table's columns to its width, then draw everything."""
        state = self.drill.state
        self.query_one(StepTable).build(state, self.drill.now_t())
        self.refresh_view(full=True)
        self.call_after_refresh(self.remeasure)

    def remeasure(self, pane: str | None = None) -> None:
        for text in self.query(PaneText) if pane is None else self.query_one(f"#pane-{pane}").query(PaneText):
            text.remeasure()

    # ----- rendering from the state -----

    def pane_shown(self, pane: str) -> bool:
        return self.wide or self.pane == pane

    def refresh_view(self, full: bool = True, table: bool = True) -> None:
        """Redraw from drill.state. `full=False` is the clock tick: only what time moves."""
        drill = self.drill
        state, now_t = drill.state, drill.now_t()
        self.query_one(ClockBar).show(state, now_t, self.plan.scenario.title)
        self.query_one(ModuleBar).show(modules.view(state, now_t), now_t)
        if table:
            self.query_one(StepTable).refresh_rows(state, now_t)
        if self.pane_shown("step"):
            self.query_one(StepDetail).show(state, self.query_one(StepTable).current_key(), now_t)
        if self.pane_shown("injects"):
            self.query_one(InjectTimeline).show(state, now_t)
        if full and self.pane_shown("services"):
            self.query_one(ServiceBoard).show(state)
        if full and self.pane_shown("log"):
            self.query_one(DrillFeed).show(state)
        if "room" in self.panes and self.pane_shown("room"):  # the count of live browsers moves too
            self.query_one(RoomPane).show(self.drill_app.room_server, self.drill_app.room_file)
        if full:
            self.update_footer()

    def update_footer(self) -> None:
        """Show the keys whose actions apply now (check_action decides, through active_bindings)."""
        shown = []
        for key, active in self.active_bindings.items():
            if active.binding.show and active.enabled and active.binding.action in ACTIONS:
                shown.append((key, self.app.get_key_display(active.binding), active.binding.description))
        self.query_one(KeyBar).show(shown)

    def show_step(self, key: str | None) -> None:
        """The cursor moved: show that step and the keys that apply to it."""
        if self.pane_shown("step"):
            self.query_one(StepDetail).show(self.drill.state, key, self.drill.now_t())
        self.update_footer()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a step goes to its checklist, if it has one."""
        if self.query_one(StepDetail).has_checklist:
            self.action_pane("step")
            self.query_one(StepDetail).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        detail = self.query_one(StepDetail)
        if event.option_list is detail and (item := detail.item()) is not None:
            self._toggle(item)
        timeline = self.query_one(InjectTimeline)
        if event.option_list is timeline and (inject_id := timeline.chosen()) is not None:
            from engine.tui.screens.inject import InjectScreen

            self.app.push_screen(InjectScreen([inject_id]))

    # ----- what applies now -----

    def step(self) -> PlanStep | None:
        return self.plan.steps.get(self.query_one(StepTable).current_key() or "")

    def refusal(self, action: str) -> str | None:
        """Why an action does not apply right now (None: it does)."""
        if action in MODULE_ACTIONS:
            return module_refusal(self.drill.state, self.drill.now_t(), action)
        if action in fix.CORRECTION_ACTIONS:
            return fix.refusal(self.drill.state, self.step(), action)
        if action in written.WRITTEN_ACTIONS:
            return written.refusal(self.drill.state, action)
        if action == "feedback":
            return feedback_toggle.refusal(self.app)
        if action in poll_actions.POLL_ACTIONS:
            return poll_actions.refusal(self.app, action)
        return why_not(self.drill.state, self.step(), action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS and action not in ALWAYS:
            return self.refusal(action) is None  # hidden from the footer when it does not apply
        return True

    def on_key(self, event: events.Key) -> None:
        """Keys typed as a form closed are dropped; a key whose action does not apply says why."""
        if self.guard is not None and event.key != "ctrl+q" and self.guard.drop(event, self.app, "as a form closed"):
            return
        actions = [a for a in self._keys.get(event.key, []) if a in ACTIONS]
        if not actions:
            return
        reasons = [self.refusal(a) for a in actions]
        if all(reasons):
            self.notify(reasons[0] or "", title="Not now", severity="warning", markup=False, timeout=4)
            event.stop()

    def _refused(self, action: str) -> bool:
        reason = self.refusal(action)
        if reason:
            self.notify(reason, title="Not now", severity="warning", markup=False, timeout=4)
        return reason is not None

    def run_command(self, action: str) -> None:
        """Run an action from the command palette (refusals explained like keys)."""
        getattr(self, f"action_{action}")()

    # ----- the actions -----

    def action_start_step(self) -> None:
        step = self.step()
        if self._refused("start_step") or step is None:
            return
        drill = self.drill
        self.drill_app.perform(lambda: drill.start_step(step.key))

    def action_complete_step(self) -> None:
        """c: mark the step done; with checklist items still open, ask first, naming them."""
        step = self.step()
        if self._refused("complete_step") or step is None:
            return
        drill = self.drill
        ticks = drill.state.steps[step.key].ticks
        open_items = [item for index, item in enumerate(step.do) if index not in ticks]
        if not open_items:
            self.drill_app.perform(lambda: drill.complete_step(step.key))
            return
        from engine.tui.screens.confirm import ConfirmScreen

        shown = [f"[ ] {' '.join(item.split())}" for item in open_items[:6]]
        more = [f"and {len(open_items) - 6} more"] if len(open_items) > 6 else []
        lines = [f"{len(open_items)} of {len(step.do)} checklist items are not ticked:", *shown, *more,
                 "Marked done, they stay unticked in the log and the report."]

        def done(yes: bool | None) -> None:
            if yes:
                self.drill_app.perform(lambda: drill.complete_step(step.key))

        self.app.push_screen(ConfirmScreen(f"Mark {display.literal(step.id, one_line=True)} done?",
                                           "\n".join(lines), "Mark done"), done)

    def action_skip_step(self) -> None:
        step = self.step()
        if self._refused("skip_step") or step is None:
            return
        from engine.tui.screens.skip import SkipScreen

        self.app.push_screen(SkipScreen(step))

    def action_tick(self) -> None:
        step = self.step()
        if self._refused("tick") or step is None:
            return
        detail = self.query_one(StepDetail)
        ticks = self.drill.state.steps[step.key].ticks
        if detail.has_focus and detail.item() is not None:
            index = detail.item() or 0
        else:
            index = next((i for i in range(len(step.do)) if i not in ticks), len(step.do) - 1)
        self._toggle(index)

    def _toggle(self, index: int) -> None:
        step = self.step()
        if step is None or not 0 <= index < len(step.do):
            return
        drill = self.drill
        checked = index not in drill.state.steps[step.key].ticks
        self.drill_app.perform(lambda: drill.tick(step.key, index, checked))

    def action_decide(self) -> None:
        step = self.step()
        if self._refused("decide") or step is None:
            return
        from engine.tui.screens.decide import DecideScreen

        self.app.push_screen(DecideScreen(step))

    def action_note(self) -> None:
        if self._refused("note"):
            return
        from engine.tui.screens.note import NoteScreen

        self.app.push_screen(NoteScreen(self.step()))

    def action_revise_decision(self) -> None:
        if not self._refused("revise_decision"):
            fix.revise(self)

    def action_amend_decision(self) -> None:
        if not self._refused("amend_decision"):
            fix.amend_decision(self)

    def action_reopen_step(self) -> None:
        if not self._refused("reopen_step"):
            fix.reopen(self)

    def action_correct_note(self) -> None:
        if not self._refused("correct_note"):
            fix.correct_note(self)

    def action_adhoc_inject(self) -> None:
        if not self._refused("adhoc_inject"):
            written.adhoc_inject(self)

    def action_set_service(self) -> None:
        if not self._refused("set_service"):
            written.set_service(self)

    def action_withdraw_inject(self) -> None:
        """w: withdraw the inject highlighted on the Injects pane (when it shows), else the newest."""
        if not self._refused("withdraw_inject"):
            fix.withdraw_inject(self, self.query_one(InjectTimeline).chosen() if self.pane_shown("injects") else None)

    def action_fire_next(self) -> None:
        if self._refused("fire_next"):
            return
        self.ask_fire(self.drill.state.upcoming()[0][1].id)

    def action_fire_any(self) -> None:
        if self._refused("fire_any"):
            return
        from engine.tui.screens.fire import FireScreen

        def chosen(inject_id: str | None) -> None:
            if inject_id:
                self.ask_fire(inject_id)

        self.app.push_screen(FireScreen(self.drill.state, self.drill.now_t()), chosen)

    def ask_fire(self, inject_id: str) -> None:
        """Fire an inject by hand once the facilitator has confirmed it, then announce it."""
        from engine.tui.screens.fire import confirm_fire

        drill = self.drill
        inject = drill.plan.inject(inject_id)
        if inject is None:
            return

        def done(yes: bool | None) -> None:
            if yes and inject_id not in drill.state.fired and self.drill_app.perform(
                    lambda: drill.fire(inject_id, manual=True)):
                self.drill_app.pending.append(inject_id)
                self.drill_app.announce()

        self.app.push_screen(confirm_fire(drill.state, inject, drill.now_t()), done)

    def action_injects(self) -> None:
        """Show the Injects pane and put the keyboard on its fired injects."""
        self.action_pane("injects")
        timeline = self.query_one(InjectTimeline)
        timeline.focus()
        if timeline.chosen() is None:
            timeline.highlight_newest()

    def action_pause(self) -> None:
        if not self._refused("pause"):
            drill = self.drill
            self.drill_app.perform(drill.pause)

    def action_resume(self) -> None:
        if not self._refused("resume"):
            drill = self.drill
            if self.drill_app.perform(drill.resume_clock):
                self.app.clear_notifications()  # "the clock is paused" no longer holds

    def action_jump(self) -> None:
        if self._refused("jump"):
            return
        from engine.tui.screens.jump import JumpScreen

        self.app.push_screen(JumpScreen())

    def action_end(self) -> None:
        if self._refused("end"):
            return
        from engine.tui.screens.confirm import ConfirmScreen

        state, now_t = self.drill.state, self.drill.now_t()
        open_steps = sum(state.status(k) in (StepStatus.WAITING, StepStatus.READY, StepStatus.ACTIVE)
                         for k in self.plan.steps)
        unfired = len(self.plan.injects) - state.planned_fired()
        lines = [f"The clock stops for good at {display.clock(now_t)}.",
                 f"{open_steps} step(s) still open stay as they are in the report." if open_steps
                 else "Every step is finished.",
                 f"{unfired} inject(s) not fired will not fire." if unfired else "Every inject has fired.",
                 "Then the hot wash: each objective is rated, then what went well and what to improve."]

        def done(yes: bool | None) -> None:
            if yes:
                self.drill_app.end_drill("ended by the facilitator")

        self.app.push_screen(ConfirmScreen("End the drill?", "\n".join(lines), "End drill"), done)

    def action_next_module(self) -> None:
        if not self._refused("next_module"):
            next_module(self)

    def action_module_questions(self) -> None:
        if not self._refused("module_questions"):
            show_questions(self)

    def action_feedback(self) -> None:
        if not self._refused("feedback"):
            feedback_toggle.toggle(self.app)

    def action_poll(self) -> None:
        if not self._refused("poll"):
            poll_actions.open_or_manage(self)

    def action_proposals(self) -> None:
        if not self._refused("proposals"):
            poll_actions.proposals(self)

    def action_help(self) -> None:
        from engine.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    async def action_quit(self) -> None:
        await self.drill_app.action_quit()

    def action_focus_steps(self) -> None:
        """Esc in the checklist: back to the steps."""
        self.query_one(StepTable).focus()

    def action_next_open(self) -> None:
        """Move the cursor to the next ready or active step below it, wrapping round."""
        if self._refused("next_open"):
            return
        table = self.query_one(StepTable)
        keys = [str(row.key.value) for row in table.ordered_rows]
        state = self.drill.state
        start = table.cursor_row
        for offset in range(1, len(keys) + 1):
            key = keys[(start + offset) % len(keys)]
            if key in self.plan.steps and state.status(key) in (StepStatus.READY, StepStatus.ACTIVE):
                table.select(key)
                return

    def action_pane(self, name: str) -> None:
        if name not in self.panes or (name == self.pane and self.query_one(f"#pane-{name}").has_class("-current")):
            return
        self.pane = name
        if self.wide:  # every pane is on screen and the tabs are hidden: nothing to redraw (on_resize catches up)
            return
        self.refresh_view(full=True, table=False)  # fill the pane first: showing it takes one layout, not two
        self.show_pane()

    def show_pane(self) -> None:
        """Mark the chosen pane current (the one shown when not wide) and in the tabs."""
        for pane in self.panes:
            self.query_one(f"#pane-{pane}").set_class(pane == self.pane, "-current")
        self.query_one(PaneTabs).show(self.pane)
        self.remeasure(self.pane)

