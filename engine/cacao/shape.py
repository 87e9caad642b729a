"""Every problem with a playbook's shape, each with its JSON path, before the importer reads it.

The importer walks the workflow trusting what this module has checked: the
required fields, the types of every field it reads (links are strings naming
steps, lists are lists, objects are objects), and the tabletop extension's
fields. All problems of a file are collected, so one run names them all.
What the specification requires but tabletop can do without (an action step's
`commands` or `agent`) is a warning from the importer instead.
"""

from __future__ import annotations

import json
from typing import Any

from engine.cacao import EXTENSION_ID

STEP_TYPES = {"start", "end", "action", "playbook-action", "parallel", "if-condition", "while-condition",
              "switch-condition"}
REQUIRED = ["type", "spec_version", "id", "name", "created_by", "created", "modified", "workflow_start", "workflow"]
STEP_REQUIRED = {"parallel": ["next_steps"], "switch-condition": ["switch", "cases"],
                 "if-condition": ["condition", "on_true"], "while-condition": ["condition", "on_true"],
                 "playbook-action": ["playbook_id"]}
LINKS = ("on_completion", "on_success", "on_failure", "on_true", "on_false")
_TEXT = ("name", "description", "condition", "switch", "agent", "playbook_id")
_EXT_TEXT = ("step_id", "title", "owner_role", "target", "fallback", "question", "on_event", "runbook_id", "summary",
             "decision_within", "decision_default")
_EXT_LISTS = ("objectives", "checklist", "needs", "requires")
MAX_PROBLEMS = 50  # a file that is not a playbook at all would otherwise list thousands


def step_path(step_id: str, *rest: str | int) -> str:
    """`$.workflow["action--..."].commands[0]` for a step and the path inside it."""
    out = f"$.workflow[{json.dumps(step_id, ensure_ascii=False)}]"
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def problems(data: Any) -> list[str]:
    """`PATH: message` for every problem found, in document order; empty for a playbook the importer can read."""
    if not isinstance(data, dict):
        return ["$: expected a JSON object (a CACAO playbook)"]
    out = [f"$.{key}: missing required field" for key in REQUIRED if key not in data]
    if "type" in data and data["type"] != "playbook":
        out.append(f"$.type: expected \"playbook\", got {_show(data['type'])}")
    if "spec_version" in data and data["spec_version"] != "cacao-2.0":
        out.append(f"$.spec_version: {_show(data['spec_version'])} is not supported; only cacao-2.0 is")
    if "name" in data and not isinstance(data["name"], str):
        out.append(f"$.name: expected text, got {_kind(data['name'])}")
    for key in ("agent_definitions", "playbook_extensions"):
        if key in data and not isinstance(data[key], dict):
            out.append(f"$.{key}: expected an object, got {_kind(data[key])}")
    workflow = data.get("workflow")
    if "workflow" in data and (not isinstance(workflow, dict) or not workflow):
        out.append("$.workflow: expected an object of workflow steps")
        workflow = None
    if workflow is not None and "workflow_start" in data:
        start = data["workflow_start"]
        if not isinstance(start, str) or start not in workflow:
            out.append(f"$.workflow_start: step {_show(start)} is not in $.workflow")
    for step_id, step in (workflow or {}).items():
        out += _step(step_id, step, workflow or {})
    out += _extension(data.get("playbook_extensions"), "$.playbook_extensions")
    return out[:MAX_PROBLEMS] + ([f"... and {len(out) - MAX_PROBLEMS} more"] if len(out) > MAX_PROBLEMS else [])


def _step(step_id: str, step: Any, workflow: dict[str, Any]) -> list[str]:
    if not isinstance(step, dict):
        return [f"{step_path(step_id)}: expected an object, got {_kind(step)}"]
    if "type" not in step:
        return [f"{step_path(step_id, 'type')}: missing required field"]
    kind = step["type"]
    if not isinstance(kind, str) or kind not in STEP_TYPES:
        return [f"{step_path(step_id, 'type')}: {_show(kind)} is not a CACAO 2.0 workflow step type"]
    out = [f"{step_path(step_id, key)}: missing required field"
           for key in STEP_REQUIRED.get(kind, []) if key not in step]
    out += [f"{step_path(step_id, key)}: expected text, got {_kind(step[key])}"
            for key in _TEXT if key in step and not isinstance(step[key], str)]
    for key in LINKS:
        if key in step and (not isinstance(step[key], str) or step[key] not in workflow):
            out.append(f"{step_path(step_id, key)}: no step {_show(step[key])} in $.workflow")
    if kind == "parallel" and "next_steps" in step:
        out += _links(step_id, "next_steps", step["next_steps"], workflow, list)
    if kind == "switch-condition" and "cases" in step:
        out += _links(step_id, "cases", step["cases"], workflow, dict)
    if "commands" in step:
        out += _commands(step_id, step["commands"])
    out += _extension(step.get("step_extensions"), step_path(step_id, "step_extensions"))
    return out


