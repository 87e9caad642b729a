"""Incident records built here from the published formats (Statuspage, Graph, Slack, PagerDuty, timelines)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
RUNBOOKS = str(ROOT / "runbooks")


def statuspage_update(status: str, body: str, at: str, changes: list[tuple[str, str, str]] = ()) -> dict[str, Any]:
    return {"id": f"u-{status}-{at}", "status": status, "body": body, "created_at": at, "display_at": at,
            "affected_components": [{"code": name[:4], "name": name, "old_status": old, "new_status": new}
                                    for name, old, new in changes]}


def statuspage(updates: list[dict[str, Any]], incident_id: str = "p31zjtct2jer",
               name: str = "Inbound mail delayed") -> dict[str, Any]:
    """`/api/v2/incidents.json` with one incident; `updates` newest first, as Statuspage lists them."""
    return {"page": {"id": "pg1", "name": "Example"},
            "incidents": [{"id": incident_id, "name": name, "status": "resolved", "impact": "major",
                           "incident_updates": updates}]}


def graph_issue(posts: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    """A Graph serviceHealthIssue; posts are (createdDateTime, HTML)."""
    issue = {"id": "MO1221364", "title": "Mail and admin center problems", "service": "Exchange Online",
             "feature": "E-Mail and calendar access", "classification": "incident", "status": "serviceRestored",
             "isResolved": True, "startDateTime": posts[0][0] if posts else "2026-01-22T19:30:00Z",
             "posts": [{"createdDateTime": at, "postType": "regular",
                        "description": {"contentType": "html", "content": html}} for at, html in posts]}
    issue.update(extra)
    return issue


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def read_yaml(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run(*argv: str) -> int:
    return main(["incident", "import", *argv, "--runbooks", RUNBOOKS])
