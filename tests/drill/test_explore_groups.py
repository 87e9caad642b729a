"""Grouped explore says what the full cross product says.

Hypothesis draws small drills of a few blocks, each a decision with its own
branches, tied together now and then (a join needing steps of two blocks, a
branch needing another block's step, a contingency inject an option or a step done arms
that takes down a service or brings an event another block's step waits
for, a decision inside a branch), with services that go down and come
back, event branches, fallbacks, and now and then a step so long that paths
run past the horizon. Every decision is multiplied out
(`independent=False`, as explore did before) and grouped (the default), both
with a limit no search reaches, and the two must give the same findings
(rule, place, message), the same summary (finishing, stuck and cut-off
paths, distinct end states, the longest finishing path) and reach the same
step states and options, which is what coverage reads.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from engine.drill.explore import explore, fork_by_refold
from engine.drill.independence import decision_groups
from engine.drill.plan import Plan, PlanError, compile_plan
from engine.drill.tally import PathTally
from engine.explore_findings import StepLocator, findings
from engine.load import read_document
from engine.model import Runbook
from engine.plans import load_plan
from engine.scenario_model import Scenario

LIMIT = 100_000


@st.composite
def drill(draw: st.DrawFn) -> tuple[str, str]:
    """(runbook, scenario) YAML: 2..4 blocks `d<b>` with branches `b<b>x<k>`, some links between blocks."""
    blocks = draw(st.integers(2, 4))
    lines: list[str] = []
    branch: dict[int, list[str]] = {}
    for b in range(blocks):
        branch[b] = [f"b{b}x{k}" for k in range(draw(st.integers(1, 3)))]
    fallbacks: list[str] = []
    for b in range(blocks):
        lines += [f"  d{b}:", f"    title: Decide {b}", f"    target: {draw(st.integers(1, 40))}m"]
        if b and draw(st.integers(0, 4)) == 0:  # waits for another block's decision
            lines.append(f"    needs: [d{draw(st.integers(0, b - 1))}]")
        lines += ["    decision:", "      question: Which way?", "      options:"]
        for o in range(draw(st.integers(2, 3))):
            targets = draw(st.lists(st.sampled_from(branch[b]), unique=True, max_size=2))
            lines.append(f"        o{o}: {{label: Option {o}, next: [{', '.join(targets)}]}}")
        for k, key in enumerate(branch[b]):
            lines += [f"  {key}:", f"    title: Branch {b}.{k}"]
            hours = draw(st.sampled_from([None, None, None, None, None, None, None, None, 30]))
            lines.append(f"    target: {hours}h" if hours else f"    target: {draw(st.integers(1, 90))}m")
            needs = []
            if k and draw(st.booleans()):
                needs.append(branch[b][k - 1])
            if draw(st.integers(0, 5)) == 0:  # a branch needing another block's step
                other = draw(st.sampled_from([x for c, keys in branch.items() if c != b for x in keys]))
                needs.append(other)
            if needs:
                lines.append(f"    needs: [{', '.join(needs)}]")
            service = draw(st.sampled_from([None, None, "db", "net"]))
            if service:
                lines.append(f"    requires: [{service}]")
                if draw(st.booleans()):
                    lines.append(f"    fallback: fb-{key}")
                    fallbacks.append(f"fb-{key}")
            if draw(st.integers(0, 5)) == 0:
                lines.append("    on: alarm")
            if k == len(branch[b]) - 1 and draw(st.integers(0, 4)) == 0:  # a decision inside the branch
                lines += ["    decision:", "      question: And then?", "      options:",
                          f"        p: {{label: P, next: [n{b}]}}", "        q: {label: Q, next: []}"]
                lines += [f"  n{b}:", f"    title: Nested {b}", f"    target: {draw(st.integers(1, 60))}m"]
    for key in fallbacks:
        lines += [f"  {key}:", "    title: Work around it", f"    target: {draw(st.integers(1, 30))}m"]
    everything = [x for keys in branch.values() for x in keys]
    if draw(st.integers(0, 2)) == 0:  # a join of branches (of one block or two)
        needs = draw(st.lists(st.sampled_from(everything), unique=True, min_size=1, max_size=3))
        lines += ["  join:", "    title: Join", f"    needs: [{', '.join(needs)}]"]
    if draw(st.integers(0, 3)) == 0:  # a step waiting for an event nobody may bring
        lines += ["  listen:", "    title: Listen", "    on: alarm", "    requires: [net]"]
    runbook = "\n".join(["runbook: rb", "title: Drawn", "services:", "  db: The database", "  net: The network",
                         "steps:", *lines, ""])
    injects = []
    for k in range(draw(st.integers(0, 3))):
        what = draw(st.sampled_from(["services: {db: down}", "services: {net: down}", "services: {db: up}",
                                     "services: {net: up, db: up}", "event: alarm", "say: Nothing."]))
        injects.append(f"  - id: s{k}\n    at: T+{draw(st.integers(0, 240))}m\n    {what}")
    for k in range(draw(st.integers(0, 2))):
        b = draw(st.integers(0, blocks - 1))
        what = draw(st.sampled_from(["services: {db: down}", "services: {net: down}", "event: alarm",
                                     "services: {net: up}"]))
        after = draw(st.sampled_from([f"{{decision: d{b}, option: o1}}",
                                      f"{{step: {draw(st.sampled_from(branch[b]))}}}"]))
        injects.append(f"  - id: c{k}\n    after: {after}\n"
                       f"    at: +{draw(st.integers(0, 90))}m\n    {what}")
    scenario = "\n".join(["scenario: sc", "title: Drawn", "runbooks: [rb]", "duration: 3h",
                          "injects:" if injects else "injects: []", *injects, ""])
    return runbook, scenario


def _plan(folder: Path) -> Plan:
    """The plan as explore loads it; one the validator rejects (a dead end, say) is compiled all the same."""
    scenario_path = str(folder / "scenarios" / "sc.yaml")
    try:
        return load_plan(scenario_path, [str(folder / "runbooks")])
    except PlanError:
        pass
    runbook_path = str(folder / "runbooks" / "rb.yaml")
    runbook = Runbook.model_validate(read_document(runbook_path).data)
    scenario = Scenario.model_validate(read_document(scenario_path).data)
    return compile_plan(scenario, scenario_path, [(runbook_path, runbook)])


def _explored(plan: Plan, independent: bool) -> tuple[list[tuple[str, int, int, str, str]], tuple, set, set]:  # type: ignore[type-arg]
    exploration = explore(plan, LIMIT, independent=independent)
    tally = PathTally(exploration)
    states: set[tuple[str, str]] = set()
    options: set[tuple[str, str]] = set()

    def seen(ends):  # type: ignore[no-untyped-def]
        for end in ends:
            states.update(end.statuses.items())
            options.update(end.choices)
            yield end

    exploration.on_restart.append(states.clear)
    exploration.on_restart.append(options.clear)
    found = findings(exploration, tally.count(seen(exploration)), StepLocator(plan))
    assert not exploration.truncated
    rows = [(f.path, f.line, f.column, f.rule, f.message) for f in found]
    return rows, tally.totals(), states, options


def compare(runbook: str, scenario: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "runbooks").mkdir()
        (folder / "scenarios").mkdir()
        (folder / "runbooks" / "rb.yaml").write_text(runbook, encoding="utf-8")
        (folder / "scenarios" / "sc.yaml").write_text(scenario, encoding="utf-8")
        plan = _plan(folder)
        full = _explored(plan, independent=False)
        grouped = _explored(plan, independent=True)
    event(f"groups: {len(decision_groups(plan))}")
    event("findings" if full[0] else "no findings")
    assert grouped[0] == full[0]
    assert grouped[1] == full[1]
    assert grouped[2] == full[2]
    assert grouped[3] == full[3]


UNRELATED = """\
runbook: rb
title: Two blocks that share nothing but a service a scheduled inject takes down
services:
  db: The database
  net: The network
