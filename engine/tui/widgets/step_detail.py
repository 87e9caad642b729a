"""The focused step in full: title, owner, what it needs and requires, its checklist, the decision.

One OptionList: the checklist items are its options (Enter, space or a click
ticks the highlighted one); everything else is text in disabled options
around them. Being one widget of fixed size, moving between steps redraws it
without laying out the screen again.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.controls import objective_text
from engine.drill import timed
from engine.drill.plan import Opener, PlanStep
from engine.drill.state import DrillState, StepStatus
from engine.tui import display
from engine.tui.widgets.step_table import RUNBOOK_PREFIX, spent

Part = str | Content | tuple[str, str]
ITEM = "item-"  # option ids of checklist items: item-0, item-1, ...


def _short(key: str, runbook: str) -> str:
    """A step key without its runbook when it is the runbook in view."""
    own, _, step = key.partition("/")
    return step if own == runbook else key


def _text(lines: list[Content]) -> Option:
    return Option(Content("\n").join(lines), disabled=True)


class StepDetail(OptionList):
    BINDINGS = [Binding("space", "select", "Tick", show=False)]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[object, ...] | None = None
        self._step: str | None = None
        self._items: list[str] = []

    @property
    def has_checklist(self) -> bool:
        return bool(self._items)

    def item(self) -> int | None:
        """The checklist item under the highlight, if any."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return int(option_id.removeprefix(ITEM)) if option_id.startswith(ITEM) else None

    def show(self, state: DrillState, key: str | None, now_t: float) -> None:
        step = state.plan.steps.get(key or "")
        if step is None:
            options = [_text(self._runbook(state, key[len(RUNBOOK_PREFIX):] if key else None))]
            items: list[str] = []
        else:
            record = state.steps[step.key]
            items = step.do
            options = [_text(self._head(state, step, now_t))]
            if items:
                options.append(_text([Content.styled(f"\nChecklist {len(record.ticks)}/{len(items)}", "bold")]))
                options += [Option(self._item(text, i in record.ticks), id=f"{ITEM}{i}")
                            for i, text in enumerate(items)]
            tail = self._tail(state, step, now_t)
            if tail:
                options.append(_text(tail))
        shown = tuple(str(o.prompt) for o in options)
        if shown == self._shown:
            return
        # In the checklist, the highlight stays put; from the steps table, it rests on the next open item
        # (the one x ticks).
        keep = self.highlighted if key == self._step and self.has_focus else None
        self._shown, self._step, self._items = shown, key, list(items)
        self.set_options(options)
        if items:
            ticks = state.steps[step.key].ticks if step else set()
            first_open = next((i for i in range(len(items)) if i not in ticks), 0)
            self.highlighted = keep if keep is not None else self._index_of(first_open)

    def action_cursor_down(self) -> None:
        """Down past the last item stays there (the OptionList would wrap to the first: a surprise
        that unticks the wrong item)."""
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        item = self.item()
        target = 0 if item is None else item + step
        if self._items and 0 <= target < len(self._items):
            self.highlighted = self._index_of(target)
        elif self._items and item is None:
            self.highlighted = self._index_of(0)
        else:  # at an end: scroll the text beyond the checklist into view instead
            self.scroll_relative(y=step, animate=False)

    def _index_of(self, item: int) -> int:
        return self.get_option_index(f"{ITEM}{item}")

    @staticmethod
    def _item(text: str, ticked: bool) -> Content:
        return Content.assemble(("[x] " if ticked else "[ ] ", "bold"), display.literal(text, one_line=True))

    def _head(self, state: DrillState, step: PlanStep, now_t: float) -> list[Content]:
        status = state.status(step.key)
        record = state.steps[step.key]
        lines = [
            Content.assemble((display.state_label(status), display.STATE_STYLE[status] or "bold"), "  ",
                             (display.literal(step.id), "dim"), ("  in ", "dim"),
                             (display.literal(step.runbook), "dim")),
            display.content(step.title, "bold"),
        ]
        who = "nobody named"
        if step.owner:
            name = state.participants.get(step.owner)
            who = f"{step.owner} ({name})" if name else step.owner
        taken = spent(state, step.key, now_t)
        timing = f"target {display.span(step.target)}" if step.target is not None else "no target"
        if taken is not None:
            over = " — over target" if step.target and taken > step.target else ""
            timing = f"{display.span(taken)} spent, {timing}{over}"
        lines.append(Content.assemble("Owner: ", display.literal(who), "  ·  ", timing))
        if record.off_branch:
            lines.append(Content.assemble(("Off the branch: ", "bold"), display.literal(record.off_branch)))
        if status is StepStatus.SKIPPED and record.skip_reason:
            lines.append(Content.assemble(("Skipped: ", "bold"), display.literal(record.skip_reason)))
        if status is StepStatus.DORMANT:
            openers = "; ".join(self._opener(o, step.runbook) for o in step.openers)
            lines.append(Content.assemble(("Opens when: ", "bold"), openers))
        if step.needs:
            needs = [f"{display.STATE_GLYPH[state.status(n)]} {_short(n, step.runbook)} ({state.status(n).value})"
                     for n in step.needs]
            lines.append(Content.assemble(("Needs: ", "bold"), display.literal(", ".join(needs))))
        if step.requires:
            services = [f"{display.HEALTH_GLYPH[state.services.get(s, 'up')]} {s} ({state.services.get(s, 'up')})"
                        for s in step.requires]
            lines.append(Content.assemble(("Requires: ", "bold"), display.literal(", ".join(services))))
        if step.fallback:
            lines.append(Content.assemble(("Fallback: ", "bold"), display.literal(_short(step.fallback, step.runbook))))
        if step.objectives:
            objectives = ", ".join(_short(o, step.runbook) for o in step.objectives)
            lines.append(Content.assemble(("Objectives: ", "bold"), display.literal(objectives)))
        return lines

    @staticmethod
    def _opener(opener: Opener, runbook: str) -> str:
        source = display.literal(_short(opener.source, runbook))
        if opener.kind == "next":
            return f"option `{opener.option}` of {source} is chosen"
        if opener.kind == "fallback":
            return f"{source} is blocked (this is its fallback)"
        return f"an inject brings event `{source}`"

    def _tail(self, state: DrillState, step: PlanStep, now_t: float) -> list[Content]:
        """The decision, then the step's guidance: below the checklist, which is what the room works through."""
        lines = self._decision(state, step)
        if lines and step.within is not None:
            lines.append(time_limit(state, step, now_t))
        runbook = next((r for r in state.plan.runbooks if r.runbook == step.runbook), None)
        source = runbook.steps.get(step.id) if runbook else None
        summary = (getattr(source, "summary", None) or "").strip()
        if summary:
            lines += [Content(""), display.content(summary, "italic")]
        return lines

    def _decision(self, state: DrillState, step: PlanStep) -> list[Content]:
        if not step.options:
            return []
        lines = [Content(""), Content.assemble(("Decision: ", "bold"), display.literal(step.question or ""))]
        chosen = state.decisions.get(step.key)
        for option, targets in step.options.items():
            mark = "●" if chosen and chosen.option == option else "○"
            opens = ", ".join(_short(t, step.runbook) for t in targets)
            lines.append(Content.assemble(
                f" {mark} ", (display.literal(option), "bold"), ": ", display.literal(step.labels.get(option, option)),
                (f" → {display.literal(opens)}", "dim")))
        if chosen:
            by = f" by {display.literal(chosen.by)}" if chosen.by else ""
            lines.append(Content.assemble(("Chosen: ", "bold"), display.literal(chosen.option),
                                          f" at {display.clock(chosen.t)}{by}"))
            if chosen.rationale:
                lines.append(Content.assemble(("Why: ", "bold"), display.literal(chosen.rationale)))
            for fix in (c for c in state.corrections if c.kind == "decision.revised" and c.subject == step.key):
                lines.append(Content.assemble(("Revised: ", "bold"), display.literal(f"`{fix.old}` → `{fix.new}`"),
                                              f" at {display.clock(fix.t)}", (" (both stay in the log)", "dim")))
        return lines

    def _runbook(self, state: DrillState, runbook_id: str | None) -> list[Content]:
        runbook = next((r for r in state.plan.runbooks if r.runbook == runbook_id), None)
        if runbook is None:
            return [Content("No step selected.")]
        keys = [k for k, s in state.plan.steps.items() if s.runbook == runbook.runbook]
        counts: dict[StepStatus, int] = {}
        for key in keys:
            counts[state.status(key)] = counts.get(state.status(key), 0) + 1
        tally = ", ".join(f"{n} {status.value}" for status, n in counts.items())
        lines = [Content.assemble(("Runbook ", "dim"), (display.literal(runbook.runbook), "dim")),
                 display.content(runbook.title, "bold"),
                 Content(f"{len(keys)} steps: {tally}")]
        if runbook.summary:
            lines += [Content(""), display.content(runbook.summary.strip(), "italic")]
        if runbook.objectives:
            lines += [Content(""), Content.styled("Objectives", "bold")]
            lines += [Content.assemble(" • ", display.literal(objective_text(entry)))
                      for entry in runbook.objectives.values()]
        return lines


