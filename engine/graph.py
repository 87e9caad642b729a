"""A runbook as a graph: dependencies, what opens each branch step, cycles.

The edges live in plain dicts, which is all that the usual questions need
(who opens a step, what lies downstream, is there a loop: each linear).
networkx, the project's graph library, is imported only when a graph
algorithm is asked for: `digraph` builds its DiGraph, and `cycles()` uses it
to name the loops of a runbook that has some.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from engine import step_rules
from engine.step_rules import Opener as Opener  # the openers of a runbook step are the step rules'

if TYPE_CHECKING:
    import networkx as nx

    from engine.model import Runbook


def shapes(runbook: Runbook) -> dict[str, step_rules.Shaped]:
    """The runbook's steps as the step rules read them (engine.step_rules), by step id."""
    return {sid: step_rules.Shaped(list(step.needs), list(step.requires), step.fallback,
                                   {o: list(option.next) for o, option in step.decision.options.items()}
                                   if step.decision else None, step.on)
            for sid, step in runbook.steps.items()}


class RunbookGraph:
    """Steps as nodes; edges `needs` (need -> step), `next` (decision -> branch), `fallback`.

    Only references to steps that exist become edges; dangling ones are their
    own rules' business. Build it once per runbook: the facts below are
    computed on first use and kept.
    """

    def __init__(self, runbook: Runbook) -> None:
        self.runbook = runbook
        self.steps = runbook.steps
        self.edges: dict[str, dict[str, set[str]]] = {sid: {} for sid in self.steps}  # source -> target -> kinds
        self.shapes = shapes(runbook)
        self.openers: dict[str, list[Opener]] = step_rules.openers(self.shapes)
        for sid, step in self.steps.items():
            for need in step.needs:
                self._edge(need, sid, "needs")
            if step.fallback in self.steps:
                self._edge(sid, step.fallback, "fallback")
            if step.decision:
                for option in step.decision.options.values():
                    for target in option.next:
                        if target in self.steps:
                            self._edge(sid, target, "next")

    def _edge(self, source: str, target: str, kind: str) -> None:
        if source not in self.steps or target not in self.steps:
            return
        self.edges[source].setdefault(target, set()).add(kind)

    @cached_property
    def ties(self) -> step_rules.Ties:
        """The ways one step's state reaches another's (engine.step_rules.Ties), by step id."""
        return step_rules.Ties(self.shapes)

    @cached_property
    def index(self) -> dict[str, int]:
        """Each step's place in the file, from 0."""
        return {sid: i for i, sid in enumerate(self.steps)}

    @cached_property
    def digraph(self) -> nx.DiGraph:
        """The graph as a networkx DiGraph, edges carrying their `kinds` (imports networkx)."""
        import networkx as nx

        graph: Any = nx.DiGraph()
        graph.add_nodes_from(self.steps)
        for source, targets in self.edges.items():
            for target, kinds in targets.items():
                graph.add_edge(source, target, kinds=kinds)
        return graph

    def is_branch(self, step_id: str) -> bool:
        """A branch step stays dormant until a decision, a fallback or an event opens it."""
        return step_rules.is_branch(self.openers.get(step_id, []))

    def main_steps(self) -> list[str]:
        return [sid for sid in self.steps if not self.is_branch(sid)]

    def descendants(self, step_id: str) -> set[str]:
        """Every step some path of edges leads to from `step_id` (not the step itself, unless in a loop)."""
        found: set[str] = set()
        todo = [step_id]
        while todo:
            for target in self.edges[todo.pop()]:
                if target not in found:
                    found.add(target)
                    todo.append(target)
        return found

    def cycles(self) -> list[list[str]]:
        """One cycle per knot of steps that depend on or open each other, as a closed path (computed once)."""
        return self._cycles

    @cached_property
    def _cycles(self) -> list[list[str]]:
        if self._acyclic():
            return []
        import networkx as nx

        out = []
        digraph = self.digraph
        for component in nx.strongly_connected_components(digraph):
            if len(component) == 1:
                (node,) = component
                if not digraph.has_edge(node, node):
                    continue
            sub = digraph.subgraph(component)
            start = min(component, key=self.index.__getitem__)
            edges = nx.find_cycle(sub, source=start)
            out.append([edges[0][0]] + [edge[1] for edge in edges])
        return sorted(out, key=lambda p: self.index[p[0]])

    def _acyclic(self) -> bool:
        """Whether every step can be put in an order with each edge pointing forward (Kahn's, linear)."""
        waiting = dict.fromkeys(self.steps, 0)
        for targets in self.edges.values():
            for target in targets:
                waiting[target] += 1
        ready = [sid for sid, count in waiting.items() if count == 0]
        placed = 0
        while ready:
            placed += 1
            for target in self.edges[ready.pop()]:
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
        return placed == len(waiting)

    def edge_kinds(self, source: str, target: str) -> set[str]:
        return set(self.edges.get(source, {}).get(target, ()))
