"""Atlassian Statuspage incidents: `/api/v2/incidents.json` (`{"incidents": [...]}`) or one incident.

An incident has `id`, `name` and `incident_updates`, newest first; each update
has `status` (investigating, identified, monitoring, resolved...), `body`
(plain text), `display_at` (else `created_at`) and `affected_components` with
`name`, `old_status` and `new_status` (operational, degraded_performance,
partial_outage, major_outage, under_maintenance).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.incident import Change, IncidentError, Record, Update, order
from engine.incident.read import check_count, check_text, field
from engine.incident.redact import Redactor
from engine.incident.text import html_text, looks_like_html, plain
from engine.incident.times import moment

HEALTH = {"operational": "up", "degraded_performance": "degraded", "partial_outage": "degraded",
          "major_outage": "down", "under_maintenance": "down"}


def looks_like(data: Any) -> bool:
    """Whether parsed JSON has Statuspage's shape."""
    if isinstance(data, dict) and isinstance(data.get("incidents"), list):
        return True
    inner = data.get("incident") if isinstance(data, dict) else None
    return isinstance(inner if isinstance(inner, dict) else data, dict) and "incident_updates" in (
        inner if isinstance(inner, dict) else data)


def read(data: Any, name: str, wanted: str | None, tz: dt.tzinfo | None, redactor: Redactor) -> Record:
    """The incident (the one `wanted` names, when the file has several). Raises IncidentError."""
    incident, where = _pick(data, name, wanted)
    notes: list[str] = []
    incident_id = str(field(incident, "id", where, (str, int), required=False) or "")
    title = plain(str(field(incident, "name", where, required=False) or ""))
    updates_raw = field(incident, "incident_updates", where, list)
    check_count(len(updates_raw), "updates", name)
    if not updates_raw:
        raise IncidentError(f"{where}.incident_updates: empty; the incident has no updates to drill")
    updates = [_update(u, f"{where}.incident_updates[{i}]", tz, notes, redactor) for i, u in enumerate(updates_raw)]
    record = Record("Atlassian Statuspage", incident_id, title, order(updates, notes), notes)
    shortlink = incident.get("shortlink")
    if isinstance(shortlink, str) and shortlink.startswith("https://"):
        record.notes.append(f"{name}: the incident's page: {shortlink}")
    return record


def _pick(data: Any, name: str, wanted: str | None) -> tuple[dict[str, Any], str]:
    if isinstance(data, dict) and isinstance(data.get("incidents"), list):
        incidents = data["incidents"]
        if not incidents:
            raise IncidentError(f"{name}: $.incidents: empty; no incident to import")
        for i, item in enumerate(incidents):
            if not isinstance(item, dict):
                raise IncidentError(f"{name}: $.incidents[{i}]: expected an object")
        if wanted:
            for i, item in enumerate(incidents):
                if str(item.get("id")) == wanted:
                    return item, f"$.incidents[{i}]"
            raise IncidentError(f"{name}: no incident with id {wanted!r}; the file has {_ids(incidents)}")
        if len(incidents) > 1:
            raise IncidentError(f"{name}: {len(incidents)} incidents; pick one with --incident ID ({_ids(incidents)})")
        return incidents[0], "$.incidents[0]"
    if isinstance(data, dict) and isinstance(data.get("incident"), dict):
        return data["incident"], "$.incident"
    if isinstance(data, dict):
        return data, "$"
    raise IncidentError(f"{name}: $: expected an object with incident_updates or incidents")


def _ids(incidents: list[dict[str, Any]]) -> str:
    ids = [str(i.get("id")) for i in incidents[:5]]
    return "ids " + ", ".join(ids) + (", ..." if len(incidents) > 5 else "")


def _update(raw: Any, where: str, tz: dt.tzinfo | None, notes: list[str], redactor: Redactor) -> Update:
    if not isinstance(raw, dict):
        raise IncidentError(f"{where}: expected an object")
    stamp = raw.get("display_at") or raw.get("created_at")
    key = "display_at" if raw.get("display_at") else "created_at"
    if stamp is None:
        raise IncidentError(f"{where}.created_at: missing (an update needs display_at or created_at)")
    when = moment(stamp, f"{where}.{key}", tz, notes)
    body = field(raw, "body", where, required=False) or ""
    text = html_text(body) if looks_like_html(body) else plain(body)
    status = str(field(raw, "status", where, required=False) or "")
    changes = []
    for i, comp in enumerate(field(raw, "affected_components", where, list, required=False) or []):
        at = f"{where}.affected_components[{i}]"
        component = plain(field(comp, "name", at))
        new = field(comp, "new_status", at)
        if new not in HEALTH:
            raise IncidentError(f"{at}.new_status: {new[:40]!r} is not a Statuspage status "
                                f"({', '.join(HEALTH)})")
        old = field(comp, "old_status", at, required=False)
        if old != new:
            changes.append(Change(component, HEALTH[new], new))
    return Update(when, redactor.text(check_text(text, f"{where}.body")), where, status.replace("_", " "),
                  changes=changes)
