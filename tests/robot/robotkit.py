"""The facilitator robot's hands: a project folder to drill in, and every action a facilitator (the console),
an evaluator or a participant (the room) can take, each drawn from those valid at that moment.

Not a test module. The actions go through the `Drill` API only (engine.drill.session), as the console and
the room do; moving on to the next module is done as the console's `m` does it (engine.tui.module_actions):
a clock jump to the module's start, or its opening injects fired by hand.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from robotdraw import SECRET, Drawn

from engine.drill import events as ev
from engine.drill import modules, timed
from engine.drill.clock import FakeClock
from engine.drill.plan import Plan
from engine.drill.session import Drill
from engine.drill.state import StepStatus
from engine.feedback import QUESTIONS, STATEMENTS
from engine.plans import load_plan

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
T0 = datetime(2026, 1, 22, 19, 33, tzinfo=UTC)
TODAY = "2026-12-31"  # readiness and plan status count days to here
PROGRESS = 12  # how many times over starting, finishing and deciding a step are listed among the actions

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda s: bool(s.strip()))
SECRET_TEXT = TEXT.map(lambda s: f"{SECRET} {s}")  # notes: the participants must never see them
WHO = st.sampled_from(["", "Sam", "Eve the evaluator"])
SEAT_NAME = st.sampled_from(["Ann", "Bo <b>", "[bold]Cy[/]", "Dee | Ek"])  # markup of three kinds, inert
ANSWER = st.sampled_from(["Hold", "Fail over <b>now</b>", "[bold]Wait[/]", "Call | the vendor", "Ask the COO"])

Action = Callable[[st.DataObject], Any]


def shipped_project(folder: Path) -> Path:
    """A copy of the shipped runbooks and scenarios in `folder`, with an empty improvement plan folder."""
    for part in ("runbooks", "scenarios"):
        shutil.copytree(ROOT / part, folder / part)
    (folder / "improvements").mkdir()
    return folder


def drawn_project(folder: Path, case: Drawn) -> Path:
    """A project in `folder` holding the drawn runbook and scenario (runbooks/rb.yaml, scenarios/sc.yaml)."""
    for part in ("runbooks", "scenarios", "improvements"):
        (folder / part).mkdir(parents=True)
    (folder / "runbooks" / "rb.yaml").write_text(case.runbook, encoding="utf-8")
    (folder / "scenarios" / "sc.yaml").write_text(case.scenario, encoding="utf-8")
    return folder


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Work in `folder` (the project), as a facilitator who runs tabletop there does."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def load(scenario: str) -> Plan:
    """The plan of scenarios/`scenario` with the project's runbooks, named relative to the project (the
    current folder) as `tabletop play` names them."""
    return load_plan(f"scenarios/{scenario}", ["runbooks"])


def next_module(drill: Drill) -> bool:
    """Move on to the next module as the console's `m` does (or the Drill's own action, once it has one);
    False when there is no next module."""
    own = getattr(drill, "next_module", None)
    if callable(own):
        own()
        return True
    where = modules.view(drill.state, drill.now_t())
    if where is None or where.following is None:
        return False
    target = where.following_t
    if target is not None and target > drill.now_t():
        drill.jump(target)
        drill.fire_due()
        return True
    for inject_id in modules.opening_injects(drill.state, where.following):
        drill.fire(inject_id, manual=True)
    return True


class Facilitator:
    """Every action on a drill, each drawing its details; `valid()` lists those that apply now."""

    def __init__(self, drill: Drill, clock: FakeClock) -> None:
        self.drill, self.clock = drill, clock

    @property
    def state(self) -> Any:
        return self.drill.state

    def valid(self) -> list[tuple[str, Action]]:
        """(name, action) for every kind of action that applies now; after the end only the hot wash and
        corrections of notes and summaries go on."""
        out = self._any_time()
        if self.state.ended:
            return out
        out += self._clock() + self._steps() + self._injects() + self._corrections()
        out.append(("end", lambda d: self.drill.end(d.draw(st.sampled_from(["", "Time is up."])))))
        return out

    def _any_time(self) -> list[tuple[str, Action]]:
        drill, state, plan = self.drill, self.state, self.drill.plan
        out: list[tuple[str, Action]] = [
            ("note", lambda d: drill.note(d.draw(st.sampled_from(ev.NOTE_KINDS)), d.draw(SECRET_TEXT),
                                          d.draw(st.none() | st.sampled_from(list(plan.steps))), d.draw(WHO))),
            ("answer", lambda d: drill.answer(d.draw(st.sampled_from(["What went well?", "What next?"])),
                                              d.draw(TEXT))),
        ]
        if plan.objectives:
            objectives = sorted(plan.objectives)
            out.append(("rate", lambda d: drill.rate(d.draw(st.sampled_from(objectives)),
                                                     d.draw(st.sampled_from(sorted(ev.RATINGS))), d.draw(TEXT))))
            out.append(("observation", lambda d: drill.note(
                d.draw(st.sampled_from(ev.NOTE_KINDS)), d.draw(SECRET_TEXT), None, "Eve the evaluator",
                objective=d.draw(st.sampled_from(objectives)))))
            out.append(("improvement", lambda d: drill.note(
                "improvement", d.draw(SECRET_TEXT), d.draw(st.sampled_from(list(plan.steps))), d.draw(WHO),
                action=d.draw(TEXT), element="training", owner=d.draw(st.sampled_from(["", "Ops lead"])),
                due="2027-01-31")))
        notes = sorted({n.seq for n in state.notes} - state.withdrawn_notes())
        if notes:
            out.append(("amend note", lambda d: drill.amend_note(d.draw(st.sampled_from(notes)),
                                                                 d.draw(SECRET_TEXT), d.draw(WHO))))
            out.append(("withdraw note", lambda d: drill.withdraw_note(d.draw(st.sampled_from(notes)),
                                                                       d.draw(TEXT), d.draw(WHO))))
        questions = [(m.id, q.id) for m in plan.scenario.modules for q in m.questions]
        if questions:
            def summarise(d: st.DataObject) -> None:
                module, question = d.draw(st.sampled_from(questions))
                drill.summarise(module, question, d.draw(TEXT), d.draw(WHO))
            out.append(("summary", summarise))
        summaries = sorted({s.seq for s in state.summaries} - state.withdrawn_summaries())
        if summaries:
            out.append(("amend summary", lambda d: drill.amend_summary(d.draw(st.sampled_from(summaries)),
                                                                       d.draw(TEXT), d.draw(WHO))))
            out.append(("withdraw summary", lambda d: drill.withdraw_summary(d.draw(st.sampled_from(summaries)),
                                                                             d.draw(TEXT), d.draw(WHO))))
        out.append(("feedback form", self._feedback_form))
        if state.feedback_open:
            out.append(("feedback", self._feedback))
        out.append(("join", self._join))
        if state.seated:
            out.append(("leave", lambda d: drill.leave(d.draw(st.sampled_from(sorted(state.seated))))))
        return out + self._room()

    def _room(self) -> list[tuple[str, Action]]:
        """Polls and proposals: open, answer (and answer again), show and close a poll; propose; take one."""
        drill, state = self.drill, self.state
        out: list[tuple[str, Action]] = []
        poll = state.open_poll()
        if poll is None:
            out.append(("open poll", self._open_poll))
        elif state.seated and not (poll.step and state.status(poll.step) in (StepStatus.DONE, StepStatus.SKIPPED)):
            def answer(d: st.DataObject) -> None:
                choices = st.sampled_from(list(poll.options)) if poll.options else ANSWER
                drill.answer_poll(poll.poll, d.draw(st.sampled_from(sorted(state.seated))), d.draw(choices))
            out += [("answer poll", answer)] * 3
        if poll is not None:
            out.append(("close poll", lambda d: drill.close_poll(poll.poll, d.draw(WHO))))
        hidden = [p.poll for p in state.polls.values() if p.revealed_t is None]
        if hidden:
            out.append(("reveal poll", lambda d: drill.reveal_poll(d.draw(st.sampled_from(hidden)), d.draw(WHO))))
        targets = self._proposable()
        if state.seated and targets:
            def propose(d: st.DataObject) -> None:
                target = d.draw(st.sampled_from(targets))
                seat = d.draw(st.sampled_from(sorted(state.seated)))
                if target[0] == "decision":
                    drill.propose(seat, d.draw(ANSWER), step=target[1], option=target[2])
                else:
                    drill.propose(seat, d.draw(ANSWER), module=target[1], question=target[2])
            out.append(("propose", propose))
        untaken = [p.seq for p in state.proposals if p.taken_t is None]
        if untaken:
            out.append(("take proposal", lambda d: drill.take_proposal(d.draw(st.sampled_from(untaken)), d.draw(WHO))))
        return out

    def _proposable(self) -> list[tuple[str, str, str]]:
        state, plan = self.state, self.drill.plan
        out = [("question", m.id, q.id) for m in plan.scenario.modules for q in m.questions]
        if not state.ended:
            out += [("decision", key, option) for key, step in plan.steps.items() if step.options
                    and state.status(key) in (StepStatus.READY, StepStatus.ACTIVE) for option in step.options]
        return out

    def _open_poll(self, d: st.DataObject) -> None:
        """A poll on a ready decision, on a module question, with options typed now, or free text."""
        drill, plan = self.drill, self.drill.plan
        ready = [k for k, step in plan.steps.items() if step.options and not self.state.ended
                 and self.state.status(k) in (StepStatus.READY, StepStatus.ACTIVE)]
        questions = [(m.id, q.id, q.ask) for m in plan.scenario.modules for q in m.questions if len(q.ask) <= 300]
        kinds = ["typed", "free", *(["decision"] if ready else []), *(["question"] if questions else [])]
        kind = d.draw(st.sampled_from(kinds))
        if kind == "decision":
            drill.open_poll(d.draw(ANSWER), step=d.draw(st.sampled_from(ready)), by=d.draw(WHO))
        elif kind == "question":
            module, question, ask = d.draw(st.sampled_from(questions))
            drill.open_poll(ask, module=module, question=question, by=d.draw(WHO))
        else:
            options = d.draw(st.lists(ANSWER, min_size=2, max_size=4, unique=True)) if kind == "typed" else []
            drill.open_poll(d.draw(ANSWER), options, by=d.draw(WHO))

    def _join(self, d: st.DataObject) -> None:
        """A new seat, or one that left joining again (under another name or role, it may be)."""
        gone = sorted({a.seat for a in self.state.attendance} - set(self.state.seated))
        seat = d.draw(st.sampled_from([f"seat-{len(self.state.attendance) + 1}", *gone]))
        self.drill.join(seat, d.draw(SEAT_NAME), d.draw(st.sampled_from(self.drill.plan.roles)))

    def _feedback_form(self, d: st.DataObject) -> None:
        if self.state.feedback_open:
            self.drill.close_feedback(d.draw(WHO))
        else:
            self.drill.open_feedback(d.draw(WHO))

    def _feedback(self, d: st.DataObject) -> None:
        ratings = d.draw(st.dictionaries(st.sampled_from([s.id for s in STATEMENTS]), st.integers(1, 5)))
        answers = d.draw(st.dictionaries(st.sampled_from([q.id for q in QUESTIONS]), TEXT, max_size=2))
        respondent = f"p{len(self.state.feedback) + 1}"
        self.drill.submit_feedback(ratings, answers, respondent=respondent, name=d.draw(WHO), role="lead")

    def _clock(self) -> list[tuple[str, Action]]:
        drill, clock = self.drill, self.clock
        out: list[tuple[str, Action]] = [
            ("wait", lambda d: clock.advance(d.draw(st.integers(0, 3_600_000)) / 1000)),
            ("jump", lambda d: drill.jump(drill.now_t() + d.draw(st.integers(1, 7200)))),
            ("pause", lambda d: drill.pause()) if self.state.running else ("resume", lambda d: drill.resume_clock()),
        ]
        where = modules.view(self.state, drill.now_t())
        if where is not None and where.following is not None:
            out.append(("next module", lambda d: next_module(drill)))
        if self.state.due(drill.now_t()):
            out += [("fire due", lambda d: drill.fire_due())] * 2
        if timed.due(self.state, drill.now_t()):  # as the console's tick does: a timed decision falls to its default
            out += [("take defaults", lambda d: drill.take_defaults())] * PROGRESS
        return out

    def _steps(self) -> list[tuple[str, Action]]:
        drill, state, plan = self.drill, self.state, self.drill.plan
        statuses = state.statuses()
        ready = [k for k, s in statuses.items() if s is StepStatus.READY]
        doable = [k for k, s in statuses.items() if s in (StepStatus.READY, StepStatus.ACTIVE)]
        finishable = [k for k in doable if not plan.steps[k].options]
        decidable = [k for k in doable if plan.steps[k].options]
        skippable = [k for k, s in statuses.items() if s not in (StepStatus.DONE, StepStatus.SKIPPED)]
        checklists = [k for k, step in plan.steps.items() if step.do]
        out: list[tuple[str, Action]] = []
        # Moving the drill on is listed PROGRESS times over, so random drills get somewhere.
        if ready:
            out += [("start", lambda d: drill.start_step(d.draw(st.sampled_from(ready))))] * PROGRESS
        if finishable:
            out += [("done", lambda d: drill.complete_step(d.draw(st.sampled_from(finishable))))] * PROGRESS
        if decidable:
            def decide(d: st.DataObject) -> None:
                key = d.draw(st.sampled_from(decidable))
                polls = [p.poll for p in state.polls.values() if p.step in ("", key)]  # a poll it may cite
                drill.decide(key, d.draw(st.sampled_from(list(plan.steps[key].options or {}))), d.draw(TEXT),
                             d.draw(WHO), poll=d.draw(st.none() | st.sampled_from(polls)) if polls else None)
            out += [("decide", decide)] * PROGRESS
        if skippable:
            out.append(("skip", lambda d: drill.skip_step(d.draw(st.sampled_from(skippable)), d.draw(TEXT))))
        if checklists:
            def tick(d: st.DataObject) -> None:
                key = d.draw(st.sampled_from(checklists))
                drill.tick(key, d.draw(st.integers(0, len(plan.steps[key].do) - 1)), d.draw(st.booleans()))
            out.append(("tick", tick))
        return out

    def _injects(self) -> list[tuple[str, Action]]:
        drill, state, plan = self.drill, self.state, self.drill.plan
        unfired = [i.id for i in plan.injects if i.id not in state.fired]
        out: list[tuple[str, Action]] = []
        if unfired:
            out.append(("fire", lambda d: drill.fire(d.draw(st.sampled_from(unfired)), manual=d.draw(st.booleans()))))
        out.append(("service", lambda d: drill.set_service(d.draw(st.sampled_from(sorted(plan.services))),
                                                           d.draw(st.sampled_from(ev.HEALTH)))))
        roles = sorted({s.owner for s in plan.steps.values() if s.owner}) or ["lead"]
        out.append(("adhoc", lambda d: drill.adhoc(
            d.draw(TEXT), d.draw(st.lists(st.sampled_from(roles), max_size=2, unique=True)),
            d.draw(st.dictionaries(st.sampled_from(sorted(plan.services)), st.sampled_from(ev.HEALTH), max_size=2)),
            d.draw(st.none() | st.sampled_from(["alarm", "quake"])), d.draw(WHO))))
        return out

    def _corrections(self) -> list[tuple[str, Action]]:
        drill, state, plan = self.drill, self.state, self.drill.plan
        out: list[tuple[str, Action]] = []
        revisable = [(k, o) for k, dec in state.decisions.items() for o in plan.steps[k].options or {}
                     if o != dec.option]
        if revisable:
            def revise(d: st.DataObject) -> None:
                key, option = d.draw(st.sampled_from(revisable))
                drill.revise(key, option, d.draw(TEXT), d.draw(WHO))
            out.append(("revise", revise))
        if state.decisions:
            def amend(d: st.DataObject) -> None:  # the rationale and decider put right, the option kept
                key = d.draw(st.sampled_from(sorted(state.decisions)))
                words = TEXT.filter(str.strip)
                new = d.draw(words.filter(lambda w: w != state.decisions[key].rationale))  # a change, never a no-op
                drill.amend_decision(key, new, d.draw(words), d.draw(words), d.draw(WHO))
            out.append(("amend decision", amend))
        withdrawable = sorted(set(state.fired) - set(state.withdrawn))
        if withdrawable:
            out.append(("withdraw inject", lambda d: drill.withdraw(d.draw(st.sampled_from(withdrawable)),
                                                                    d.draw(TEXT), d.draw(WHO))))
        reopenable = [k for k, r in state.steps.items() if not (plan.steps[k].options and k in state.decisions)
                      and (r.done_t is not None or r.skipped_by == "facilitator")]
        if reopenable:
            out.append(("reopen", lambda d: drill.reopen(d.draw(st.sampled_from(reopenable)), d.draw(TEXT),
                                                         d.draw(WHO))))
        return out