def _links(step_id: str, key: str, value: Any, workflow: dict[str, Any], kind: type) -> list[str]:
    targets: list[Any]
    if kind is list and isinstance(value, list):
        targets = value
    elif kind is dict and isinstance(value, dict):
        targets = list(value.values())
    else:
        wanted = "a list of step ids" if kind is list else "an object of case -> step id"
        return [f"{step_path(step_id, key)}: expected {wanted}, got {_kind(value)}"]
    return [f"{step_path(step_id, key, index)}: no step {_show(target)} in $.workflow"
            for index, target in enumerate(targets) if not isinstance(target, str) or target not in workflow]


def _commands(step_id: str, commands: Any) -> list[str]:
    if not isinstance(commands, list):
        return [f"{step_path(step_id, 'commands')}: expected a list of commands, got {_kind(commands)}"]
    out = []
    for index, command in enumerate(commands):
        if not isinstance(command, dict) or "type" not in command:
            out.append(f"{step_path(step_id, 'commands', index, 'type')}: missing required field")
            continue
        for key in ("type", "command", "command_b64", "description"):
            if key in command and not isinstance(command[key], str):
                out.append(f"{step_path(step_id, 'commands', index, key)}: expected text, got {_kind(command[key])}")
    return out


def _extension(holder: Any, where: str) -> list[str]:
    """The tabletop extension's fields, where present (tabletop's own export, or a hand-edited copy)."""
    if not isinstance(holder, dict) or EXTENSION_ID not in holder:
        return []
    ext = holder[EXTENSION_ID]
    here = f"{where}[{json.dumps(EXTENSION_ID)}]"
    if not isinstance(ext, dict):
        return [f"{here}: expected an object, got {_kind(ext)}"]
    step = where.endswith("step_extensions")
    out = [f"{here}.{key}: expected text, got {_kind(ext[key])}"
           for key in _EXT_TEXT if ext.get(key) is not None and not isinstance(ext[key], str)]
    out += [f"{here}.{key}: expected a list of text"
            for key in (_EXT_LISTS if step else ()) if ext.get(key) is not None and not _texts(ext[key])]
    pairs = (("options", "option_id"),) if step else (("roles", "role_id"), ("services", "service_id"),
                                                      ("objectives", "objective_id"))
    out += [f"{here}.{key}: expected a list of objects with a text {id_key}"
            for key, id_key in pairs if ext.get(key) is not None and not _identified(ext[key], id_key)]
    options: list[Any] = ext["options"] if step and isinstance(ext.get("options"), list) else []
    out += [f"{here}.options[{index}].next: expected a list of step ids" for index, option in enumerate(options)
            if isinstance(option, dict) and option.get("next") is not None and not _texts(option["next"])]
    out += [f"{here}.options[{index}].label: expected text" for index, option in enumerate(options)
            if isinstance(option, dict) and option.get("label") is not None and not isinstance(option["label"], str)]
    if not step:
        out += _controls(ext, here)
    if ext.get("version") is not None and (not isinstance(ext["version"], int) or isinstance(ext["version"], bool)):
        out.append(f"{here}.version: expected a whole number")
    return out


def _controls(ext: dict[str, Any], here: str) -> list[str]:
    """The runbook's controls and each objective's: lists of text where present."""
    out = [f"{here}.controls: expected a list of text"] if ext.get("controls") is not None \
        and not _texts(ext["controls"]) else []
    objectives = ext["objectives"] if isinstance(ext.get("objectives"), list) else []
    out += [f"{here}.objectives[{index}].{key}: expected {wanted}" for index, item in enumerate(objectives)
            for key, wanted, fits in (("controls", "a list of text", _texts), ("description", "text", _is_text))
            if isinstance(item, dict) and item.get(key) is not None and not fits(item[key])]
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _texts(value: Any) -> bool:
    """Whether `value` is a list of text."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _identified(value: Any, id_key: str) -> bool:
    """Whether `value` is a list of objects, each with a text `id_key`."""
    return isinstance(value, list) and all(isinstance(v, dict) and isinstance(v.get(id_key), str) for v in value)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (str, int, float, bool, type(None))) \
        else _kind(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)
