"""Microsoft 365 service health issues as Microsoft Graph returns them.

`GET /admin/serviceAnnouncement/issues/{id}` gives one issue, the list call
`{"value": [...]}` several: `id` (MO1221364), `title`, `service`, `feature`,
`startDateTime`, `classification` (incident, advisory), `status`, `isResolved`
and `posts`, each with `createdDateTime`, `postType` and a `description` whose
`content` is HTML (`contentType: html`) or text. Posts carry no status of
their own, so the service's health is drawn from the issue: the first post
makes it degraded (down when the issue's status is serviceInterruption), and
the last post of a resolved issue brings it back up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.incident import Change, IncidentError, Record, Update, order
from engine.incident.read import check_count, check_text, field
from engine.incident.redact import Redactor
from engine.incident.text import html_text, plain
from engine.incident.times import moment

_RESOLVED = {"serviceRestored", "resolved", "resolvedExternal", "postIncidentReviewPublished", "falsePositive",
             "mitigated", "mitigatedExternal"}


def looks_like(data: Any) -> bool:
    """Whether parsed JSON has a Graph service health issue's shape."""
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        return any(isinstance(v, dict) and "posts" in v for v in data["value"])
    return isinstance(data, dict) and "posts" in data and ("service" in data or "startDateTime" in data)


def read(data: Any, name: str, wanted: str | None, tz: dt.tzinfo | None, redactor: Redactor) -> Record:
    """The issue (the one `wanted` names, in a list). Raises IncidentError naming the field."""
    issue, where = _pick(data, name, wanted)
    notes: list[str] = []
    issue_id = plain(str(field(issue, "id", where, required=False) or ""))
    title = plain(str(field(issue, "title", where, required=False) or ""))
    service = plain(str(field(issue, "service", where, required=False) or ""))
    feature = plain(str(field(issue, "feature", where, required=False) or ""))
    posts = field(issue, "posts", where, list)
    check_count(len(posts), "posts", name)
    if not posts:
        raise IncidentError(f"{where}.posts: empty; the issue has no posts to drill")
    updates = [_post(p, f"{where}.posts[{i}]", tz, notes, redactor) for i, p in enumerate(posts)]
    updates = order(updates, notes)
    status = str(issue.get("status") or "")
    if service:
        updates[0].changes.append(Change(service, "down" if status == "serviceInterruption" else "degraded",
                                         status or "incident"))
        if (issue.get("isResolved") is True or status in _RESOLVED) and len(updates) > 1:
            updates[-1].changes.append(Change(service, "up", status or "resolved"))
    started = issue.get("startDateTime")
    if isinstance(started, str):
        begin = moment(started, f"{where}.startDateTime", tz, notes)
        if begin < updates[0].when:
            lead = updates[0].when - begin
            notes.append(f"{name}: impact began at {begin.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC, "
                         f"{int(lead.total_seconds() // 60)} min before the first post (T+0)")
    record = Record("Microsoft 365 service health", issue_id, title, updates, notes, slug=issue_id)
    scope = " / ".join(x for x in (service, feature) if x)
    if scope:
        record.decisions.append(f"the issue's service is {scope}: its health changes are drawn from the issue's "
                                "status (first post degraded, resolved at the last); check them")
    return record


def _pick(data: Any, name: str, wanted: str | None) -> tuple[dict[str, Any], str]:
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        issues = [(i, v) for i, v in enumerate(data["value"]) if isinstance(v, dict)]
        if wanted:
            for i, item in issues:
                if str(item.get("id")) == wanted:
                    return item, f"$.value[{i}]"
            raise IncidentError(f"{name}: no issue with id {wanted!r} in $.value")
        if len(issues) != 1:
            ids = ", ".join(str(v.get("id")) for _, v in issues[:5])
            raise IncidentError(f"{name}: {len(issues)} issues; pick one with --incident ID ({ids})")
        return issues[0][1], f"$.value[{issues[0][0]}]"
    if isinstance(data, dict):
        return data, "$"
    raise IncidentError(f"{name}: $: expected a service health issue (an object with posts)")


def _post(raw: Any, where: str, tz: dt.tzinfo | None, notes: list[str], redactor: Redactor) -> Update:
    if not isinstance(raw, dict):
        raise IncidentError(f"{where}: expected an object")
    when = moment(field(raw, "createdDateTime", where), f"{where}.createdDateTime", tz, notes)
    description = field(raw, "description", where, dict)
    content = field(description, "content", f"{where}.description", required=False) or ""
    kind = str(description.get("contentType") or "html").lower()
    text = html_text(content) if kind == "html" else plain(content)
    post_type = str(raw.get("postType") or "")
    title = "" if post_type in {"", "regular"} else f"{post_type} update"
    return Update(when, redactor.text(check_text(text, f"{where}.description.content")), where, title)
