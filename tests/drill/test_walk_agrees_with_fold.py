"""The step rules have one owner: the static walk (engine/paths.py) and the fold agree.

Hypothesis builds small valid runbooks (needs, decisions whose options open
branches, fallbacks of steps that require services, `on:` event branches)
and a scenario in the static walk's world: every service stays up and no
event comes (its injects only speak). `engine.drill.explore` plays every
path of decisions through the fold (DrillState, events built by
engine.drill.pace and the payload classes); `engine.paths.explore` walks the
same runbook statically. For every path both must have made the same
decisions, and every step must end the same: done, skipped, dormant, or
stuck (the walk's `open`, the fold's `waiting`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from engine.drill.explore import explore as play_paths
from engine.drill.plan import Plan, PlanError, compile_plan
from engine.drill.state import StepStatus
from engine.load import read_document
from engine.model import Runbook
from engine.paths import State
from engine.paths import explore as walk_paths
from engine.plans import load_plan
from engine.scenario_model import Scenario

# The walk's end states as the fold names them; the fold never ends a static path ready, active or blocked.
AS_FOLD = {State.DONE: StepStatus.DONE, State.SKIPPED: StepStatus.SKIPPED,
           State.DORMANT: StepStatus.DORMANT, State.OPEN: StepStatus.WAITING}


# What a scenario may do without leaving the walk's world: speak, slow a service (degraded never
# blocks a step), bring one up, raise an event no step listens to.
QUIET = ["say: Nothing changes.", "services: {db: degraded}", "services: {net: degraded, db: up}",
         "services: {net: up}", "event: quake"]


@dataclass(frozen=True)
class Drawn:
    """A runbook and a scenario as YAML text (hypothesis shows them when a case fails)."""

    runbook: str
    scenario: str


@st.composite
def steps_yaml(draw: st.DrawFn) -> str:
    """Up to eight steps s0..sN; needs point back, `next` and `fallback` forward, so there is no cycle."""
    n = draw(st.integers(2, 7))
    events = [draw(st.sampled_from([None, "alarm", "call"])) if i else None for i in range(n)]
    lines: list[str] = []
    by_event: dict[int, set[bool]] = {}  # a step some option opens -> whether each opener is an event branch
    for i in range(n):
        later = list(range(i + 1, n))
        needs = draw(st.lists(st.sampled_from([j for j in range(i) if events[j] is None] or [-1]),
                              unique=True, min_size=int(i > 2), max_size=3))
        needs = [j for j in needs if j >= 0]
        lines += [f"  s{i}:", f"    title: Step {i}"]
        if draw(st.booleans()):
            lines.append(f"    target: {draw(st.integers(1, 30))}m")  # paths of decisions do not depend on pace
        if needs:
            lines.append(f"    needs: [{', '.join(f's{j}' for j in needs)}]")
        if events[i]:
            lines.append(f"    on: {events[i]}")
        if draw(st.booleans()) and later:
            fallback = draw(st.sampled_from(later))
            lines += ["    requires: [db]", f"    fallback: s{fallback}"]
        elif draw(st.integers(0, 3)) == 0:
            lines.append("    requires: [net]")
        if draw(st.integers(0, 2)) and later:  # two steps in three decide, so branches abound
            lines += ["    decision:", "      question: Which way?", "      options:"]
            for o in range(draw(st.integers(2, 3))):
                targets = draw(st.lists(st.sampled_from(later), unique=True, max_size=2))
                lines.append(f"        o{o}: {{label: Option {o}, next: [{', '.join(f's{t}' for t in targets)}]}}")
                for t in targets:
                    by_event.setdefault(t, set()).add(events[i] is not None)
    # Half the time a last step waits for a branch that only event branches open: a dead end, unless
    # every path skips it.
    hanging = [j for j, kinds in by_event.items() if kinds == {True} and events[j] is None]
    if draw(st.booleans()) and hanging:
        lines += [f"  s{n}:", "    title: Last", f"    needs: [s{draw(st.sampled_from(hanging))}]"]
    return "\n".join(lines)


@st.composite
def drawn(draw: st.DrawFn) -> Drawn:
    runbook = "\n".join(["runbook: rb", "title: Drawn", "services:", "  db: The database",
                         "  net: The network", "steps:", draw(steps_yaml()), ""])
    injects = [f"  - id: i{k}\n    at: T+{m}m\n    {what}"
               for k, (m, what) in enumerate(draw(st.lists(st.tuples(st.integers(0, 120), st.sampled_from(QUIET)),
                                                           max_size=3)))]
    scenario = "\n".join(["scenario: sc", "title: Every service up, no event", "runbooks: [rb]",
                          "duration: 3h", "injects:" if injects else "injects: []", *injects, ""])
    return Drawn(runbook, scenario)


def _plan(folder: Path) -> tuple[Plan, bool]:
    """The plan as `tabletop explore` loads it; a runbook the validator rejects only for `dead-end` (the
    walk found a stuck path) is compiled all the same, so the fold can be asked about that path too.
    The flag: whether the validator said dead-end."""
    scenario_path = str(folder / "scenarios" / "sc.yaml")
    try:
        return load_plan(scenario_path, [str(folder / "runbooks")]), False
    except PlanError as exc:
        assert exc.findings and {f.rule for f in exc.findings} == {"dead-end"}, exc.findings
    runbook_path = str(folder / "runbooks" / "rb.yaml")
    runbook = Runbook.model_validate(read_document(runbook_path).data)
    scenario = Scenario.model_validate(read_document(scenario_path).data)
    return compile_plan(scenario, scenario_path, [(runbook_path, runbook)]), True


Ends = dict[frozenset[tuple[str, str]], dict[str, StepStatus]]


def outcomes(case: Drawn) -> tuple[Ends, Ends, bool]:
    """(static, fold, dead-end): the choices of each path -> every step's end state by step id; and
    whether the validator rejected the runbook as dead-ended. Checks on the way that the fold says a path
    is finished exactly when the walk left no step stuck on it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "runbooks").mkdir()
        (folder / "scenarios").mkdir()
        (folder / "runbooks" / "rb.yaml").write_text(case.runbook, encoding="utf-8")
        (folder / "scenarios" / "sc.yaml").write_text(case.scenario, encoding="utf-8")
        plan, dead_end = _plan(folder)
    static: Ends = {}
    stuck: dict[frozenset[tuple[str, str]], list[str]] = {}
    for path in walk_paths(plan.runbooks[0]):
        static[frozenset(path.choices.items())] = {sid: AS_FOLD[s] for sid, s in path.states.items()}
        stuck[frozenset(path.choices.items())] = path.stuck()
    fold: Ends = {}
    for end in play_paths(plan):
        assert not end.cut_off, end
        choices = frozenset((key.split("/", 1)[1], option) for key, option in end.choices)
        fold[choices] = {key.split("/", 1)[1]: s for key, s in end.statuses.items()}
        assert end.finished is not bool(stuck.get(choices, True)), (end, stuck.get(choices))
    return static, fold, dead_end


