"""The console's actions: one table of what each does (for the palette and the help) and its keys.

Screens, the command palette and the help read this module instead of importing
each other; a new action (a module bar's "next module", a Room pane) is one
entry in ACTIONS and one binding in CONSOLE_KEYS.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

# action -> (palette title, what it does); the order is the palette's and the help screen's
ACTIONS: dict[str, tuple[str, str]] = {
    "start_step": ("Start the step", "start the focused step (when it is ready)"),
    "complete_step": ("Mark the step done", "mark the focused step done"),
    "decide": ("Record the decision", "record a decision: option, rationale, who decided"),
    "skip_step": ("Skip the step", "skip the focused step, giving a reason"),
    "tick": ("Tick a checklist item", "tick the next open checklist item of an active step (or the highlighted one)"),
    "note": ("Add a note", "add a note: observation, strength or area for improvement"),
    "revise_decision": ("Revise the decision…", "revise a decision: new option, reason, who (asks first)"),
    "amend_decision": ("Amend the decision…", "amend a decision's rationale or decider; option stays"),
    "reopen_step": ("Reopen the step…", "reopen a step marked done or skipped by mistake"),
    "correct_note": ("Amend or withdraw a note…", "amend or withdraw a note (the original stays in the log)"),
    "withdraw_inject": ("Withdraw an inject…", "withdraw an inject fired by mistake (asks first)"),
    "fire_next": ("Fire the next inject now…", "fire the next scheduled inject now (asks first)"),
    "fire_any": ("Fire an inject…", "fire any inject that has not fired, from a list (asks first)"),
    "adhoc_inject": ("Write an inject…", "write an inject now: text, roles, services (asks first)"),
    "set_service": ("Set a service's health…", "set a service up, degraded or down by hand (asks first)"),
    "injects": ("Re-read the fired injects", "the Injects pane: ↑↓ through the fired injects, Enter reads one"),
    "pause": ("Pause the clock", "pause or resume the exercise clock (injects wait)"),
    "resume": ("Resume the clock", "resume the exercise clock"),
    "jump": ("Jump the clock…", "jump the clock forward: T+4h, T+1:30 or +30m"),
    "end": ("End the drill…", "end the drill (asks first), then the hot wash"),
    "next_module": ("Next module…", "move on to the next module: its injects fire (asks first)"),
    "module_questions": ("Module questions", "the current module's situation and discussion questions"),
    "feedback": ("Open or close the feedback form", "open or close the room's feedback form (opens at the end)"),
    "poll": ("Poll the room…", "open a poll in the room, or show or close the open one (its tally is live)"),
    "proposals": ("Suggestions from the room…", "the participants' proposals: take one into the decision or summary"),
    "next_open": ("Go to the next ready or active step", "go to the next step that is ready or active"),
    "help": ("Help", "this help"),
    "quit": ("Quit", "quit; continue later with --resume (asks first)"),
}

# Actions that never depend on the drill's state (always shown, never refused).
ALWAYS = ("help", "quit", "injects")

CONSOLE_KEYS: list[BindingType] = [
    Binding("s", "start_step", "Start", id="start"),
    Binding("c", "complete_step", "Done", id="complete"),
    Binding("d", "decide", "Decide", id="decide"),
    Binding("k", "skip_step", "Skip", id="skip"),
    Binding("x", "tick", "Tick", id="tick"),
    Binding("n", "note", "Note", id="note"),
    Binding("D", "revise_decision", "Revise", id="revise-decision"),
    Binding("a", "amend_decision", "Amend", id="amend-decision", show=False),
    Binding("o", "reopen_step", "Reopen", id="reopen-step"),
    Binding("N", "correct_note", "Fix note", id="correct-note", show=False),
    Binding("w", "withdraw_inject", "Withdraw", id="withdraw-inject", show=False),
    Binding("i", "fire_next", "Inject", id="fire-next"),
    Binding("I", "fire_any", "Fire…", id="fire-any", show=False),
    Binding("A", "adhoc_inject", "Write inject", id="adhoc-inject", show=False),
    Binding("h", "set_service", "Service", id="set-service", show=False),
    Binding("p", "pause", "Pause", id="pause"),
    Binding("p", "resume", "Resume", id="resume"),
    Binding("j", "jump", "Jump", id="jump", show=False),
    Binding("e", "end", "End", id="end"),
    Binding("m", "next_module", "Next module", id="next-module", show=False),
    Binding("M", "module_questions", "Questions", id="module-questions", show=False),
    Binding("F", "feedback", "Feedback", id="feedback", show=False),
    Binding("v", "poll", "Poll", id="poll", show=False),
    Binding("g", "proposals", "Suggestions", id="proposals", show=False),
    Binding("r", "next_open", "Next ready", id="next-open", show=False),
    Binding("f1", "help", "Help", id="help"),
    Binding("q", "quit", "Quit", id="quit", show=False),
    Binding("escape", "focus_steps", "Steps", show=False),
    Binding("1", "pane('step')", "Step", show=False),
    Binding("2", "pane('services')", "Services", show=False),
    Binding("3", "injects", "Injects", show=False),
    Binding("4", "pane('log')", "Log", show=False),
    Binding("5", "pane('room')", "Room", show=False),
]
