"""The focused step in full: title, owner, what it needs and requires, the decision, the checklist."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.drill.plan import Opener, PlanStep
from engine.drill.state import DrillState, StepStatus
from engine.tui import display
from engine.tui.widgets.checklist import Checklist
from engine.tui.widgets.step_table import RUNBOOK_PREFIX, spent

Part = str | Content | tuple[str, str]


def _short(key: str, runbook: str) -> str:
    """A step key without its runbook when it is the runbook in view."""
    own, _, step = key.partition("/")
    return step if own == runbook else key


def _line(*parts: Part) -> Content:
    return Content.assemble(*parts, end="\n")


class StepDetail(VerticalScroll, can_focus=False):
    def compose(self) -> ComposeResult:
        yield Static(id="detail-head", markup=False)
        yield Checklist(id="checklist")
        yield Static(id="detail-tail", markup=False)

    def show(self, state: DrillState, key: str | None, now_t: float) -> None:
        head = self.query_one("#detail-head", Static)
        tail = self.query_one("#detail-tail", Static)
        checklist = self.query_one(Checklist)
        step = state.plan.steps.get(key or "")
        if step is None:
            checklist.show(None, [], set())
            head.update(self._runbook(state, key[len(RUNBOOK_PREFIX):] if key else None))
            tail.update("")
            return
        head.update(self._head(state, step, now_t))
        record = state.steps[step.key]
        ticked = len(record.ticks)
        checklist.show(step.key, step.do, record.ticks)
        tail.update(Content.assemble(*self._tail(state, step)))
        if step.do:
            checklist.border_title = f"Checklist {ticked}/{len(step.do)}"

    def _head(self, state: DrillState, step: PlanStep, now_t: float) -> Content:
        status = state.status(step.key)
        record = state.steps[step.key]
        lines: list[Content] = [
            _line((display.state_label(status), display.STATE_STYLE[status] or "bold"), "  ",
                  (display.literal(step.id), "dim"), ("  in ", "dim"), (display.literal(step.runbook), "dim")),
            _line((display.literal(step.title), "bold")),
        ]
        who = ""
        if step.owner:
            name = state.participants.get(step.owner)
            who = f"{step.owner} ({name})" if name else step.owner
        taken = spent(state, step.key, now_t)
        timing = f"target {display.span(step.target)}" if step.target is not None else "no target"
        if taken is not None:
            timing = f"{display.span(taken)} spent, {timing}" + (" — over target" if step.target and taken > step.target
                                                              else "")
        lines.append(_line("Owner: ", display.literal(who or "nobody named"), "  ·  ", timing))
        if status is StepStatus.SKIPPED and record.skip_reason:
            lines.append(_line(("Skipped: ", "bold"), display.literal(record.skip_reason)))
        if status is StepStatus.DORMANT:
            openers = "; ".join(self._opener(o, step.runbook) for o in step.openers)
            lines.append(_line(("Opens when: ", "bold"), openers))
        if step.needs:
            needs = [f"{display.STATE_GLYPH[state.status(n)]} {_short(n, step.runbook)} ({state.status(n).value})"
                     for n in step.needs]
            lines.append(_line(("Needs: ", "bold"), display.literal(", ".join(needs))))
        if step.requires:
            services = [f"{display.HEALTH_GLYPH[state.services.get(s, 'up')]} {s} ({state.services.get(s, 'up')})"
                        for s in step.requires]
            lines.append(_line(("Requires: ", "bold"), display.literal(", ".join(services))))
        if step.fallback:
            lines.append(_line(("Fallback: ", "bold"), display.literal(_short(step.fallback, step.runbook))))
        if step.objectives:
            lines.append(_line(("Objectives: ", "bold"),
                               display.literal(", ".join(_short(o, step.runbook) for o in step.objectives))))
        return Content("").join(lines).rstrip()

    @staticmethod
    def _summary(state: DrillState, step: PlanStep) -> str:
        runbook = next((r for r in state.plan.runbooks if r.runbook == step.runbook), None)
        source = runbook.steps.get(step.id) if runbook else None
        return (getattr(source, "summary", None) or "").strip()

    @staticmethod
    def _opener(opener: Opener, runbook: str) -> str:
        source = display.literal(_short(opener.source, runbook))
        if opener.kind == "next":
            return f"option `{opener.option}` of {source} is chosen"
        if opener.kind == "fallback":
            return f"{source} is blocked (this is its fallback)"
        return f"an inject brings event `{source}`"

    def _tail(self, state: DrillState, step: PlanStep) -> list[Part]:
        """The decision, then the step's guidance: below the checklist, which is what the room works through."""
        parts: list[Part] = self._decision(state, step)
        summary = self._summary(state, step)
        if summary:
            parts += ["\n", (display.literal(summary), "italic")]
        return parts

    def _decision(self, state: DrillState, step: PlanStep) -> list[Part]:
        if not step.options:
            return []
        parts: list[Part] = [("\nDecision: ", "bold"), display.literal(step.question or ""), "\n"]
        chosen = state.decisions.get(step.key)
        for option, targets in step.options.items():
            mark = "●" if chosen and chosen.option == option else "○"
            opens = ", ".join(_short(t, step.runbook) for t in targets)
            parts += [f" {mark} ", (display.literal(option), "bold"), ": ",
                      display.literal(step.labels.get(option, option)), (f" → {display.literal(opens)}", "dim"), "\n"]
        if chosen:
            by = f" by {display.literal(chosen.by)}" if chosen.by else ""
            parts += [("Chosen: ", "bold"), display.literal(chosen.option), f" at {display.clock(chosen.t)}{by}"]
            if chosen.rationale:
                parts += ["\n", ("Why: ", "bold"), display.literal(chosen.rationale)]
            parts.append("\n")
        return parts

    def _runbook(self, state: DrillState, runbook_id: str | None) -> Content:
        runbook = next((r for r in state.plan.runbooks if r.runbook == runbook_id), None)
        if runbook is None:
            return Content("No step selected.")
        keys = [k for k, s in state.plan.steps.items() if s.runbook == runbook.runbook]
        counts: dict[StepStatus, int] = {}
        for key in keys:
            counts[state.status(key)] = counts.get(state.status(key), 0) + 1
        tally = ", ".join(f"{n} {status.value}" for status, n in counts.items())
        lines = [_line(("Runbook ", "dim"), (display.literal(runbook.runbook), "dim")),
                 _line((display.literal(runbook.title), "bold")),
                 _line(f"{len(keys)} steps: ", tally)]
        if runbook.summary:
            lines.append(_line("\n", (display.literal(runbook.summary.strip()), "italic")))
        if runbook.objectives:
            lines.append(_line(("\nObjectives", "bold")))
            lines += [_line(" • ", display.literal(text)) for text in runbook.objectives.values()]
        return Content("").join(lines).rstrip()