steps:
  d0:
    title: Decide 0
    target: 5m
    decision:
      question: Which way?
      options:
        o0: {label: A, next: [b0x0]}
        o1: {label: B, next: [b0x1]}
  b0x0:
    title: Long way
    target: 90m
    requires: [db]
  b0x1:
    title: Short way
    target: 5m
    requires: [db]
  d1:
    title: Decide 1
    target: 5m
    decision:
      question: Which way?
      options:
        o0: {label: A, next: [b1x0]}
        o1: {label: B, next: []}
  b1x0:
    title: Waits for an alarm
    needs: [listen]
  listen:
    title: Listen
    on: alarm
"""

UNRELATED_DAY = """\
scenario: sc
title: The database goes at one hour
runbooks: [rb]
duration: 3h
injects:
  - id: s0
    at: T+60m
    services: {db: down}
"""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill())
@example((UNRELATED, UNRELATED_DAY))  # two groups, a blocked step in one, a deadlock in the other
def test_grouped_findings_are_those_of_every_combination(case: tuple[str, str]) -> None:
    compare(*case)


def test_the_example_is_two_groups_with_a_finding_in_each(tmp_path: Path) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "runbooks" / "rb.yaml").write_text(UNRELATED, encoding="utf-8")
    (tmp_path / "scenarios" / "sc.yaml").write_text(UNRELATED_DAY, encoding="utf-8")
    plan = _plan(tmp_path)
    assert decision_groups(plan).members == (("rb/d0",), ("rb/d1",))
    rows, totals, _, _ = _explored(plan, independent=True)
    assert [r[3] for r in rows] == ["explore-blocked-forever", "explore-deadlock"]
    assert rows[0][4].startswith("on the path d0=o0, d1=o0 (and 1 other path), step `b0x0` is still blocked")
    assert rows[1][4].startswith("on the path d0=o0, d1=o0 (and 1 other path), the drill cannot finish")
    assert (totals.paths, totals.finish, totals.stuck) == (4, 1, 3)  # d0=o1, d1=o1 finishes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill())
def test_the_frontier_stays_a_full_rescan_on_every_drawn_path(case: tuple[str, str]) -> None:
    """Explore reads statuses from its Frontier; on these drills (outages, fallbacks, contingency injects,
    events) it must equal DrillState after every event. And a fork made by copying the fold moves on
    apart from the path it was copied from."""
    from unittest import mock

    from engine.drill.frontier import Frontier
    from engine.drill.state import UNFINISHED, StepStatus

    class Checked(Frontier):
        def update(self, seeds):  # type: ignore[no-untyped-def]
            changed = super().update(seeds)
            state = self.state
            statuses = state.statuses()
            assert self.status == statuses
            assert self.ready == {k for k, s in statuses.items() if s is StepStatus.READY}
            assert self.active == {k for k, s in statuses.items() if s is StepStatus.ACTIVE}
            assert self.unfinished == {k for k, s in statuses.items() if s in UNFINISHED
                                       or (s is StepStatus.BLOCKED and not state.resolved(k))}
            assert self.resolved == {k: state.resolved(k) for k in statuses}
            return changed

    runbook, scenario = case
    with tempfile.TemporaryDirectory() as tmp, mock.patch("engine.drill.explore.Frontier", Checked):
        folder = Path(tmp)
        (folder / "runbooks").mkdir()
        (folder / "scenarios").mkdir()
        (folder / "runbooks" / "rb.yaml").write_text(runbook, encoding="utf-8")
        (folder / "scenarios" / "sc.yaml").write_text(scenario, encoding="utf-8")
        plan = _plan(folder)
        copied = list(explore(plan, LIMIT, independent=False))
    # forking by copying the fold (the default) plays the paths that folding each fork's events again plays
    refolded = list(explore(plan, LIMIT, fork=fork_by_refold, independent=False))
    assert [(e.choices, e.t, e.statuses, e.reasons) for e in copied] == \
        [(e.choices, e.t, e.statuses, e.reasons) for e in refolded]


# ----- a wrap-up step that needs every decision step (issue 28) -----

def wrap_up_runbook(decisions: int) -> str:
    """`decisions` decisions, each opening a branch of its own, and a close-out that needs every decision step."""
    lines = ["runbook: rb", "title: Close when every call is made", "steps:"]
    for i in range(decisions):
        lines += [f"  d{i}:", f"    title: Decide {i}", "    target: 5m", "    decision:",
                  "      question: Which way?", "      options:",
                  f"        left: {{label: Left, next: [left{i}]}}",
                  f"        right: {{label: Right, next: [right{i}]}}",
                  f"  left{i}: {{title: Left {i}, target: 10m}}", f"  right{i}: {{title: Right {i}, target: 20m}}"]
    lines += ["  close-out:", "    title: Close out", f"    needs: [{', '.join(f'd{i}' for i in range(decisions))}]"]
    return "\n".join([*lines, ""])


QUIET_DAY = "scenario: sc\ntitle: Quiet\nrunbooks: [rb]\nduration: 3h\ninjects: []\n"

# A decision's own fallback is one of its branches: its choice reaches back to the decision step, and from
# there to the close-out that needs it; a contingency inject after the decision step itself (any option).
REACH_BACK = """\
runbook: rb
title: A branch that backs up its own decision
services:
  db: The database
