"""A runbook as an OASIS CACAO v2.0 manual playbook.

How the runbook's graph becomes a CACAO workflow:
  - every step is an `action` step with one manual command (its title and
    checklist) and an `agent`: its owner's role, an `individual` (or `group`
    for roles named like teams) in agent_definitions;
  - main steps are laid out in stages by `needs`: a stage of one step is
    linked by on_completion, a stage of several is a `parallel` step whose
    on_completion is the join (CACAO waits for every branch);
  - a decision step is followed by a `switch-condition` on the playbook
    variable its action step sets (out_args); each option is a case leading
    to its branch steps, laid out in stages the same way;
  - a step with a fallback has on_success to the next stage and on_failure
    to its fallback step, which then joins the same next stage;
  - an `on:` event branch is an `if-condition` testing the STIX pattern
    [x-tabletop-event:id = 'EVENT'], in a top-level parallel beside the
    main flow (CACAO has no event triggers inside a playbook);
  - per the spec, every parallel branch, switch case and if branch ends at
    its own `end` step; the main flow ends at the single final end step.
Stages join more than `needs` do (a step waits for its whole previous
stage), so the exact needs, services, objectives, targets and owners also
travel in the tabletop extension on each step and on the playbook.
"""

from __future__ import annotations

import re
from typing import Any

from engine.cacao import (
    EVENT_CONDITION_OBJECT,
    EXTENSION_ID,
    NAMESPACE,
    playbook_uuid,
    step_uuid,
    variable_name,
)
from engine.controls import objective_controls, objective_text
from engine.duration import format_duration
from engine.model import Runbook, Step

DEFAULT_CREATED = "1970-01-01T00:00:00.000Z"  # "unknown", but the same on every export
CREATOR_NAME = "tabletop"
_GROUPISH = re.compile(r"(^|-)(team|group|desk|staff|crew|board|committee|analysts|responders)$")
UNASSIGNED = "unassigned"


def identity_id(name: str = CREATOR_NAME) -> str:
    import uuid

    return f"identity--{uuid.uuid5(NAMESPACE, f'identity/{name}')}"


def to_playbook(runbook: Runbook, *, created: str = DEFAULT_CREATED, creator: str = CREATOR_NAME) -> dict[str, Any]:
    """The CACAO playbook (plain JSON data) for a runbook; the same input always gives the same output."""
    return _Builder(runbook, creator).playbook(created)


