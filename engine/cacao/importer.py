"""A CACAO v2.0 playbook with manual steps -> runbook data, reporting what does not carry over.

The workflow is walked from workflow_start, keeping the set of action steps
that have just finished (the frontier):
  - an action step needs the frontier it is reached with; it becomes the frontier;
  - a parallel step runs each branch from the same frontier; its join is the
    union of what the branches end with;
  - on_failure leads to the step's fallback, which needs nothing and rejoins;
  - a switch-condition is a decision of the action step before it (or of a
    new step, when several came before): each case is an option, its branch's
    action steps the option's `next`;
  - an if-condition testing [x-tabletop-event:id = 'E'] is an event branch
    (`on: E`); any other if-condition is a decision with options yes and no;
  - playbook-action and while-condition steps have no tabletop meaning: they
    are reported and passed through.
Where a step carries the tabletop extension (tabletop's own export), its ids,
exact needs, services, objectives and targets are taken from it instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from engine.cacao import EVENT_CONDITION_OBJECT, EXTENSION_ID, CacaoError
from engine.cacao.shape import problems
from engine.cacao.shape import step_path as _path
from engine.model import ID_PATTERN
from engine.scaffold import kebab, unique

_EVENT = re.compile(r"^\s*\[\s*" + re.escape(EVENT_CONDITION_OBJECT) + r"\s*:\s*id\s*=\s*'([^']+)'\s*\]\s*$")
_ID = re.compile(ID_PATTERN)
# What a runbook is made from, or what tabletop's export writes again: everything else is reported as dropped.
_PLAYBOOK_KEYS_READ = {"type", "spec_version", "id", "name", "description", "created_by", "created", "modified",
                       "workflow_start", "workflow", "agent_definitions", "playbook_extensions",
                       "extension_definitions", "playbook_types"}
_STEP_KEYS_READ = {"type", "name", "description", "on_completion", "on_success", "on_failure", "on_true", "on_false",
                   "next_steps", "cases", "switch", "condition", "commands", "agent", "step_extensions",
                   "playbook_id"}
_COMMAND_KEYS_READ = {"type", "command", "command_b64", "description"}
_OWN_EXPORT_KEYS = {"labels", "playbook_activities", "playbook_variables"}  # with the extension: tabletop's own
_AGENT_KEYS_READ = {"type", "name", "description", "agent_target_extensions"}


@dataclass
class Imported:
    data: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    key: str  # the CACAO step id, or "new:<control id>" for a decision step made up for a switch
    name: str
    needs: list[str] = field(default_factory=list)
    fallback: str | None = None
    on: str | None = None
    question: str | None = None
    options: dict[str, list[str]] | None = None


def parse_json(text: str, source: str) -> Any:
    """The JSON value of a playbook file. Raises CacaoError (not JSON, nested too deeply, a huge number)."""
    try:
        value = json.loads(text)
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone \ud800 escape loads, but is no text
        return value
    except UnicodeEncodeError as exc:
        raise CacaoError(f"{source}: holds \\u{ord(exc.object[exc.start]):04x}, half of a UTF-16 pair with no "
                         "other half; it is not text a runbook can hold") from None
    except json.JSONDecodeError as exc:
        raise CacaoError(f"{source}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise CacaoError(f"{source}: the JSON nests too deeply to be a playbook") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise CacaoError(f"{source}: not usable JSON: {exc}") from None


def from_playbook(data: Any, source: str) -> Imported:
    """Runbook data for a playbook. Raises CacaoError with one line per problem, each naming its JSON path."""
    found = problems(data)
    if found:
        raise CacaoError("\n".join(f"{source}: {line}" for line in found))
    return _Reader(data, source).read()


class _Reader:
    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source
        self.wf: dict[str, dict[str, Any]] = data["workflow"]
        self.warnings: list[str] = []
        self.drafts: dict[str, _Draft] = {}
        self.walked: set[str] = set()
        self.contexts: list[list[str]] = [[]]

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{self.source}: {where}: {message}")

    # ----- the walk -----

    def read(self) -> Imported:
        self.chain(self.data["workflow_start"], [])
        for step_id, step in self.wf.items():
            if step["type"] == "action" and step_id not in self.drafts:
                self.warn(_path(step_id), "not reachable from workflow_start; imported as a step that needs nothing")
                self.drafts[step_id] = _Draft(step_id, step.get("name", ""))
        return Imported(self.runbook(), self.warnings)

    def chain(self, node: str | None, frontier: list[str], stop: frozenset[str] = frozenset()) -> list[str]:
        while node is not None and node not in stop:
            step = self.wf[node]
            kind = step["type"]
            if kind == "end":
                return frontier
            if kind == "action":
                if node in self.drafts:  # two paths meet here: it waits for both
                    _extend(self.drafts[node].needs, frontier)
                    return []
                self.drafts[node] = _Draft(node, step.get("name", ""), list(frontier))
                self.contexts[-1].append(node)
                if "on_failure" in step:
                    success = step.get("on_success") or step.get("on_completion")
                    self.fallback(node, step["on_failure"], stop | ({success} if success else set()))
                    frontier, node = [node], success
                else:
                    frontier, node = [node], _next(step)
                continue
            if node in self.walked:
                return frontier
            self.walked.add(node)
            if kind == "parallel":
                joined: list[str] = []
                for branch in step["next_steps"]:
                    _extend(joined, self.chain(branch, frontier, stop))
                frontier = joined
            elif kind == "switch-condition":
                cases = {str(k): v for k, v in step["cases"].items()}
                frontier = self.decision(node, step, cases, frontier, stop)
            elif kind == "if-condition":
                match = _EVENT.match(str(step["condition"]))
                if match:
                    self.event(node, step, match.group(1), stop)
                else:
                    if "on_false" not in step:
                        self.warn(_path(node, "on_false"), "not given: the decision's option `no` opens nothing "
                                  "and the flow carries on")
                    cases = {"yes": step["on_true"], "no": step.get("on_false")}
                    frontier = self.decision(node, step, cases, frontier, stop)
            elif kind == "playbook-action":
                self.warn(_path(node), "a playbook-action step (calls another playbook) has no tabletop meaning; "
                          "not carried over")
            elif kind == "while-condition":
                self.warn(_path(node), "a while-condition step (a loop) has no tabletop meaning; the loop is not "
                          "carried over, the steps in it are read as if they ran once")
                frontier = frontier + [k for k in self.chain(step["on_true"], frontier, stop) if k not in frontier]
            elif kind == "start" and ("on_failure" in step or "on_success" in step):
                self.warn(_path(node), "a start step's on_success/on_failure are not carried over")
            node = _next(step)
        return frontier

    def fallback(self, owner: str, target: str, stop: frozenset[str]) -> None:
        self.contexts.append([])  # fallback steps belong to no decision option
        self.chain(target, [], stop)
        self.contexts.pop()
        if self.wf[target]["type"] == "action":
            self.drafts[owner].fallback = target
        else:
            self.warn(_path(owner, "on_failure"), "leads to a non-action step; no fallback carried over")

    def decision(self, node: str, step: dict[str, Any], cases: dict[str, str | None], frontier: list[str],
                 stop: frozenset[str]) -> list[str]:
        decider = self.decider(node, step, frontier)
        options: dict[str, list[str]] = {}
        joined: list[str] = []
        taken: set[str] = set()
        empty = False
        for case, target in cases.items():
            self.contexts.append([])
            if target is not None:
                _extend(joined, self.chain(target, [], stop))
            members = self.contexts.pop()
            option = unique(kebab(case, fallback="option") if not _ID.match(case) else case, taken)
            options[option] = members
            empty = empty or not members
        decider.question = str(step.get("name") or step.get("description") or step.get("switch")
                               or step.get("condition") or "Which way?")
        decider.options = options
        if empty:
            _extend(joined, [decider.key])
        return joined

    def decider(self, node: str, step: dict[str, Any], frontier: list[str]) -> _Draft:
        """The decision's step: the one action just before, or a new step when there is none."""
        if len(frontier) == 1 and self.drafts[frontier[0]].options is None:
            return self.drafts[frontier[0]]
        key = f"new:{node}"
        draft = _Draft(key, str(step.get("name") or "Decide"), list(frontier))
        self.drafts[key] = draft
        self.contexts[-1].append(key)
        return draft

    def event(self, node: str, step: dict[str, Any], event: str, stop: frozenset[str]) -> None:
        self.contexts.append([])
        self.chain(step["on_true"], [], stop)
        created = self.contexts.pop()
        if created:
            self.drafts[created[0]].on = event
        if "on_false" in step:
            self.warn(_path(node, "on_false"), "the branch for when the event has not arrived is not carried over")

    # ----- the runbook -----

    def runbook(self) -> dict[str, Any]:
        data = self.data
        ext = _ext(data.get("playbook_extensions"))
        self._report_dropped()
        ids = self._step_ids()
        roles, owners = self._roles(ext)
        services = {s["service_id"]: s["description"] for s in ext.get("services") or [] if _pair(s, "service_id")}
        objectives = {o["objective_id"]: _objective(o) for o in ext.get("objectives") or []
                      if _pair(o, "objective_id")}
        steps = {ids[key]: self._step(key, ids, owners) for key in self._order()}
        self._stand_in_services(steps, services)
        out: dict[str, Any] = {"runbook": _runbook_id(ext, data), "title": str(data["name"])}
        if isinstance(ext.get("version"), int):
            out["version"] = ext["version"]
        summary = ext.get("summary") or (data.get("description") if data.get("description") != data["name"] else None)
        if summary:
            out["summary"] = str(summary)
        controls = [c for c in ext.get("controls") or [] if isinstance(c, str)]
        for key, value in (("services", services), ("roles", roles), ("controls", controls),
                           ("objectives", objectives)):
            if value:
                out[key] = value
        out["steps"] = steps
        return out

    def _stand_in_services(self, steps: dict[str, Any], services: dict[str, str]) -> None:
        """A fallback opens only while a required service is down; an on_failure link names no service,
        so a step with a fallback and no `requires` gets a stand-in service to rename."""
        for sid, step in steps.items():
            if step.get("fallback") and not step.get("requires"):
                service = unique(f"{sid}-dependency", set(services))
                services[service] = (f"What `{sid}` depends on: while it is down, the fallback "
                                     f"`{step['fallback']}` opens (from CACAO on_failure; rename it)")
                step["requires"] = [service]
                self.warn(sid, f"the on_failure link became fallback `{step['fallback']}` with a stand-in "
                          f"service `{service}`; rename it to what the step really depends on")

    def _order(self) -> list[str]:
        """Steps in the order the workflow lists them; made-up decision steps before their switch."""
        position = {step_id: i for i, step_id in enumerate(self.wf)}

        def rank(key: str) -> tuple[int, int]:
            if key.startswith("new:"):
                return position[key[4:]], 0
            return position[key], 1

        return sorted(self.drafts, key=rank)

    def _step_ids(self) -> dict[str, str]:
        taken: set[str] = set()
        out: dict[str, str] = {}
        for key in self._order():
            ext = self._step_ext(key)
            wanted = ext.get("step_id")
            if isinstance(wanted, str) and _ID.match(wanted) and wanted not in taken:
                taken.add(wanted)
                out[key] = wanted
        for key in self._order():
            if key not in out:
                out[key] = unique(_short_id(self.drafts[key].name or "step"), taken)
        return out

    def _step_ext(self, key: str) -> dict[str, Any]:
        if key.startswith("new:"):
            return {}
        return _ext(self.wf[key].get("step_extensions"))

    def _roles(self, ext: dict[str, Any]) -> tuple[dict[str, str], dict[str, str | None]]:
        """Roles from the agents the steps use, and each agent's role id (None: no owner)."""
        described = {r["role_id"]: r["description"] for r in ext.get("roles") or [] if _pair(r, "role_id")}
        agents = self.data.get("agent_definitions") or {}
        roles: dict[str, str] = dict(described)
        owners: dict[str, str | None] = {}
        taken = set(roles)
        used = [self.wf[k].get("agent") for k in self.drafts if not k.startswith("new:")]
        for agent_id in dict.fromkeys(a for a in used if a):
            agent = agents.get(agent_id)
            if not isinstance(agent, dict):
                self.warn("$.agent_definitions", f"agent {json.dumps(agent_id)} is not defined; steps keep no owner")
                owners[agent_id] = None
                continue
            marker = _ext(agent.get("agent_target_extensions"))
            if marker.get("unassigned"):
                owners[agent_id] = None
                continue
            role = marker.get("role_id")
            if not (isinstance(role, str) and _ID.match(role)):
                role = kebab(str(agent.get("name") or agent_id), fallback="role")
                if role not in roles:
                    role = unique(role, taken)
            roles.setdefault(role, str(agent.get("description") or agent.get("name") or role))
            owners[agent_id] = role
        return roles, owners

    def _step(self, key: str, ids: dict[str, str], owners: dict[str, str | None]) -> dict[str, Any]:
        """The runbook step for a workflow key: exact from tabletop's own step extension when the playbook has
        one, else drafted from the workflow. Keys in the runbook's order; empty ones left out."""
        draft = self.drafts[key]
        step = {} if key.startswith("new:") else self.wf[key]
        ext = self._step_ext(key)
        out: dict[str, Any] = {"title": str(ext.get("title") or draft.name or self._title(step) or ids[key])}
        if step.get("description"):
            out["summary"] = str(step["description"])
        parts = _exact_parts(ext, draft) if ext else self._drafted_parts(key, step, draft, ids, owners)
        out.update((name, value) for name, value in parts if value)
        return out

    def _drafted_parts(self, key: str, step: dict[str, Any], draft: _Draft, ids: dict[str, str],
                       owners: dict[str, str | None]) -> list[tuple[str, Any]]:
        """A step's fields from the workflow alone (another tool's playbook)."""
        decision = None
        if draft.options is not None:
            decision = {"question": draft.question,
                        "options": {o: {"next": [ids[m] for m in members]} if members else {}
                                    for o, members in draft.options.items()}}
        return [("owner", owners.get(step.get("agent", ""))),
                ("do", [str(item) for item in self._checklist(key, step, draft)]),
                ("needs", [ids[n] for n in draft.needs if n in ids]),
                ("fallback", ids[draft.fallback] if draft.fallback else None),
                ("decision", decision),
                ("on", draft.on)]

    def _title(self, step: dict[str, Any]) -> str:
        for command in step.get("commands", []):
            try:
                text = _command_text(command)
            except CacaoError:
                continue  # reported with its path when the checklist is read
            if text.strip():
                return text.strip().splitlines()[0].strip()
        return ""

    def _checklist(self, key: str, step: dict[str, Any], draft: _Draft) -> list[str]:
        if step.get("type") == "action" and not step.get("commands"):
            self.warn(_path(key, "commands"), "no commands (a process step); imported with an empty checklist")
        items: list[str] = []
        for index, command in enumerate(step.get("commands", [])):
            if command.get("type") != "manual":
                self.warn(_path(key, "commands", index),
                          f"a {command.get('type')} command is not carried over (only manual commands are)")
                continue
            try:
                text = _command_text(command)
            except CacaoError as exc:
                raise CacaoError(f"{self.source}: {_path(key, 'commands', index, 'command_b64')}: {exc}") from None
            if draft.options is not None and text.startswith("Decide: "):
                continue  # the decision's question, which the switch carries
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if lines and lines[0] == draft.name.strip():
                lines = lines[1:]
            items += [line[2:].strip() if line.startswith("- ") else line for line in lines]
        return [item for item in items if item]

    def _report_dropped(self) -> None:
        """One line for each property that has no place in a runbook."""
        own = bool(_ext(self.data.get("playbook_extensions")))  # tabletop's export writes these again
        for key in self.data:
            if key not in _PLAYBOOK_KEYS_READ and not (own and key in _OWN_EXPORT_KEYS):
                self.warn(f"$.{key}", "not carried over (a runbook has no place for it)")
        for key in self.data.get("playbook_extensions") or {}:
            if key != EXTENSION_ID:
                self.warn(f'$.playbook_extensions["{key}"]', "an extension tabletop does not know; not carried over")
        steps = [self.wf[k] for k in self.drafts if not k.startswith("new:")]
        _count_dropped(self, "$.workflow[*]", steps, _STEP_KEYS_READ | ({"out_args"} if own else set()), "step")
        commands = [c for s in steps for c in s.get("commands") or [] if isinstance(c, dict)]
        _count_dropped(self, "$.workflow[*].commands[*]", commands,
                       _COMMAND_KEYS_READ | ({"playbook_activity"} if own else set()), "command")
        agents = [a for a in (self.data.get("agent_definitions") or {}).values() if isinstance(a, dict)]
        _count_dropped(self, "$.agent_definitions[*]", agents, _AGENT_KEYS_READ, "agent")
        no_agent = [k for k, s in zip([k for k in self.drafts if not k.startswith("new:")], steps, strict=True)
                    if s.get("type") == "action" and not s.get("agent")]
        if no_agent:
            self.warn("$.workflow[*].agent", f"missing on {len(no_agent)} action step{'s' if len(no_agent) > 1 else ''}"
                      " (required by CACAO); those steps have no owner")