steps:
  d0:
    title: Decide 0
    target: 30m
    requires: [db]
    fallback: fb0
    decision:
      question: Which way?
      options:
        o0: {label: A, next: []}
        o1: {label: B, next: [fb0]}
  fb0: {title: By hand, target: 10m}
  d1:
    title: Decide 1
    target: 5m
    decision:
      question: Which way?
      options:
        o0: {label: A, next: [b1]}
        o1: {label: B, next: []}
  b1: {title: Branch 1, target: 50m, requires: [db]}
  close-out: {title: Close out, needs: [d0, d1]}
"""
REACH_BACK_DAY = """\
scenario: sc
title: The database goes, then comes back
runbooks: [rb]
duration: 3h
injects:
  - id: s0
    at: T+20m
    services: {db: down}
  - id: s1
    at: T+2h
    services: {db: up}
  - id: c0
    after: {step: d1}
    at: +10m
    event: alarm
"""


@st.composite
def drill_with_wrap_up(draw: st.DrawFn) -> tuple[str, str]:
    """A drawn drill (see `drill`) and a close-out step that needs every decision step, now and then a
    branch too; now and then a contingency inject after a decision step itself, whatever its option."""
    runbook, scenario = draw(drill())
    blocks = sorted({line.split(":")[0].strip() for line in runbook.splitlines()
                     if line.startswith("  d") and line.rstrip().endswith(":")})
    needs = list(blocks)
    if draw(st.integers(0, 3)) == 0:
        needs.append("b0x0")
    runbook += f"  close-out:\n    title: Close out\n    needs: [{', '.join(needs)}]\n"
    if draw(st.booleans()):
        what = draw(st.sampled_from(["services: {db: down}", "event: alarm", "services: {net: up}"]))
        after, at = draw(st.sampled_from(blocks)), draw(st.integers(0, 60))
        inject = f"  - id: w0\n    after: {{step: {after}}}\n    at: +{at}m\n    {what}"
        scenario = scenario.replace("injects: []", "injects:") + inject + "\n"
    return runbook, scenario


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill_with_wrap_up())
@example((REACH_BACK, REACH_BACK_DAY))
@example((wrap_up_runbook(3), QUIET_DAY))
def test_grouped_findings_with_a_wrap_up_are_those_of_every_combination(case: tuple[str, str]) -> None:
    compare(*case)


def test_a_wrap_up_that_needs_every_decision_ties_none_of_them_together(tmp_path: Path) -> None:
    """The decision step ends the same on every option: only its branches differ, so four decisions whose
    steps a close-out needs are four groups, played in 1 + 4 paths for the 2^4 they stand for."""
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "runbooks" / "rb.yaml").write_text(wrap_up_runbook(4), encoding="utf-8")
    (tmp_path / "scenarios" / "sc.yaml").write_text(QUIET_DAY, encoding="utf-8")
    plan = _plan(tmp_path)
    assert decision_groups(plan).members == (("rb/d0",), ("rb/d1",), ("rb/d2",), ("rb/d3",))
    exploration = explore(plan, LIMIT)
    ends = list(exploration)
    assert (len(ends), exploration.total) == (5, 16)
    assert all(end.finished for end in ends)


def test_a_branch_that_reaches_back_to_its_decision_ties_the_wrap_up_to_it(tmp_path: Path) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "runbooks" / "rb.yaml").write_text(REACH_BACK, encoding="utf-8")
    (tmp_path / "scenarios" / "sc.yaml").write_text(REACH_BACK_DAY, encoding="utf-8")
    plan = _plan(tmp_path)
    groups = decision_groups(plan)
    assert groups.step_group["rb/close-out"] == groups.group_of["rb/d0"]
