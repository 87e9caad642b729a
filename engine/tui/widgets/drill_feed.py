"""The running log of what the team decided and what the evaluators noted, newest first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from engine.drill.state import CorrectionRecord, DrillState
from engine.drill.words import cut
from engine.tui import display
from engine.tui.widgets.pane_text import PaneText

NOTE_MARK = {"observation": "OBSERVED", "strength": "STRENGTH", "improvement": "IMPROVE"}


def feed_lines(state: DrillState) -> list[tuple[tuple[float, int], Content]]:
    """((t, seq), line) for each decision, note and skip the facilitator made."""
    out: list[tuple[tuple[float, int], Content]] = []
    revisions = {fix.seq for fix in state.corrections}
    for decision in state.decisions.values():
        if decision.seq in revisions:  # a revised decision: its REVISED line says both options
            continue
        step = state.plan.steps[decision.step]
        by = f" by {display.literal(decision.by)}" if decision.by else ""
        why = f": {display.literal(decision.rationale)}" if decision.rationale else ""
        out.append(((decision.t, decision.seq), Content.assemble(
            (display.clock(decision.t), "dim"), " ", ("DECIDED ", "bold"), display.literal(step.id), " → ",
            (display.literal(decision.option), "bold"), by, why)))
    for note in state.notes:
        about = f" [{display.literal(note.step.partition('/')[2])}]" if note.step else ""
        # Notes from the room's evaluators name their author; the facilitator's own go unsigned.
        who = f" by {display.literal(note.by, one_line=True)}:" if note.by and note.by != state.facilitator else ""
        extra = ""
        if note.action:
            extra = f" · action: {display.literal(note.action)}"
            extra += "".join(f" · {name}: {display.literal(value)}" for name, value in
                             (("element", note.element), ("owner", note.owner), ("due", note.due)) if value)
        out.append(((note.t, note.seq), Content.assemble(
            (display.clock(note.t), "dim"), " ", (NOTE_MARK.get(note.kind, note.kind.upper()), "bold"), about, who, " ",
            display.literal(note.text), (extra, "dim"))))
    for key, record in state.steps.items():
        if record.skipped_by == "facilitator" and record.skipped_t is not None:
            out.append(((record.skipped_t, -1), Content.assemble(
                (display.clock(record.skipped_t), "dim"), " ", ("SKIPPED ", "bold"),
                display.literal(key.partition("/")[2]),
                ": ", display.literal(record.skip_reason or ""))))
    out += [((fix.t, fix.seq), _correction(state, fix)) for fix in state.corrections]
    return out


FIX_MARK = {"decision.revised": "REVISED", "decision.amended": "AMENDED", "inject.withdrawn": "WITHDRAWN",
            "step.reopened": "REOPENED", "note.amended": "AMENDED", "note.withdrawn": "WITHDRAWN",
            "discussion.amended": "AMENDED", "discussion.withdrawn": "WITHDRAWN"}


def named(state: DrillState, fix: CorrectionRecord) -> str:
    """What a correction is about, in the facilitator's words: a step's id, an inject's id, or a note's or
    summary's text as first written (cut), never its event number alone."""
    if fix.kind.startswith("note."):
        text = next((n.text for n in state.notes if str(n.seq) == fix.subject), "")
        return f"note “{cut(text, 40)}”"
    if fix.kind.startswith("discussion."):
        text = next((s.text for s in state.summaries if str(s.seq) == fix.subject), "")
        return f"summary “{cut(text, 40)}”"
    return fix.subject.partition("/")[2] or fix.subject


def _correction(state: DrillState, fix: CorrectionRecord) -> Content:
    """`T+2:00:00 REVISED failover-decision: hold → fail-over by Dana: relay needed` (the original stays)."""
    what = {"decision.revised": f": {fix.old} → {fix.new}", "step.reopened": f" (was {fix.old})",
            "note.amended": f": now “{fix.new}”", "discussion.amended": f": now “{fix.new}”",
            "decision.amended": f": now {fix.new}, was {fix.old}"}.get(fix.kind, "")
    by = f" by {fix.by}" if fix.by else ""
    why = f": {fix.reason}" if fix.reason else ""
    return Content.assemble((display.clock(fix.t), "dim"), " ", (FIX_MARK.get(fix.kind, fix.kind), "bold"), " ",
                            display.literal(f"{named(state, fix)}{what}{by}{why}"))


class DrillFeed(VerticalScroll, can_focus=False):
    def compose(self) -> ComposeResult:
        yield PaneText()

    def show(self, state: DrillState) -> None:
        lines = [line for _, line in sorted(feed_lines(state), key=lambda pair: pair[0], reverse=True)]
        self.query_one(PaneText).show(
            Content("\n").join(lines) if lines
            else Content("No decisions or notes yet: d records a decision, n a note."))