def _count_dropped(reader: _Reader, where: str, items: list[dict[str, Any]], read: set[str], what: str) -> None:
    counts: dict[str, int] = {}
    for item in items:
        for key in item:
            if key not in read:
                counts[key] = counts.get(key, 0) + 1
    for key, count in counts.items():
        reader.warn(f"{where}.{key}", f"not carried over ({count} {what}{'s' if count > 1 else ''})")


_LINKING = {"the", "a", "an", "of", "to", "on", "in", "for", "and", "or", "with", "from", "by", "at", "is"}


def _exact_parts(ext: dict[str, Any], draft: _Draft) -> list[tuple[str, Any]]:
    """A step's fields from tabletop's own step extension (a playbook tabletop exported)."""
    options = ext.get("options")
    decision = None
    if options:
        decision = {"question": str(ext.get("question") or draft.question or "Which way?"),
                    "options": {o["option_id"]: _option(o) for o in options}}
        for key, field in (("decision_within", "within"), ("decision_default", "default")):  # a timed decision
            if ext.get(key) is not None:
                decision[field] = ext[key]
    return [("owner", ext.get("owner_role")),
            ("target", ext.get("target")),
            ("objectives", list(ext.get("objectives") or [])),
            ("do", [str(item) for item in ext.get("checklist") or []]),
            ("needs", list(ext.get("needs") or [])),
            ("requires", list(ext.get("requires") or [])),
            ("fallback", ext.get("fallback")),
            ("decision", decision),
            ("on", ext.get("on_event"))]