class _Builder:
    def __init__(self, runbook: Runbook, creator: str) -> None:
        self.rb = runbook
        self.creator = identity_id(creator)
        self.actions: dict[str, dict[str, Any]] = {}  # runbook order, filled as steps are placed
        self.controls: dict[str, dict[str, Any]] = {}
        self.placed: dict[str, str] = {}  # step id -> its action step id
        self.agents: dict[str, dict[str, Any]] = {}
        self.variables: dict[str, dict[str, Any]] = {}
        self.container = _containers(runbook)
        self.ends = 0

    # ----- ids -----

    def _id(self, kind: str, *key: str) -> str:
        return f"{kind}--{step_uuid(self.rb.runbook, kind, *key)}"

    def _end(self, *key: str) -> str:
        end_id = self._id("end", *key)
        self.controls[end_id] = {"type": "end", "name": "End of " + " ".join(key)}
        return end_id

    # ----- the playbook -----

    def playbook(self, created: str) -> dict[str, Any]:
        rb = self.rb
        start_id = self._id("start", "playbook")
        final_end = self._id("end", "playbook")
        events = [sid for sid, s in rb.steps.items() if s.on]
        mains = [sid for sid in rb.steps if sid not in self.container and not rb.steps[sid].on]
        start: dict[str, Any] = {"type": "start", "name": "Start"}
        if events and mains:
            main_end = self._end("main flow")
            branches = [self._flow(mains, main_end, "main")]
            for sid in events:
                branches.append(self._event(sid, self._end("watch for", rb.steps[sid].on or "", sid)))
            parallel = self._id("parallel", "playbook")
            self.controls[parallel] = {
                "type": "parallel", "name": "Main flow, and the event branches that may open at any time",
                "next_steps": branches, "on_completion": final_end,
            }
            start["on_completion"] = parallel
        elif events:
            start["on_completion"] = self._event(events[0], final_end)
        else:
            start["on_completion"] = self._flow(mains, final_end, "main")
        self._place_leftovers(final_end)
        workflow = {start_id: start, **{self.placed[s]: self.actions[s] for s in rb.steps if s in self.placed},
                    **self.controls}
        workflow[final_end] = {"type": "end", "name": "End"}
        out: dict[str, Any] = {
            "type": "playbook",
            "spec_version": "cacao-2.0",
            "id": f"playbook--{playbook_uuid(rb.runbook)}",
            "name": rb.title,
            "description": rb.summary or rb.title,
            "playbook_types": ["remediation"],
            "playbook_activities": ["restore-capabilities"],
            "created_by": self.creator,
            "created": created,
            "modified": created,
            "labels": ["tabletop", rb.runbook],
            "workflow_start": start_id,
            "workflow": workflow,
            "agent_definitions": self.agents,
            "extension_definitions": {EXTENSION_ID: _extension_definition(self.creator)},
            "playbook_extensions": {EXTENSION_ID: self._runbook_extension()},
        }
        if self.variables:
            out["playbook_variables"] = self.variables
        if not self.agents:
            del out["agent_definitions"]
        return out

    def _runbook_extension(self) -> dict[str, Any]:
        rb = self.rb
        ext: dict[str, Any] = {"runbook_id": rb.runbook}
        if rb.version is not None:
            ext["version"] = rb.version
        if rb.summary:
            ext["summary"] = rb.summary
        ext["services"] = [{"service_id": k, "description": v} for k, v in rb.services.items()]
        ext["roles"] = [{"role_id": k, "description": v} for k, v in rb.roles.items()]
        ext["objectives"] = [{"objective_id": k, "description": objective_text(v),
                              **({"controls": objective_controls(v)} if objective_controls(v) else {})}
                             for k, v in rb.objectives.items()]
        if rb.controls:
            ext["controls"] = list(rb.controls)
        return ext

    # ----- layout -----

    def _flow(self, members: list[str], terminal: str, where: str) -> str:
        """Lay out `members` in stages by their needs, ending at `terminal`; returns the first step id."""
        todo = [m for m in members if m not in self.placed]
        if not todo:
            return terminal
        stages = _stages(self.rb, todo, self.container)
        following = terminal
        for number in range(len(stages) - 1, -1, -1):
            stage = stages[number]
            if len(stage) == 1:
                following = self._unit(stage[0], following)
                continue
            parallel = self._id("parallel", where, str(number))
            branches = [self._unit(sid, self._end(where, "stage", str(number), sid)) for sid in stage]
            self.controls[parallel] = {
                "type": "parallel", "name": f"Together: {', '.join(stage)}",
                "next_steps": branches, "on_completion": following,
            }
            following = parallel
        return following

    def _unit(self, sid: str, following: str) -> str:
        """A step's action, then its decision's switch; its fallback on failure. Returns its action id."""
        if sid in self.placed:
            return self.placed[sid]
        step = self.rb.steps[sid]
        action_id = self._id("action", sid)
        self.placed[sid] = action_id
        action = self._action(sid, step)
        self.actions[sid] = action
        after = following
        if step.decision:
            after = self._switch(sid, step, following)
        if step.fallback and step.fallback in self.rb.steps:
            action["on_success"] = after
            action["on_failure"] = self._unit(step.fallback, following)
        else:
            action["on_completion"] = after
        return action_id

    def _switch(self, sid: str, step: Step, following: str) -> str:
        assert step.decision is not None
        switch_id = self._id("switch-condition", sid)
        variable = variable_name(sid)
        self.variables[variable] = {"type": "string", "description": step.decision.question, "value": ""}
        self.actions[sid]["out_args"] = [variable]
        cases = {}
        for option_id, option in step.decision.options.items():
            case_end = self._end(sid, option_id)
            cases[option_id] = self._flow(list(option.next), case_end, f"{sid}={option_id}")
        self.controls[switch_id] = {
            "type": "switch-condition", "name": step.decision.question,
            "description": "; ".join(f"{o}: {opt.label or o}" for o, opt in step.decision.options.items()),
            "switch": f"{variable}:value", "cases": cases, "on_completion": following,
        }
        return switch_id

    def _event(self, sid: str, following: str) -> str:
        event = self.rb.steps[sid].on or ""
        if_id = self._id("if-condition", sid)
        true_end = self._end(sid, "when", event)
        self.controls[if_id] = {
            "type": "if-condition", "name": f"When the event {event} arrives",
            "condition": f"[{EVENT_CONDITION_OBJECT}:id = '{event}']",
            "on_true": self._unit(sid, true_end), "on_completion": following,
        }
        return if_id

    def _place_leftovers(self, final_end: str) -> None:
        """Steps nothing reaches (validate reports them) still go in, each straight to the end."""
        for sid in self.rb.steps:
            if sid not in self.placed:
                self._unit(sid, final_end)

    # ----- one step -----

    def _action(self, sid: str, step: Step) -> dict[str, Any]:
        text = "\n".join([step.title, *(f"- {item}" for item in step.do)])
        commands: list[dict[str, Any]] = [
            {"type": "manual", "command": text, "playbook_activity": "restore-capabilities"}]
        if step.decision:
            options = "\n".join(f"- {o}: {opt.label or o}" for o, opt in step.decision.options.items())
            commands.append({"type": "manual", "command": f"Decide: {step.decision.question}\n{options}",
                             "description": "Record the chosen option id in " + variable_name(sid)})
        action: dict[str, Any] = {"type": "action", "name": step.title}
        if step.summary:
            action["description"] = step.summary
        action["commands"] = commands
        action["agent"] = self._agent(step.owner)
        action["step_extensions"] = {EXTENSION_ID: _step_extension(sid, step)}
        return action

    def _agent(self, role: str | None) -> str:
        name = role or UNASSIGNED
        kind = "group" if role is None or _GROUPISH.search(name) else "individual"
        agent_id = f"{kind}--{step_uuid(self.rb.runbook, 'agent', name)}"
        if agent_id not in self.agents:
            description = self.rb.roles.get(role, role) if role else "No owner named: the team decides who does it"
            marker = {"role_id": role} if role else {"unassigned": True}
            self.agents[agent_id] = {"type": kind, "name": name, "description": description,
                                     "agent_target_extensions": {EXTENSION_ID: marker}}
        return agent_id


