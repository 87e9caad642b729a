"""A runbook as a networkx graph: dependencies, what opens each branch step, cycles."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from engine.model import Runbook


@dataclass(frozen=True)
class Opener:
    """One way a branch step can be opened."""

    kind: str  # "next" (a decision option), "fallback" (a required service down), "event" (`on:`)
    source: str  # the deciding or backed-up step, or the event id
    option: str | None = None  # the decision option, for kind "next"


class RunbookGraph:
    """Steps as nodes; edges `needs` (need -> step), `next` (decision -> branch), `fallback`.

    Only references to steps that exist become edges; dangling ones are their
    own rules' business.
    """

    def __init__(self, runbook: Runbook) -> None:
        self.runbook = runbook
        self.steps = runbook.steps
        self.digraph = nx.DiGraph()
        self.openers: dict[str, list[Opener]] = {sid: [] for sid in self.steps}
        self.digraph.add_nodes_from(self.steps)
        for sid, step in self.steps.items():
            for need in step.needs:
                self._edge(need, sid, "needs")
            if step.fallback in self.steps:
                self._edge(sid, step.fallback, "fallback")
                self.openers[step.fallback].append(Opener("fallback", sid))
            if step.decision:
                for option_id, option in step.decision.options.items():
                    for target in option.next:
                        if target in self.steps:
                            self._edge(sid, target, "next")
                            self.openers[target].append(Opener("next", sid, option_id))
            if step.on:
                self.openers[sid].append(Opener("event", step.on))

    def _edge(self, source: str, target: str, kind: str) -> None:
        if source not in self.steps or target not in self.steps:
            return
        if self.digraph.has_edge(source, target):
            self.digraph[source][target]["kinds"].add(kind)
        else:
            self.digraph.add_edge(source, target, kinds={kind})

    def is_branch(self, step_id: str) -> bool:
        """A branch step stays dormant until a decision, a fallback or an event opens it."""
        return bool(self.openers.get(step_id))

    def main_steps(self) -> list[str]:
        return [sid for sid in self.steps if not self.is_branch(sid)]

    def cycles(self) -> list[list[str]]:
        """One cycle per knot of steps that depend on or open each other, as a closed path."""
        out = []
        for component in nx.strongly_connected_components(self.digraph):
            if len(component) == 1:
                (node,) = component
                if not self.digraph.has_edge(node, node):
                    continue
            sub = self.digraph.subgraph(component)
            start = min(component, key=list(self.steps).index)
            edges = nx.find_cycle(sub, source=start)
            path = [edges[0][0]] + [edge[1] for edge in edges]
            out.append(path)
        return sorted(out, key=lambda p: list(self.steps).index(p[0]))

    def edge_kinds(self, source: str, target: str) -> set[str]:
        return set(self.digraph[source][target]["kinds"]) if self.digraph.has_edge(source, target) else set()