def _short_id(name: str) -> str:
    """A step id from its name, at most five words: 'Read the incident on the dashboard' -> 'read-the-incident'."""
    words = kebab(name, fallback="step").split("-")[:5]
    while len(words) > 1 and words[-1] in _LINKING:
        words.pop()
    return "-".join(words)


def _next(step: dict[str, Any]) -> str | None:
    return step.get("on_completion") or step.get("on_success")


def _extend(into: list[str], items: list[str]) -> None:
    for item in items:
        if item not in into:
            into.append(item)


def _ext(holder: Any) -> dict[str, Any]:
    if isinstance(holder, dict) and isinstance(holder.get(EXTENSION_ID), dict):
        return holder[EXTENSION_ID]
    return {}


def _objective(item: dict[str, Any]) -> Any:
    """An objective as the runbook writes it: its text, or text and controls (tabletop's extension)."""
    controls = [c for c in item.get("controls") or [] if isinstance(c, str)]
    return {"text": item["description"], "controls": controls} if controls else item["description"]


def _pair(item: Any, key: str) -> bool:
    return isinstance(item, dict) and isinstance(item.get(key), str) and isinstance(item.get("description"), str)


def _option(option: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if option.get("label"):
        out["label"] = option["label"]
    if option.get("next"):
        out["next"] = list(option["next"])
    return out


def _runbook_id(ext: dict[str, Any], data: dict[str, Any]) -> str:
    wanted = ext.get("runbook_id")
    if isinstance(wanted, str) and _ID.match(wanted):
        return wanted
    return kebab(str(data["name"]), fallback="playbook")


def _command_text(command: dict[str, Any]) -> str:
    if isinstance(command.get("command"), str):
        return command["command"]
    if isinstance(command.get("command_b64"), str):
        try:
            return base64.b64decode(command["command_b64"], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise CacaoError("not valid base64 of UTF-8 text") from None
    return str(command.get("description") or "")