def _step_extension(sid: str, step: Step) -> dict[str, Any]:
    ext: dict[str, Any] = {"step_id": sid, "title": step.title}
    if step.owner:
        ext["owner_role"] = step.owner
    if step.target is not None:
        ext["target"] = format_duration(step.target)
    for key, value in (("objectives", step.objectives), ("checklist", step.do), ("needs", step.needs),
                       ("requires", step.requires)):
        if value:
            ext[key] = list(value)
    if step.fallback:
        ext["fallback"] = step.fallback
    if step.on:
        ext["on_event"] = step.on
    if step.decision:
        ext["question"] = step.decision.question
        ext["options"] = [{"option_id": o, "label": opt.label, "next": list(opt.next)}
                          for o, opt in step.decision.options.items()]
        if step.decision.within is not None:  # a timed decision: its limit and the option taken when it runs out
            ext["decision_within"] = format_duration(step.decision.within)
        if step.decision.default is not None:
            ext["decision_default"] = step.decision.default
    return ext


def _extension_definition(creator: str) -> dict[str, Any]:
    return {
        "type": "extension-definition",
        "name": "tabletop runbook",
        "description": "The parts of a tabletop runbook that CACAO has no property for: step ids, the exact "
        "needs between steps, required services, fallbacks, event branches, owners' role ids, targets, "
        "objectives and the time limits of timed decisions. A consumer that ignores it still gets the workflow.",
        "created_by": creator,
        "schema": "https://github.com/tabletop-drills/tabletop/blob/main/docs/format.md",
        "version": "1.0.0",
    }


def _containers(runbook: Runbook) -> dict[str, str]:
    """Each branch step's first opener: the decision step that lists it, or the step it backs up."""
    out: dict[str, str] = {}
    for sid, step in runbook.steps.items():
        if step.decision:
            for option in step.decision.options.values():
                for target in option.next:
                    if target in runbook.steps and target != sid:
                        out.setdefault(target, sid)
        if step.fallback and step.fallback in runbook.steps and step.fallback != sid:
            out.setdefault(step.fallback, sid)
    return {k: v for k, v in out.items() if not runbook.steps[k].on}


def _stages(runbook: Runbook, members: list[str], container: dict[str, str]) -> list[list[str]]:
    """`members` grouped by longest chain of needs among them (needs of their branches count too)."""
    member_set = set(members)

    def lift(step_id: str) -> str | None:
        seen = set()
        while step_id not in member_set:
            if step_id in seen or step_id not in container:
                return None
            seen.add(step_id)
            step_id = container[step_id]
        return step_id

    def inner(sid: str) -> list[str]:
        """The step and the branch steps it contains (so a join after a decision waits for it)."""
        out, todo = [], [sid]
        while todo:
            current = todo.pop()
            if current in out:
                continue
            out.append(current)
            todo += [k for k, v in container.items() if v == current]
        return out

    def deps(sid: str, deep: bool) -> set[str]:
        found = set()
        for part in inner(sid) if deep else [sid]:
            for need in runbook.steps[part].needs:
                lifted = lift(need) if need in runbook.steps else None
                if lifted is not None and lifted != sid:
                    found.add(lifted)
        return found

    for deep in (True, False):
        graph = {sid: deps(sid, deep) for sid in members}
        levels = _levels(graph)
        if levels is not None:
            break
    else:
        levels = {sid: i for i, sid in enumerate(members)}  # a cycle: validate reports it; keep file order
    stages: list[list[str]] = [[] for _ in range(max(levels.values()) + 1)]
    for sid in members:
        stages[levels[sid]].append(sid)
    return [s for s in stages if s]


def _levels(graph: dict[str, set[str]]) -> dict[str, int] | None:
    """Longest-path level of each node; None when the graph has a cycle."""
    levels: dict[str, int] = {}
    visiting: set[str] = set()

    def level(node: str) -> int | None:
        if node in levels:
            return levels[node]
        if node in visiting:
            return None
        visiting.add(node)
        best = 0
        for dep in graph[node]:
            got = level(dep)
            if got is None:
                return None
            best = max(best, got + 1)
        visiting.discard(node)
        levels[node] = best
        return best

    for node in graph:
        if level(node) is None:
            return None
    return levels
