"""The participants' suggestions (proposal.made), newest first, each under the name and role of the seat that
sent it. Enter takes one (proposal.taken): a decision option opens the decision form with that option marked
and the reason as the rationale; a written answer opens the discussion summary form with its text. Taking
records nothing else: the facilitator still reads, changes and records the decision or the summary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.drill.clock import format_t
from engine.drill.records import ProposalRecord
from engine.drill.state import StepStatus
from engine.tui import display
from engine.tui.screens.dialog import Dialog


def label(proposal: ProposalRecord) -> Content:
    """`T+0:40 Bo (messaging-lead) on failover-decision: hold — reason`, literal; a taken one says so."""
    on = f"{proposal.step.partition('/')[2]}: {proposal.option}" if proposal.step else \
        f"{proposal.module} / {proposal.question}"
    taken = " (taken)" if proposal.taken_t is not None else ""
    return Content.assemble((f"{format_t(proposal.t)} ", "dim"),
                            (display.literal(proposal.name, one_line=True), "bold"),
                            f" ({display.literal(proposal.role)}) on {display.literal(on, one_line=True)}{taken}",
                            "\n   ", display.literal(proposal.text, one_line=True))


class ProposalsScreen(Dialog[None]):
    BINDINGS = [Binding("escape", "dismiss", "Back")]

    def compose(self) -> ComposeResult:
        proposals = list(reversed(self.app.drill.state.proposals))  # type: ignore[attr-defined]
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Suggestions from the room", "bold"), classes="dialog-title")
            yield OptionList(*(Option(label(p), id=str(p.seq), disabled=p.taken_t is not None) for p in proposals),
                             id="proposals")
            yield Static(id="problem", classes="problem", markup=False)
            yield Static(Content.styled("↑↓: choose · Enter: take it into the decision or the summary · Esc: back",
                                        "dim"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#proposals", OptionList))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        app = self.app
        drill = app.drill  # type: ignore[attr-defined]
        proposal = drill.state.proposal(int(event.option.id or -1))
        if proposal is None:
            return
        problem = self.query_one("#problem", Static)
        if proposal.step and drill.state.status(proposal.step) not in (StepStatus.READY, StepStatus.ACTIVE):
            status = drill.state.status(proposal.step)
            problem.update(f"Decision {proposal.step} is {status}: it can no longer take it.")
            return
        if not app.perform(lambda: drill.take_proposal(proposal.seq, drill.state.facilitator or ""),  # type: ignore[attr-defined]
                           report=problem.update):
            return
        self.dismiss(None)
        if proposal.step:
            from engine.tui.screens.decide import DecideScreen

            form = DecideScreen(drill.plan.steps[proposal.step])
            form.prefill = (proposal.option, proposal.text)
            app.push_screen(form)
        else:
            from engine.tui.screens.discussion import DiscussionSummaryScreen

            module = next(m for m in drill.plan.scenario.modules if m.id == proposal.module)
            index = next(i for i, q in enumerate(module.questions) if q.id == proposal.question)
            summary = DiscussionSummaryScreen(module, module.questions[index], index + 1)
            summary.prefill = proposal.text
            app.push_screen(summary)
