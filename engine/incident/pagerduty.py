"""PagerDuty incident log entries: `GET /incidents/{id}/log_entries` (`{"log_entries": [...]}`) or a list.

Each entry has `type` (trigger_log_entry, acknowledge_log_entry,
annotate_log_entry, resolve_log_entry...), `created_at`, `summary` (what
happened, in PagerDuty's words), `agent` (who or what did it), `channel`
(for a note, its text in `summary`), `service` and `incident`. Each entry
becomes an update titled by its type; notification entries (who was paged on
which phone or address) are skipped. Agents' names become the role `--role`
gives them, else "responder 1", "responder 2"..., unless `--keep-names`.
With `--service "NAME=SERVICE"` for the PagerDuty service, the trigger makes
that service degraded and the resolve brings it up again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from engine.incident import Change, IncidentError, Record, Update, order
from engine.incident.read import check_count, check_text, field
from engine.incident.redact import Redactor
from engine.incident.text import plain
from engine.incident.times import moment

if TYPE_CHECKING:
    from engine.incident.sources import Options

_TITLES = {"trigger": "Triggered", "acknowledge": "Acknowledged", "annotate": "Note", "resolve": "Resolved",
           "assign": "Assigned", "escalate": "Escalated", "reach_trigger_limit": "Trigger limit reached",
           "snooze": "Snoozed", "unacknowledge": "Unacknowledged", "reassign": "Reassigned",
           "priority_change": "Priority changed", "urgency_change": "Urgency changed", "status_update": "Status update",
           "responder_request": "Responders requested", "responder_accept": "Responder joined", "merge": "Merged",
           "exhaust_escalation_path": "Escalation path exhausted", "link": "Linked", "delegate": "Delegated"}
_SKIP = {"notify_log_entry", "repeat_escalation_path_log_entry"}
_PEOPLE = {"user_reference", "user"}


def looks_like(data: Any) -> bool:
    """Whether parsed JSON is PagerDuty log entries."""
    entries = data.get("log_entries") if isinstance(data, dict) else data
    return isinstance(entries, list) and bool(entries) and all(
        isinstance(e, dict) and str(e.get("type", "")).endswith("_log_entry") for e in entries[:20])


def read(data: Any, name: str, options: Options, redactor: Redactor) -> Record:
    """The incident's log as updates. Raises IncidentError naming the field."""
    entries, base = (data.get("log_entries"), "$.log_entries") if isinstance(data, dict) else (data, "$")
    if not isinstance(entries, list):
        raise IncidentError(f"{name}: {base}: expected a list of log entries")
    check_count(len(entries), "log entries", name)
    notes: list[str] = []
    labels: dict[str, str] = {}
    kept: list[tuple[dt.datetime, str, dict[str, Any]]] = []
    skipped = 0
    for i, entry in enumerate(entries):
        where = f"{base}[{i}]"
        kind = field(entry, "type", where)
        if kind in _SKIP:
            skipped += 1
            continue
        when = moment(field(entry, "created_at", where), f"{where}.created_at", options.tz, notes)
        for person in _people(entry):
            if person not in labels:
                labels[person] = options.roles.get(person) or (person if options.keep_names
                                                               else f"responder {len(labels) + 1}")
            redactor.add_name(person, labels[person])
        kept.append((when, where, entry))
    if skipped:
        notes.append(f"{name}: {skipped} notification entries (who was paged, and how) skipped")
    if not kept:
        raise IncidentError(f"{name}: {base}: no log entries to drill")
    updates = [_update(when, where, entry, options, redactor, name) for when, where, entry in kept]
    incident: dict[str, Any] = next((e["incident"] for _, _, e in kept if isinstance(e.get("incident"), dict)), {})
    incident_id = plain(str(incident.get("id") or ""))
    title = plain(str(incident.get("summary") or ""))
    record = Record("PagerDuty", incident_id, redactor.text(title), order(updates, notes), notes)
    unmapped = [label for label in labels.values() if label.startswith("responder ")]
    if unmapped:
        record.decisions.append(f"who {', '.join(unmapped[:6])} stand for: map them to roles with --role NAME=ROLE")
    return record


def _people(entry: dict[str, Any]) -> list[str]:
    out = []
    for key in ("agent", "user", "assignee"):
        ref = entry.get(key)
        if isinstance(ref, dict) and str(ref.get("type")) in _PEOPLE and isinstance(ref.get("summary"), str):
            out.append(ref["summary"].strip())
    assignees = entry.get("assignees")
    for ref in assignees if isinstance(assignees, list) else []:
        if isinstance(ref, dict) and isinstance(ref.get("summary"), str):
            out.append(ref["summary"].strip())
    return [p for p in out if p]


def _update(when: dt.datetime, where: str, entry: dict[str, Any], options: Options, redactor: Redactor,
            name: str) -> Update:
    kind = str(entry["type"]).removesuffix("_log_entry")
    summary = plain(str(field(entry, "summary", where, required=False) or ""))
    channel: dict[str, Any] = entry["channel"] if isinstance(entry.get("channel"), dict) else {}
    note = channel.get("summary") if kind == "annotate" else None
    if kind == "annotate" and isinstance(channel.get("details"), str):
        note = channel["details"]
    text = plain(str(note)) if isinstance(note, str) and note.strip() else summary
    text = redactor.text(check_text(text, f"{where}.summary"))
    changes = []
    service = entry.get("service")
    if isinstance(service, dict) and isinstance(service.get("summary"), str):
        component = plain(service["summary"])
        if kind == "trigger":
            changes.append(Change(component, "degraded", "triggered"))
        elif kind == "resolve":
            changes.append(Change(component, "up", "resolved"))
    return Update(when, text, f"{name}: {where}", _TITLES.get(kind, kind.replace("_", " ").capitalize()),
                  changes=changes)