def time_limit(state: DrillState, step: PlanStep, now_t: float) -> Content:
    """A timed decision's countdown in words: the time left and the default, or that it fell to the default."""
    limit, default = display.span(step.within), display.literal(step.default or "")
    chosen = state.decisions.get(step.key)
    if chosen is not None:
        if chosen.fell_to_default:
            return Content.assemble(("Time ran out: ", "bold"), f"nobody decided within {limit}, so `{default}` "
                                    "was taken (D revises it)")
        if any(c.kind == "decision.revised" and c.subject == step.key for c in state.corrections):
            return Content.assemble(("Time limit: ", "bold"), limit)
        ready = state.ready_t.get(step.key)
        late = ready is not None and step.within is not None and chosen.t > ready + step.within + timed.EPSILON
        return Content.assemble(("Time limit: ", "bold"), f"{limit}, decided {'after it' if late else 'in time'}")
    left = timed.left(state, step.key, now_t)
    if left is None:
        return Content.assemble(("Time limit: ", "bold"), f"{limit} from when it is ready; then `{default}` is taken")
    if left <= 0:
        return Content.assemble(("Time is up: ", "bold red"), f"`{default}` is taken once the step is unblocked")
    return Content.assemble(("Time left: ", "bold"), (display.countdown(left), "bold"),
                            f" of {limit}; then `{default}` is taken")


def fallen_notice(step: PlanStep) -> str:
    """What the console says when the clock takes a timed decision's default."""
    return (f"Nobody decided {step.id} within {display.span(step.within)}: the default `{step.default}` was taken. "
            "Put the cursor on it and press D to revise it.")
