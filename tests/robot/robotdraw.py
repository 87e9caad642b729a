"""Drawn projects for the facilitator robot: a runbook and a scenario as YAML text, small but with every
way a step moves (needs, decisions whose options open branches, timed decisions, fallbacks of steps that
require services, `on:` event branches, checklists) and every part of a discussion-based exercise (two
modules, questions with prompts and expected points, injects with expected responses, contingency injects
after a decision or a step). Everything the participants must never see carries a marker (SECRET), so the
robot can look for it."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

SECRET = "zq-secret"  # in every inject's `expect`, every question's prompts and expected points, and every note


@dataclass(frozen=True)
class Drawn:
    """A runbook and a scenario as YAML text (hypothesis prints them when a case fails)."""

    runbook: str
    scenario: str


@st.composite
def _steps(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Step lines s0..sN (needs point back, `next` and `fallback` forward: no cycle), the (decision, option)
    pairs and the plain steps, for contingency injects to hang on."""
    n = draw(st.integers(2, 6))
    events = [draw(st.sampled_from([None, None, "alarm"])) if i else None for i in range(n)]
    lines: list[str] = []
    options: list[tuple[str, str]] = []
    plain: list[str] = []
    for i in range(n):
        later = list(range(i + 1, n))
        needs = draw(st.lists(st.sampled_from([j for j in range(i) if events[j] is None] or [-1]),
                              unique=True, max_size=2))
        needs = [j for j in needs if j >= 0]
        lines += [f"  s{i}:", f"    title: Step {i}", "    owner: lead", f"    objectives: [o{i % 2}]"]
        if draw(st.booleans()):
            lines.append(f"    target: {draw(st.integers(1, 30))}m")
        if draw(st.booleans()):
            lines.append("    do: [Look, Listen]")
        if needs:
            lines.append(f"    needs: [{', '.join(f's{j}' for j in needs)}]")
        if events[i]:
            lines.append(f"    on: {events[i]}")
        if later and draw(st.integers(0, 2)) == 0:
            lines += ["    requires: [db]", f"    fallback: s{draw(st.sampled_from(later))}"]
        elif draw(st.integers(0, 3)) == 0:
            lines.append("    requires: [net]")
        if later and draw(st.integers(0, 2)):
            lines += ["    decision:", "      question: Which way?"]
            if draw(st.booleans()):  # a timed decision: the drill clock takes its default when time runs out
                lines += [f"      within: {draw(st.integers(1, 10))}m", f"      default: o{draw(st.integers(0, 1))}"]
            lines.append("      options:")
            targets = draw(st.permutations(later))
            for o in range(2):
                opened = targets[o::2][:2] or targets[:1]
                lines.append(f"        o{o}: {{label: Option {o}, next: [{', '.join(f's{t}' for t in opened)}]}}")
                options.append((f"s{i}", f"o{o}"))
        else:
            plain.append(f"s{i}")
    return lines, options, plain


@st.composite
def drawn(draw: st.DrawFn) -> Drawn:
    steps, options, plain = draw(_steps())
    runbook = "\n".join(["runbook: rb", "title: Drawn", "services:", "  db: The database", "  net: The network",
                         "roles:", "  lead: Leads", "objectives:", "  o0: Keep going", "  o1: Decide well",
                         "steps:", *steps, ""])
    second = draw(st.integers(20, 90))  # when module 2 starts, in minutes
    first_injects, second_injects, injects = [], [], []
    for k in range(draw(st.integers(1, 4))):
        minute = draw(st.integers(0, 150))
        what = draw(st.sampled_from(["services: {db: down}", "services: {net: down}", "services: {db: up, net: up}",
                                     "event: alarm", "services: {db: degraded}"]))
        injects.append(f"  - id: i{k}\n    at: T+{minute}m\n    {what}\n    say: Inject {k} is read out.\n"
                       f"    expect: {SECRET} response to inject {k}")
        (first_injects if minute < second else second_injects).append(f"i{k}")
    hooks = [f"{{decision: {s}, option: {o}}}" for s, o in options] + [f"{{step: {s}}}" for s in plain]
    for k in range(draw(st.integers(0, 2))):
        hook = draw(st.sampled_from(hooks))
        injects.append(f"  - id: c{k}\n    after: {hook}\n    at: +{draw(st.integers(0, 40))}m\n"
                       f"    say: Contingency {k} is read out.\n    expect: {SECRET} after c{k}\n"
                       f"    {draw(st.sampled_from(['event: alarm', 'services: {net: down}']))}")
        second_injects.append(f"c{k}")
    modules = ["modules:", _module("m1", "Module 1", 0, first_injects, "q1"),
               _module("m2", "Module 2", second, second_injects, "q2")]
    if not second_injects:
        modules.pop()
    if not first_injects:
        modules.pop(1)
    scenario = "\n".join(["scenario: sc", "title: A drawn day", "runbooks: [rb]", "duration: 4h",
                          *(modules if len(modules) > 1 else []), "injects:", *injects, ""])
    return Drawn(runbook, scenario)


def _module(mid: str, title: str, minute: int, injects: list[str], question: str) -> str:
    return (f"  - id: {mid}\n    title: {title}\n    at: T+{minute}m\n    situation: The situation of {title}.\n"
            f"    injects: [{', '.join(injects)}]\n    questions:\n      - id: {question}\n"
            f"        ask: What does {title} ask?\n        to: [lead]\n        objectives: [o0]\n"
            f"        prompts: [{SECRET} prompt of {question}]\n        expect: [{SECRET} point of {question}]")
