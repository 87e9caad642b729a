"""The console's module actions: move on to the next module (asks first), and show the current one's questions.

Kept apart from the console screen so it stays a few lines there. Moving on is
Drill.next_module: ordinary drill events, a clock jump to the next module's
start with the injects due by then, or, for a module without a scheduled
start, its own injects fired by hand (engine.drill.modules.move_on).
"""

from __future__ import annotations

from typing import Any

from engine.drill import modules
from engine.drill.state import DrillState

MODULE_ACTIONS = ("next_module", "module_questions")


def refusal(state: DrillState, now_t: float, action: str) -> str | None:
    """Why a module action does not apply now (None: it does)."""
    if state.ended:
        return "the drill has ended"
    where = modules.view(state, now_t)
    if where is None:
        return "this scenario has no modules"
    if action == "next_module" and where.following is None:
        return "this is the last module"
    if action == "module_questions" and where.current is None:
        return "no module has started yet"
    return None


def next_module(screen: Any) -> None:
    """Ask, then move the exercise on to the next module. The confirmation and the move share one account
    (engine.drill.modules.move_on), so it names exactly the injects that fire."""
    from engine.tui.screens.confirm import ConfirmScreen

    drill, app = screen.drill, screen.drill_app
    move = modules.move_on(drill.state, drill.now_t())
    if move is None:
        return
    how = f"The clock jumps to {_hm(move.target_t)}" if move.target_t is not None else "The clock stays where it is"
    body = (f"{how} and these injects fire: {', '.join(move.injects) or 'none'}. "
            "Discussion of the current module ends here.")

    def done(yes: bool | None) -> None:
        if not yes:
            return
        before = drill.state.seq
        app.perform(drill.next_module)  # a refusal part way is reported; what was written is announced
        app.pending += [i for i, f in drill.state.fired.items() if f.seq > before]
        app.tick()

    app.push_screen(ConfirmScreen(f"Move on to {move.module.title}?", body, "Next module"), done)


def show_questions(screen: Any) -> None:
    from engine.tui.screens.module_questions import ModuleQuestionsScreen

    where = modules.view(screen.drill.state, screen.drill.now_t())
    if where is not None and where.current is not None and where.index is not None:
        screen.app.push_screen(ModuleQuestionsScreen(where.current, f"Module {where.index + 1}/{where.total}"))


def _hm(seconds: int) -> str:
    return f"T+{seconds // 3600}:{seconds % 3600 // 60:02d}"