def _case(steps: str) -> Drawn:
    return Drawn(f"runbook: rb\ntitle: Example\nservices:\n  db: The database\nsteps:\n{steps}",
                 "scenario: sc\ntitle: Quiet\nrunbooks: [rb]\n" + "injects: []\n")


# A join after either branch; the fallback of a step that finished is skipped.
JOIN = _case("""\
  s0: {title: Start, requires: [db], fallback: s4}
  s1:
    title: Choose
    needs: [s0]
    decision:
      question: Which?
      options:
        a: {label: A, next: [s2]}
        b: {label: B, next: [s3]}
  s2: {title: Left}
  s3: {title: Right}
  s4: {title: By hand}
  s5: {title: Join, needs: [s2, s3]}
""")
# Dead-ended on every path: s3 needs a branch only the event branch s1 opens (validate says dead-end).
STUCK = _case("""\
  s0: {title: Start}
  s1:
    title: On alarm
    on: alarm
    decision:
      question: Which?
      options:
        a: {label: A, next: [s2]}
        b: {label: B}
  s2: {title: Opened by the alarm only}
  s3: {title: Waits, needs: [s0, s2]}
""")
# One step with every kind of opener: an option, a fallback and an event.
OPENERS = _case("""\
  s0:
    title: Choose
    requires: [db]
    fallback: s2
    decision:
      question: Which?
      options:
        a: {label: A, next: [s1]}
        b: {label: B, next: [s2]}
  s1: {title: A}
  s2: {title: Every opener, on: call}
  s3: {title: After, needs: [s1]}
""")


@example(JOIN)
@example(STUCK)
@example(OPENERS)
@settings(max_examples=60, deadline=None, derandomize=True)
@given(drawn())
def test_every_path_ends_the_same_in_the_walk_and_in_the_fold(case: Drawn) -> None:
    static, fold, dead_end = outcomes(case)
    assert set(static) == set(fold), "the two explore different paths of decisions"
    for choices, states in static.items():
        assert fold[choices] == states, f"on the path {sorted(choices)}"
    ends = {s for states in fold.values() for s in states.values()}
    assert dead_end is (StepStatus.WAITING in ends), "validate's dead-end verdict differs from the fold"
    event(f"paths: {min(len(fold), 4)}{'+' if len(fold) >= 4 else ''}")
    for status in (StepStatus.WAITING, StepStatus.SKIPPED, StepStatus.DORMANT):
        event(f"some path ends with a step {status}" if status in ends else f"no step ends {status}")
